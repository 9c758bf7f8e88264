"""The sliding-window limit itself: exactly `limit` hits in any window, one more as each leaves."""

import datetime

import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from onelicense.verification.ratelimit import rate_hit

T0 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _at(seconds: float) -> time_machine.travel:
    return time_machine.travel(T0 + datetime.timedelta(seconds=seconds), tick=False)


def test_the_window_slides_one_hit_at_a_time(settings):
    settings.ONELICENSE_VERIFY_RATE = "3/10"
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1")
    answers = {}
    for second in (0, 2, 4, 5, 10.5, 11, 12.5):
        with _at(second):
            answers[second] = rate_hit(request)

    # allowed at 0, 2, 4; refused at 5 until the hit at 0 leaves; 10.5 takes its place;
    # 11 waits for the hit at 2; 12.5 takes that one's
    assert answers == {0: None, 2: None, 4: None, 5: 5, 10.5: None, 11: 1, 12.5: None}


def test_hits_kept_as_a_list_still_count(settings):
    settings.ONELICENSE_VERIFY_RATE = "2/10"
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.2")
    with _at(0):
        start = T0.timestamp()
        cache.set("onelicense:verify-rate:10.1.1.2", [start - 20, start - 3, start - 1], 10)
        assert rate_hit(request) == 7  # the two recent ones fill the window
