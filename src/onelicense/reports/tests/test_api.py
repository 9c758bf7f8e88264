"""/api/v1/reports/: the same figures as the pages, by persona."""

import pytest
from django.core.management import call_command
from django.test import Client

from onelicense.accounts.models import District, User
from onelicense.core import worker
from onelicense.reports.models import Refresh
from onelicense.reports.services import figures_refresh_due

pytestmark = pytest.mark.django_db
PERIOD = {"since": "2024-09-01", "until": "2024-10-31"}


def _as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anonymous_callers_get_401_in_the_common_shape() -> None:
    response = _as(None).get("/api/v1/reports/districts")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_applicant_gets_403_in_chinese(outsider: User) -> None:
    response = _as(outsider).get("/api/v1/reports/districts")
    assert response.status_code == 403
    assert response.json()["message"] == "统计报表只供区政务服务管理局和市级管理员使用"


def test_the_city_reads_the_district_figures(city_admin: User, refreshed: Refresh) -> None:
    body = _as(city_admin).get("/api/v1/reports/districts", PERIOD).json()
    (chaoyang,) = body["rows"]
    assert chaoyang["label"] == "朝阳区"
    assert chaoyang["counts"]["received"] == 2
    assert (chaoyang["average_days"], chaoyang["p90_days"]) == (4.3, 8)
    assert chaoyang["on_time_rate"] == 66.7
    assert chaoyang["overdue"] == 1
    assert body["total"]["counts"]["cases_decided"] == 3
    assert [point["month"] for point in body["trend"]] == ["2024-09-01", "2024-10-01"]
    assert body["refreshed_at"]


def test_a_district_admin_is_held_to_their_district(
    district_admin: User, refreshed: Refresh
) -> None:
    client = _as(district_admin)
    body = client.get("/api/v1/reports/departments", PERIOD).json()
    assert len(body["rows"]) == 3
    response = client.get("/api/v1/reports/industries", {**PERIOD, "district": "110108"})
    assert response.status_code == 403
    assert response.json()["code"] == "district_forbidden"
    assert "本区" in response.json()["message"]


def test_a_reversed_period_answers_422(city_admin: User) -> None:
    query = {"since": "2024-10-31", "until": "2024-09-01"}
    response = _as(city_admin).get("/api/v1/reports/industries", query)
    assert response.status_code == 422
    assert response.json()["fields"] == {"until": "统计截止日期不能早于起始日期"}


def test_an_unknown_dimension_or_district_answers_404(city_admin: User) -> None:
    assert _as(city_admin).get("/api/v1/reports/planets").status_code == 404
    response = _as(city_admin).get("/api/v1/reports/districts", {"district": "999999"})
    assert response.json()["code"] == "district_not_found"


def test_reform_and_rollout(city_admin: User, beijing_catalogue: object) -> None:
    client = _as(city_admin)
    reform = client.get("/api/v1/reports/reform").json()
    restaurant = next(row for row in reform if row["industry"] == "restaurant")
    assert restaurant["figures"]["materials_merged"] <= restaurant["figures"]["materials_separate"]
    rollout = client.get("/api/v1/reports/rollout").json()
    assert len(rollout) == District.objects.count()
    yanqing = next(row for row in rollout if row["district"] == "110119")
    assert "coffee_shop" not in yanqing["offerings"] and "restaurant" in yanqing["offerings"]


def test_the_command_and_the_worker_refresh(history: object) -> None:
    call_command("reports_refresh", "--since", "2024-09-01")
    assert Refresh.objects.count() == 1
    assert figures_refresh_due() == 0  # refreshed a moment ago
    Refresh.objects.update(finished_at="2024-01-01T00:00:00Z")
    results = worker.run_once()
    assert results["onelicense.reports.services.figures_refresh_due"] != "failed"
    assert Refresh.objects.count() == 2
