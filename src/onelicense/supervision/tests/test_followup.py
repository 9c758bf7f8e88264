"""整改跟踪: an order past its date is marked overdue once, the district is told once, the grade
counts it; an inspector of the district records the rectification. Time moves by time-machine."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from onelicense.core import worker
from onelicense.core.errors import DomainError
from onelicense.core.models import Notification
from onelicense.supervision import followup, selectors, services
from onelicense.supervision.models import EnforcementAction, Inspection
from onelicense.supervision.tests.helpers import joint_inspection, record_all

START = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def order(checklist, restaurant, inspector, fire_inspector) -> EnforcementAction:
    with time_machine.travel(START, tick=False):
        planned: Inspection = joint_inspection(inspector, fire_inspector, restaurant)
        record_all(planned, inspector, minor=1)
        done = services.inspection_complete(inspection=planned, actor=inspector)
        return services.action_take(
            inspection=done,
            actor=inspector,
            kind="rectify",
            reason="台账不全，限期补齐",
            rectify_by=datetime.date(2025, 3, 17),
        )


def _later(days: int) -> time_machine.travel:
    return time_machine.travel(START + datetime.timedelta(days=days), tick=False)


def test_an_order_past_its_date_is_marked_told_and_graded_once(
    order, restaurant, inspector, fire_inspector, other_inspector
):
    before = selectors.assessment_latest(restaurant.pk)
    assert before is not None
    with _later(14):  # 17 March, the last day: not yet overdue
        assert followup.rectifications_overdue() == 0
    with _later(15):
        assert followup.rectifications_overdue() == 1
        assert followup.rectifications_overdue() == 0  # the next run tells nobody again
    order.refresh_from_db()
    assert order.overdue_at is not None and order.rectified_at is None
    told = Notification.objects.filter(title="责令限期整改逾期")
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        [inspector.username, fire_inspector.username]  # 朝阳区's, not 海淀区's
    )
    assert all(restaurant.name in row.body for row in told)
    after = selectors.assessment_latest(restaurant.pk)
    assert after is not None and after.score == before.score - 15
    assert {"code": "overdue", "label": "责令限期整改逾期未整改", "count": 1, "points": -15} in (
        after.reasons
    )


def test_a_rectified_order_is_never_overdue(order, inspector):
    with _later(10):
        followup.rectification_record(action=order, actor=inspector, note="台账已补齐，复查合格")
    with _later(30):
        assert followup.rectifications_overdue() == 0
    order.refresh_from_db()
    assert order.overdue_at is None and order.rectified_by == inspector
    assert order.rectification_note == "台账已补齐，复查合格"


def test_recording_a_rectification_is_for_the_district_once_with_a_note(
    order, inspector, other_inspector, market_reviewer
):
    for actor, code in ((other_inspector, "action_not_found"), (market_reviewer, "forbidden")):
        with pytest.raises(DomainError) as caught:
            followup.rectification_record(action=order, actor=actor, note="已整改")
        assert caught.value.code == code
    with pytest.raises(DomainError) as caught:
        followup.rectification_record(action=order, actor=inspector, note=" ")
    assert caught.value.code == "note_required"
    order.refresh_from_db()
    assert order.rectified_at is None
    followup.rectification_record(action=order, actor=inspector, note="已整改")
    with pytest.raises(DomainError) as caught:
        followup.rectification_record(action=order, actor=inspector, note="再次")
    assert caught.value.code == "already_rectified"


def test_the_button_on_the_inspection_page_records_it(client, order, inspector):
    client.force_login(inspector)
    page = reverse("supervision:inspection", args=[order.inspection_id])
    button = reverse("supervision:rectified", args=[order.pk])
    assert button in client.get(page).content.decode()
    response = client.post(button, {"note": "已整改", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    order.refresh_from_db()
    assert order.rectified_at is not None
    html = client.get(page).content.decode()
    assert button not in html and "已整改" in html


def test_another_district_cannot_post_the_button(client, order, other_inspector):
    client.force_login(other_inspector)
    response = client.post(reverse("supervision:rectified", args=[order.pk]), {"note": "已整改"})
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.rectified_at is None


def test_the_worker_runs_the_job(order):
    jobs = dict(worker.jobs())
    with _later(15):
        assert jobs["onelicense.supervision.followup.rectifications_overdue"]() == 1
    order.refresh_from_db()
    assert order.overdue_at is not None
