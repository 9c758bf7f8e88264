"""The city admin's checklist pages by persona: the city admin edits, adds and switches off;
an inspector, a reviewer or an applicant gets 403; anyone not signed in logs in first."""

import pytest
from django.urls import reverse

from onelicense.core.errors import DomainError
from onelicense.supervision import checklists, selectors, services
from onelicense.supervision.models import CheckPoint


@pytest.fixture
def point(checklist) -> CheckPoint:
    return selectors.checklist_points(checklist)[0]


def _urls(point: CheckPoint) -> list[tuple[str, str]]:
    code = point.checklist.industry_code
    return [
        ("get", reverse("supervision:checklists")),
        ("get", reverse("supervision:checklist_edit", args=[code])),
        ("get", reverse("supervision:point_edit", args=[code, point.pk])),
        ("post", reverse("supervision:point_switch", args=[code, point.pk])),
    ]


def test_others_get_403_and_change_nothing(client, point, inspector, market_reviewer, applicant):
    for method, url in _urls(point):
        assert getattr(client, method)(url).status_code == 302  # anyone: log in first
    for person in (inspector, market_reviewer, applicant):
        client.force_login(person)
        for method, url in _urls(point):
            response = getattr(client, method)(url, {"active": "0"})
            assert response.status_code == 403, (person, url)
        assert "市级管理员" in response.content.decode()
    point.refresh_from_db()
    assert point.active and not point.edited


def test_the_city_admin_sees_every_checklist(client, checklist, city_admin):
    client.force_login(city_admin)
    html = client.get(reverse("supervision:checklists")).content.decode()
    total = checklist.points.count()
    assert "餐饮店" in html and f"启用 {total} / 共 {total}" in html
    html = client.get(reverse("supervision:checklist_edit", args=["restaurant"])).content.decode()
    assert selectors.checklist_points(checklist)[0].text in html and "添加检查要点" in html
    assert client.get(reverse("supervision:checklist_edit", args=["nothing"])).status_code == 404


def test_the_city_admin_edits_a_point(client, point, city_admin):
    client.force_login(city_admin)
    url = reverse("supervision:point_edit", args=["restaurant", point.pk])
    assert point.text in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "text": "持证经营并在显著位置公示许可证件",
            "legal_basis": "《食品安全法》第三十五条",
            "department_code": "fire_rescue",
        },
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.text == "持证经营并在显著位置公示许可证件" and point.edited
    assert point.legal_basis == "《食品安全法》第三十五条"
    assert point.department.code == "fire_rescue"


def test_a_bad_edit_is_shown_and_changes_nothing(client, point, city_admin):
    client.force_login(city_admin)
    url = reverse("supervision:point_edit", args=["restaurant", point.pk])
    response = client.post(
        url, {"text": "", "legal_basis": "x", "department_code": "market_regulation"}
    )
    assert response.status_code == 422
    before = point.text
    point.refresh_from_db()
    assert point.text == before and not point.edited


def test_the_city_admin_adds_a_point(client, checklist, city_admin):
    client.force_login(city_admin)
    count = checklist.points.count()
    response = client.post(
        reverse("supervision:checklist_edit", args=["restaurant"]),
        {
            "text": "油烟净化设施正常运行",
            "legal_basis": "《大气污染防治法》第八十一条",
            "department_code": "ecology_environment",
        },
    )
    assert response.status_code == 302
    added = checklist.points.get(text="油烟净化设施正常运行")
    assert checklist.points.count() == count + 1
    assert added.active and added.source == CheckPoint.Source.MANUAL
    assert added.department.code == "ecology_environment"


def test_a_point_switched_off_leaves_the_list_and_stays_off(client, checklist, point, city_admin):
    client.force_login(city_admin)
    url = reverse("supervision:point_switch", args=["restaurant", point.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    point.refresh_from_db()
    assert not point.active
    assert point not in selectors.checklist_points(checklist)
    services.checklist_generate(industry_code="restaurant")  # regeneration keeps it off
    point.refresh_from_db()
    assert not point.active
    client.post(url, {"active": "1"})
    point.refresh_from_db()
    assert point.active


def test_only_a_city_admin_switches(point, inspector):
    with pytest.raises(DomainError) as caught:
        checklists.check_point_switch(point=point, actor=inspector, active=False)
    assert caught.value.code == "forbidden" and caught.value.status == 403
    point.refresh_from_db()
    assert point.active
