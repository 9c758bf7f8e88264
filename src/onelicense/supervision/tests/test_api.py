"""/api/v1/inspections by persona: the inspector, a colleague of another district, a reviewer,
anyone."""

import datetime
import json

import pytest
from django.utils import timezone

from onelicense.supervision import services
from onelicense.supervision.models import Inspection, InspectionResult
from onelicense.supervision.tests.helpers import record_all

BASE = "/api/v1/inspections"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def created(client, checklist, restaurant, inspector, fire_inspector):
    client.force_login(inspector)
    response = post(
        client,
        BASE,
        {
            "uscc": restaurant.uscc,
            "departments": ["market_regulation", "fire_rescue"],
            "participants": [fire_inspector.username],
            "planned_for": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_inspector_plans_lists_and_records(client, created):
    assert {p["department"] for p in created["points"]} == {"market_regulation", "fire_rescue"}
    assert [row["id"] for row in client.get(BASE).json()] == [created["id"]]
    point = created["points"][0]["id"]
    response = post(
        client,
        f"{BASE}/{created['id']}/results",
        {"results": [{"point": point, "outcome": "fail", "severity": "minor", "note": "台账不全"}]},
    )
    assert response.status_code == 200
    assert response.json()["points"][0]["outcome"] == "fail"


def test_a_point_off_the_checklist_is_refused_in_chinese(client, created):
    response = post(
        client,
        f"{BASE}/{created['id']}/results",
        {"results": [{"point": 999999, "outcome": "pass"}]},
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_results",
        "message": "检查结果有误，均未保存",
        "fields": {"results[0].point": "该检查要点不在本次检查的检查单上"},
    }
    assert InspectionResult.objects.count() == 0


def test_another_district_cannot_plan_or_see(client, created, restaurant, other_inspector):
    client.force_login(other_inspector)
    response = post(
        client,
        BASE,
        {
            "uscc": restaurant.uscc,
            "departments": ["market_regulation"],
            "planned_for": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 403 and response.json()["code"] == "enterprise_out_of_district"
    assert client.get(f"{BASE}/{created['id']}").status_code == 404
    assert client.get(f"{BASE}/enterprises/{restaurant.uscc}/grade").status_code == 404
    assert client.get(BASE).json() == [] and Inspection.objects.count() == 1


def test_a_reviewer_is_forbidden_and_anyone_must_sign_in(client, created, market_reviewer):
    client.logout()
    assert client.get(BASE).status_code == 401
    client.force_login(market_reviewer)
    response = client.get(BASE)
    assert (
        response.status_code == 403
        and response.json()["message"] == "只有执法检查人员可以使用此接口"
    )


def test_the_grade_with_its_reasons(client, created, restaurant, inspector):
    body = client.get(f"{BASE}/enterprises/{restaurant.uscc}/grade").json()
    assert (body["grade"], body["score"], body["reasons"]) == ("A", 100, [])
    assert body["label"] == "信用好、风险低" and body["rules_version"] == "2024.2"
    inspection = Inspection.objects.get()
    record_all(inspection, inspector, serious=1)
    services.inspection_complete(inspection=inspection, actor=inspector)
    body = client.get(f"{BASE}/enterprises/{restaurant.uscc}/grade").json()
    assert (body["grade"], body["score"]) == ("C", 70)
    assert body["reasons"] == [
        {"code": "finding_serious", "label": "联合检查发现严重问题", "count": 1, "points": -30}
    ]
