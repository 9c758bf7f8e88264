"""The outbox: a failing backend is retried, nothing is sent twice, several workers share."""

import datetime
import json

import pytest
import time_machine
from django.test import override_settings

from onelicense.core import messaging
from onelicense.core.messaging import Recipient, notify, outbox_drain
from onelicense.core.models import Notification, OutboxMessage
from onelicense.core.worker import run_once

pytestmark = pytest.mark.django_db


class FlakyBackend:
    """Fails the first `failures` sends, then delivers; remembers what it delivered."""

    failures = 0
    delivered: list[str] = []

    def send(self, *, key: str, recipient: str, subject: str, body: str) -> None:
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionError("gateway timeout")
        FlakyBackend.delivered.append(key)


@pytest.fixture
def flaky(settings):
    settings.ONELICENSE_OUTBOX_BACKENDS = {
        **settings.ONELICENSE_OUTBOX_BACKENDS,
        "sms": f"{__name__}.FlakyBackend",
    }
    FlakyBackend.failures = 0
    FlakyBackend.delivered = []
    return FlakyBackend


def test_notify_tells_in_the_app_and_queues_email_and_sms(applicant):
    applicant.email = "zhang@example.cn"
    notify(
        recipients=[Recipient(user_id=applicant.pk, email=applicant.email, phone="13800138000")],
        title="申请已受理",
        body="您的申请已受理。",
        key="application:1:accepted",
    )
    assert Notification.objects.get(recipient=applicant).title == "申请已受理"
    assert sorted(OutboxMessage.objects.values_list("channel", flat=True)) == ["email", "sms"]


def test_telling_twice_of_one_occasion_queues_once():
    for _ in range(2):
        notify(recipients=[Recipient(phone="13800138000")], title="t", body="b", key="k:1")
    assert OutboxMessage.objects.count() == 1


def test_a_failing_backend_is_retried_and_sends_once(flaky):
    flaky.failures = 2
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        notify(
            recipients=[Recipient(phone="13800138000")], title="需要补正", body="…", key="case:7:c"
        )
        assert outbox_drain() == (0, 1)
        assert outbox_drain() == (0, 0)  # backing off: not due yet
    with time_machine.travel(start + datetime.timedelta(seconds=31), tick=False):
        assert outbox_drain() == (0, 1)
    with time_machine.travel(start + datetime.timedelta(seconds=200), tick=False):
        assert outbox_drain() == (1, 0)
        assert outbox_drain() == (0, 0)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 3
    assert message.last_error == "ConnectionError: gateway timeout"
    assert flaky.delivered == [message.idempotency_key]


def test_a_message_that_never_goes_through_is_marked_failed(flaky):
    flaky.failures = 100
    moment = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        notify(recipients=[Recipient(phone="13800138000")], title="t", body="b", key="k:2")
    for _ in range(messaging.MAX_ATTEMPTS):
        with time_machine.travel(moment, tick=False):
            outbox_drain()
        moment += datetime.timedelta(hours=2)
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.FAILED


def test_the_file_backend_delivers_a_key_at_most_once(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    backend = messaging.SmsFileBackend()
    for _ in range(2):  # a crash after sending and before marking: the retry repeats the key
        backend.send(key="k:3:sms:138", recipient="13800138000", subject="s", body="正文")
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["body"] for line in lines] == ["正文"]


def broken_job() -> None:
    raise RuntimeError("disk full")


@override_settings(
    ONELICENSE_WORKER_JOBS=[f"{__name__}.broken_job", "onelicense.core.messaging.outbox_drain"]
)
def test_the_worker_runs_every_job_and_survives_a_broken_one(flaky):
    notify(recipients=[Recipient(phone="13800138000")], title="t", body="b", key="k:4")
    results = run_once()
    assert results[f"{__name__}.broken_job"] == "failed"
    assert results["onelicense.core.messaging.outbox_drain"] == (1, 0)
