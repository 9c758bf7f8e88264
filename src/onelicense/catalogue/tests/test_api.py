"""The public catalogue endpoints against the small fixture catalogue (fixtures/small.yaml).

The guide's figures for `restaurant` are computed by hand from the fixture:
  items        food_business_licence, small_food_licence, fire_safety_check        → 3
  departments  market_regulation (district), fire_rescue (district)                → 2
  materials    4 + 2 + 3 = 9 separate; business_licence, premises_proof, floor_plan,
               food_safety_rules, fire_commitment merged                           → 5
  fields       5 + 3 + 5 = 13 separate; enterprise_name, uscc, contact_phone,
               premises_area, food_categories, fire_facilities merged              → 6
  days         20 + 20 + 13 = 53 statutory, one after another; in parallel the
               slowest promised limit                                              → 10
"""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onelicense.catalogue.models import CatalogueVersion, IndustryItem

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _codes(client: Client, query: str) -> list[str]:
    return [industry["code"] for industry in _get(client, f"/api/v1/industries?q={query}")]


def _assert_error(body: dict[str, Any], code: str) -> None:
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert CHINESE.search(body["message"]), body["message"]


# --- GET /api/v1/industries -----------------------------------------------------------------


class TestIndustryList:
    def test_lists_every_industry_in_catalogue_order(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries")

        assert [industry["code"] for industry in body] == ["restaurant", "coffee_shop"]

    def test_describes_an_industry_with_its_links(self, client, small_catalogue):
        restaurant = _get(client, "/api/v1/industries")[0]

        assert restaurant == {
            "code": "restaurant",
            "name": "餐饮店",
            "category": "餐饮",
            "aliases": ["饭店", "餐馆"],
            "lead_department": "区市场监督管理局",
            "form_mode": "one_form",
            "online_depth": "full_online",
            "item_count": 3,
            "links": {
                "detail": "/api/v1/industries/restaurant",
                "guide": "/api/v1/industries/restaurant/guide",
            },
        }

    def test_counts_the_items_of_each_industry(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries")

        assert {i["code"]: i["item_count"] for i in body} == {"restaurant": 3, "coffee_shop": 1}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("咖啡", ["coffee_shop"]),  # a keyword
            ("kafei", ["coffee_shop"]),  # its pinyin
            ("KaFei", ["coffee_shop"]),  # in any case
            ("kf", ["coffee_shop"]),  # its initials
            ("奶茶", ["coffee_shop"]),  # an alias and a keyword
            ("火锅", ["restaurant"]),  # a keyword
            ("huoguo", ["restaurant"]),
            ("饭店", ["restaurant"]),  # an alias
            ("餐饮店", ["restaurant"]),  # the name
        ],
    )
    def test_finds_an_industry_by_keyword_alias_or_pinyin(
        self, client, small_catalogue, query, expected
    ):
        assert _codes(client, query) == expected

    def test_an_unmatched_query_finds_nothing(self, client, small_catalogue):
        assert _codes(client, "游泳") == []

    def test_a_blank_query_lists_everything(self, client, small_catalogue):
        assert _codes(client, "%20") == ["restaurant", "coffee_shop"]

    def test_an_overlong_query_is_refused_in_chinese(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries?q=" + "咖" * 51, status=422)

        _assert_error(body, "invalid_request")
        assert set(body["fields"]) == {"q"}
        assert CHINESE.search(body["fields"]["q"])

    def test_without_a_published_catalogue_answers_404(self, client, db):
        body = _get(client, "/api/v1/industries", status=404)

        _assert_error(body, "catalogue_not_published")
        assert body["fields"] == {}

    def test_a_draft_catalogue_is_not_listed(self, client, small_catalogue):
        small_catalogue.status = CatalogueVersion.Status.DRAFT
        small_catalogue.save()

        _assert_error(_get(client, "/api/v1/industries", status=404), "catalogue_not_published")

    def test_runs_the_same_queries_however_many_industries_match(self, client, small_catalogue):
        with CaptureQueriesContext(connection) as all_industries:
            assert len(_get(client, "/api/v1/industries")) == 2
        with CaptureQueriesContext(connection) as one_industry:
            assert len(_get(client, "/api/v1/industries?q=kafei")) == 1

        assert len(all_industries) == len(one_industry) <= 4


# --- GET /api/v1/industries/{code} ----------------------------------------------------------


class TestIndustryGet:
    def test_answers_the_industry_with_its_version(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/restaurant")

        assert body["code"] == "restaurant"
        assert body["name"] == "餐饮店"
        assert body["lead_department"] == "区市场监督管理局"
        assert body["item_count"] == 3
        assert body["keywords"] == ["火锅"]
        assert body["scope"] == "在固定经营场所从事餐饮服务的经营者。"
        assert body["version"] == {
            "code": "test-small",
            "title": "测试目录",
            "valid_from": "2023-11-30",
        }

    def test_answers_the_questions_in_order(self, client, small_catalogue):
        questions = _get(client, "/api/v1/industries/restaurant")["questions"]

        assert [q["code"] for q in questions] == ["area", "chain", "cuisine"]

    def test_a_number_question_has_its_unit_bounds_and_element(self, client, small_catalogue):
        area = _get(client, "/api/v1/industries/restaurant")["questions"][0]

        assert area == {
            "code": "area",
            "text": "经营场所使用面积是多少？",
            "help": "",
            "type": "number",
            "unit": "㎡",
            "min": 1,
            "max": 100000,
            "options": [],
            "show_when": None,
            "fills": "premises_area",
        }

    def test_a_follow_up_has_its_options_and_rule_as_stored(self, client, small_catalogue):
        cuisine = _get(client, "/api/v1/industries/restaurant")["questions"][2]

        assert cuisine["type"] == "single"
        assert cuisine["options"] == [
            {"code": "hot", "label": "热食"},
            {"code": "cold", "label": "冷食"},
        ]
        assert cuisine["show_when"] == {"q": "area", "answered": True}
        assert cuisine["fills"] is None
        assert cuisine["min"] is None

    def test_an_industry_without_questions_answers_an_empty_list(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/coffee_shop")

        assert body["questions"] == []
        assert body["online_depth"] == "partly_online"

    def test_an_unknown_industry_answers_404(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/bakery", status=404)

        _assert_error(body, "industry_not_found")
        assert body["fields"] == {}


# --- GET /api/v1/industries/{code}/guide ----------------------------------------------------


class TestIndustryGuide:
    def test_answers_every_item_of_the_industry(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/restaurant/guide")

        assert [item["code"] for item in body["items"]] == [
            "food_business_licence",
            "small_food_licence",
            "fire_safety_check",
        ]
        assert body["industry"] == {"code": "restaurant", "name": "餐饮店"}
        assert body["version"]["code"] == "test-small"
        assert body["district"] is None

    def test_figures_equal_the_hand_computed_ones(self, client, small_catalogue):
        figures = _get(client, "/api/v1/industries/restaurant/guide")["figures"]

        assert figures == {
            "items": 3,
            "departments": 2,
            "materials_separate": 9,
            "materials_merged": 5,
            "fields_separate": 13,
            "fields_merged": 6,
            "statutory_days_total": 53,
            "promised_days": 10,
            "materials_cut_percent": 44,  # (9 - 5) / 9
            "fields_cut_percent": 54,  # (13 - 6) / 13
            "days_cut_percent": 81,  # (53 - 10) / 53
        }

    def test_an_item_carries_everything_the_applicant_is_told(self, client, small_catalogue):
        item = _get(client, "/api/v1/industries/restaurant/guide")["items"][0]

        assert item == {
            "code": "food_business_licence",
            "name": "食品经营许可（新办）",
            "department": "区市场监督管理局",
            "department_kind": "market_regulation",
            "kind": "licence",
            "level": "district",
            "national_code": "000131024000",
            "legal_basis": "《中华人民共和国食品安全法》第三十五条",
            "conditions": "有与经营的食品品种、数量相适应的经营场所。",
            "applies_when": "面积超过150㎡或连锁经营",
            "rule": {
                "any": [
                    {"q": "area", "gt": {"param": "small_restaurant_area"}},
                    {"q": "chain", "eq": True},
                ]
            },
            "statutory_limit_days": 20,
            "promised_limit_days": 10,
            "max_extension_days": 10,
            "fee": "不收费",
            "permit": {"name": "食品经营许可证", "validity_months": 60},
            "commitment_allowed": False,
            "commitment_text": "",
            "verification_days": None,
            "onsite_check": True,
            "materials": [
                {
                    "code": "business_licence",
                    "name": "营业执照",
                    "form": "electronic",
                    "required": True,
                    "deferrable": False,
                    "condition": "",
                },
                {
                    "code": "premises_proof",
                    "name": "经营场所使用证明",
                    "form": "copy",
                    "required": True,
                    "deferrable": False,
                    "condition": "",
                },
                {
                    "code": "floor_plan",
                    "name": "经营场所平面布局图",
                    "form": "original",
                    "required": True,
                    "deferrable": False,
                    "condition": "",
                },
                {
                    "code": "food_safety_rules",
                    "name": "食品安全管理制度",
                    "form": "original",
                    "required": True,
                    "deferrable": False,
                    "condition": "",
                },
            ],
            "elements": [
                "enterprise_name",
                "uscc",
                "contact_phone",
                "premises_area",
                "food_categories",
            ],
            "remedies": {
                "review_body": "所在区人民政府",
                "review_days": 60,
                "litigation_months": 6,
                "litigation_after_review_days": 15,
            },
            "sources": {"*": "https://example.gov.cn/food"},
        }

    def test_a_commitment_item_has_its_verification_deadline(self, client, small_catalogue):
        fire = _get(client, "/api/v1/industries/restaurant/guide")["items"][2]

        assert fire["commitment_allowed"] is True
        assert fire["commitment_text"] == "本单位承诺场所符合消防技术标准和管理规定。"
        assert fire["verification_days"] == 20
        assert fire["permit"] == {
            "name": "公众聚集场所投入使用、营业前消防安全检查合格证",
            "validity_months": None,  # 长期有效
        }

    def test_an_item_without_sources_is_assumed(self, client, small_catalogue):
        small = _get(client, "/api/v1/industries/restaurant/guide")["items"][1]

        assert small["sources"] == {"*": "assumed"}
        assert small["national_code"] == ""

    def test_a_vertical_body_reviews_its_own_items(self, client, small_catalogue):
        fire = _get(client, "/api/v1/industries/restaurant/guide?district=110105")["items"][2]

        assert fire["remedies"]["review_body"] == "北京市消防救援总队"

    def test_a_district_names_its_own_departments(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/restaurant/guide?district=110105")

        assert body["district"] == {"code": "110105", "name": "朝阳区"}
        assert [item["department"] for item in body["items"]] == [
            "朝阳区市场监督管理局",
            "朝阳区市场监督管理局",
            "朝阳区消防救援支队",
        ]

    def test_a_district_government_reviews_the_district_items(self, client, small_catalogue):
        items = _get(client, "/api/v1/industries/restaurant/guide?district=110105")["items"]

        assert items[0]["remedies"]["review_body"] == "北京市朝阳区人民政府"
        assert items[1]["remedies"]["review_body"] == "北京市朝阳区人民政府"

    def test_merges_materials_naming_the_items_that_need_them(self, client, small_catalogue):
        materials = _get(client, "/api/v1/industries/restaurant/guide")["materials"]

        assert [(m["code"], m["items"]) for m in materials] == [
            (
                "business_licence",
                ["food_business_licence", "small_food_licence", "fire_safety_check"],
            ),
            ("premises_proof", ["food_business_licence"]),
            ("floor_plan", ["food_business_licence", "small_food_licence", "fire_safety_check"]),
            ("food_safety_rules", ["food_business_licence"]),
            ("fire_commitment", ["fire_safety_check"]),
        ]
        assert materials[0]["name"] == "营业执照"
        assert materials[0]["form"] == "electronic"

    def test_merges_elements_by_form_section(self, client, small_catalogue):
        elements = _get(client, "/api/v1/industries/restaurant/guide")["elements"]

        assert [(e["code"], e["section"]) for e in elements] == [
            ("enterprise_name", "enterprise"),
            ("uscc", "enterprise"),
            ("contact_phone", "enterprise"),
            ("premises_area", "premises"),
            ("food_categories", "operations"),
            ("fire_facilities", "facilities"),
        ]
        assert elements[3] == {
            "code": "premises_area",
            "label": "经营场所使用面积",
            "type": "decimal",
            "section": "premises",
            "unit": "㎡",
            "items": ["food_business_licence", "small_food_licence", "fire_safety_check"],
        }

    def test_answers_the_steps_of_the_catalogue(self, client, small_catalogue):
        steps = _get(client, "/api/v1/industries/restaurant/guide")["steps"]

        assert steps == [
            {"title": "一次告知", "text": "查阅行业综合办事指南。"},
            {"title": "一表申请", "text": "回答情形问题，填写一张申请表。"},
        ]

    def test_an_unknown_industry_answers_404(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/bakery/guide?district=110105", status=404)

        _assert_error(body, "industry_not_found")
        assert body["fields"] == {}

    def test_an_unknown_district_answers_404(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/restaurant/guide?district=110199", status=404)

        _assert_error(body, "district_not_found")
        assert body["fields"] == {}

    @pytest.mark.parametrize("district", ["chaoyang", "11010", "1101050"])
    def test_a_malformed_district_is_refused_in_chinese(self, client, small_catalogue, district):
        body = _get(client, f"/api/v1/industries/restaurant/guide?district={district}", status=422)

        _assert_error(body, "invalid_request")
        assert list(body["fields"]) == ["district"]
        assert CHINESE.search(body["fields"]["district"])

    @pytest.mark.parametrize("district", ["", "110105"])
    def test_runs_the_same_queries_however_many_items(self, client, small_catalogue, district):
        url = f"/api/v1/industries/restaurant/guide?district={district}"
        with CaptureQueriesContext(connection) as three_items:
            assert len(_get(client, url)["items"]) == 3
        IndustryItem.objects.filter(
            industry__code="restaurant", item__code__in=["small_food_licence", "fire_safety_check"]
        ).delete()
        with CaptureQueriesContext(connection) as one_item:
            assert len(_get(client, url)["items"]) == 1

        assert len(three_items) == len(one_item) <= 10

    def test_a_blank_district_means_none(self, client, small_catalogue):
        body = _get(client, "/api/v1/industries/restaurant/guide?district=")

        assert body["district"] is None
        assert body["items"][0]["department"] == "区市场监督管理局"


# --- who may read ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/industries",
        "/api/v1/industries/restaurant",
        "/api/v1/industries/restaurant/guide",
    ],
)
def test_anyone_may_read_the_catalogue_without_logging_in(small_catalogue, url):
    assert Client().get(url).status_code == 200
