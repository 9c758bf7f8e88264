"""The supervision pages by persona: the inspector, another district's, a reviewer, anyone."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from onelicense.supervision.models import Complaint
from onelicense.supervision.tests.helpers import joint_inspection


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_the_manual_and_checklist_are_public(client, checklist):
    html = client.get(reverse("supervision:manual", args=["restaurant"])).content.decode()
    assert "餐饮店合规手册与检查单" in html and "北京市市场监督管理局" in html
    assert "食品安全法" in html
    assert client.get(reverse("supervision:manual", args=["nothing"])).status_code == 404


def test_the_complaint_form_explains_what_is_wrong_and_limits_each_address(client, restaurant):
    url = reverse("supervision:complaint_new")
    response = client.post(url, {"identifier": "91110105000000000X", "content": "短"})
    html = response.content.decode()
    assert response.status_code == 422 and "请核对统一社会信用代码或凭证编号" in html
    assert Complaint.objects.count() == 0
    good = {"identifier": restaurant.uscc, "content": "门口占道经营，油烟扰民严重。"}
    for _n in range(4):  # every attempt counts, the refused one too: five an hour
        assert client.post(url, good).status_code == 200
    response = client.post(url, good)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Complaint.objects.count() == 4


@pytest.mark.parametrize(
    "name,args",
    [("inbox", []), ("plans", []), ("complaints", [])],
)
def test_only_inspectors_see_the_workbench(client, db, market_reviewer, name, args):
    url = reverse(f"supervision:{name}", args=args)
    assert client.get(url).status_code == 302  # anyone: log in first
    client.force_login(market_reviewer)
    assert client.get(url).status_code == 403


def test_another_district_does_not_find_the_inspection_or_the_enterprise(
    client, checklist, restaurant, inspector, fire_inspector, other_inspector
):
    inspection = joint_inspection(inspector, fire_inspector, restaurant)
    client.force_login(other_inspector)
    assert client.get(reverse("supervision:inspection", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("supervision:enterprise", args=[restaurant.uscc])).status_code == 404
    client.force_login(inspector)
    html = client.get(reverse("supervision:inspection", args=[inspection.pk])).content.decode()
    assert restaurant.name in html and "保存检查结果" in html


def test_the_plan_page_shows_the_low_risk_list(client, restaurant, inspector):
    from onelicense.supervision import services

    services.assessment_refresh(enterprise=restaurant)
    client.force_login(inspector)
    html = client.get(reverse("supervision:plans")).content.decode()
    assert "“无事不扰”名单" in html and restaurant.uscc in html
