"""The shipped Beijing catalogue: complete, round-tripping, and its figures as counted by hand."""

from pathlib import Path

import pytest

from onelicense.catalogue.models import ApprovalItem, Industry
from onelicense.catalogue.selectors import guide_build, industry_get, industry_list
from onelicense.catalogue.services import catalogue_export

BEIJING = Path(__file__).parents[1] / "data" / "beijing.yaml"


def test_export_gives_back_the_committed_file_byte_for_byte(beijing_catalogue) -> None:
    assert catalogue_export(version=beijing_catalogue) == BEIJING.read_text("utf-8")


def test_forty_industries_each_with_items_and_questions(beijing_catalogue) -> None:
    industries = Industry.objects.filter(version=beijing_catalogue)
    assert industries.count() == 40
    for industry in industries:
        assert industry.item_links.exists(), industry.code
        assert industry.questions.exists(), industry.code


def test_items_touching_life_and_health_never_take_the_commitment_route(beijing_catalogue):
    # 北京市优化营商环境条例 §33: not for 国家安全、公共安全、人民群众生命健康.
    for code in ("drug_retail_licence", "medical_device_class3_licence"):
        assert not ApprovalItem.objects.get(version=beijing_catalogue, code=code).commitment_allowed
    fire = ApprovalItem.objects.get(version=beijing_catalogue, code="fire_safety_check")
    assert fire.commitment_allowed and fire.verification_days == 20  # 消防法 §15


@pytest.mark.parametrize("query", ["咖啡", "kafei", "奶茶", "naicha", "kf"])
def test_coffee_and_tea_are_found_by_keyword_or_pinyin(beijing_catalogue, query) -> None:
    assert industry_list(query=query)[0].code == "coffee_shop"


def test_restaurant_figures_match_the_hand_count(beijing_catalogue) -> None:
    # Items: food licence 9 materials, small-restaurant licence 9, fire check 7, tobacco 5,
    # signboard filing 3, prepaid-card filing 2 = 35; distinct: 18. Elements 20+15+19+11+9+8
    # = 82; distinct 38. Statutory 20+20+13+20+0+0 = 73; slowest promised: 10. Departments:
    # 市场监管, 消防, 烟草, 城管, 商务.
    figures = guide_build(industry=industry_get(code="restaurant")).figures
    assert (figures.items, figures.departments) == (6, 5)
    assert (figures.materials_separate, figures.materials_merged) == (35, 18)
    assert (figures.fields_separate, figures.fields_merged) == (82, 38)
    assert (figures.statutory_days_total, figures.promised_days) == (73, 10)


def test_pharmacy_figures_match_the_hand_count(beijing_catalogue) -> None:
    # Items: drug retail 8 materials, class II device filing 4, class III licence 6, fire
    # check 7, construction permit 5, construction fire filing 4, signboard filing 3 = 37;
    # distinct 20. Elements 14+10+13+19+12+11+9 = 88; distinct 33. Statutory
    # 20+0+20+13+7+0+0 = 60; slowest promised: 15. Departments: 市场监管, 消防, 住建, 城管.
    figures = guide_build(industry=industry_get(code="pharmacy")).figures
    assert (figures.items, figures.departments) == (7, 4)
    assert (figures.materials_separate, figures.materials_merged) == (37, 20)
    assert (figures.fields_separate, figures.fields_merged) == (88, 33)
    assert (figures.statutory_days_total, figures.promised_days) == (60, 15)
