"""POST /api/v1/industries/{code}/plan against the small fixture catalogue (fixtures/small.yaml).

The restaurant's rules in the fixture: the food licence above 150 ㎡ or for a chain, the small
restaurant licence otherwise; the fire check above 300 ㎡ (200 ㎡ in 朝阳区 110105); the cuisine
question follows once the area is answered.
"""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.usefixtures("small_catalogue")

CHINESE = re.compile(r"[\u4e00-\u9fff]")
URL = "/api/v1/industries/{}/plan"


def _plan(client: Client, body: Any, status: int = 200, code: str = "restaurant") -> Any:
    response = client.post(URL.format(code), body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _questions(body: dict[str, Any]) -> list[str]:
    return [q["code"] for q in body["questions"]]


def _items(body: dict[str, Any]) -> list[str]:
    return [i["code"] for i in body["items"]]


def _fields(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["code"]: f for s in body["form"]["sections"] for f in s["fields"]}


def _assert_error(body: dict[str, Any], code: str) -> None:
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert CHINESE.search(body["message"]), body["message"]


class TestQuestions:
    def test_without_answers_only_the_unconditional_questions_show(self, client):
        body = _plan(client, {"answers": {}})

        assert _questions(body) == ["area", "chain"]
        assert body["complete"] is False
        assert body["items"] == []
        assert body["district"] is None
        assert body["industry"] == {"code": "restaurant", "name": "餐饮店"}
        assert body["version"]["code"] == "test-small"

    def test_an_empty_body_is_no_answers(self, client):
        assert _questions(_plan(client, {})) == ["area", "chain"]

    def test_a_follow_up_shows_once_its_condition_holds(self, client):
        body = _plan(client, {"answers": {"area": 80}})

        assert _questions(body) == ["area", "chain", "cuisine"]
        cuisine = body["questions"][2]
        assert cuisine["show_when"] == {"q": "area", "answered": True}
        assert cuisine["options"] == [
            {"code": "hot", "label": "热食"},
            {"code": "cold", "label": "冷食"},
        ]
        assert cuisine["answer"] is None

    def test_describes_each_question_with_its_answer(self, client):
        area = _plan(client, {"answers": {"area": "400"}})["questions"][0]

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
            "answer": 400,  # the text "400" answered as the number it is
        }

    def test_every_visible_question_answered_makes_the_plan_complete(self, client):
        body = _plan(client, {"answers": {"area": 80, "chain": False, "cuisine": "hot"}})

        assert body["complete"] is True
        assert [q["answer"] for q in body["questions"]] == [80, False, "hot"]

    def test_the_answer_to_a_hidden_follow_up_is_dropped(self, client):
        body = _plan(client, {"answers": {"chain": True, "cuisine": "hot"}})

        assert _questions(body) == ["area", "chain"]
        assert body["complete"] is False


class TestItems:
    def test_a_large_independent_restaurant_needs_the_food_licence_and_the_fire_check(self, client):
        body = _plan(client, {"answers": {"area": 400, "chain": False}})

        assert _items(body) == ["food_business_licence", "fire_safety_check"]

    def test_a_small_independent_restaurant_needs_the_small_licence_only(self, client):
        body = _plan(client, {"answers": {"area": 80, "chain": False}})

        assert _items(body) == ["small_food_licence"]

    def test_items_change_with_the_answers(self, client):
        small = _plan(client, {"answers": {"area": 250, "chain": False}})
        chain = _plan(client, {"answers": {"area": 250, "chain": True}})

        assert _items(small) == ["food_business_licence"]
        assert _items(chain) == ["food_business_licence"]
        assert _items(_plan(client, {"answers": {"area": 100, "chain": True}})) == [
            "food_business_licence"
        ]

    def test_in_chaoyang_the_fire_threshold_is_200(self, client):
        answers = {"area": 250, "chain": False}

        citywide = _plan(client, {"answers": answers})
        chaoyang = _plan(client, {"answers": answers, "district": "110105"})

        assert "fire_safety_check" not in _items(citywide)
        assert _items(chaoyang) == ["food_business_licence", "fire_safety_check"]
        assert chaoyang["district"] == {"code": "110105", "name": "朝阳区"}

    def test_an_item_is_described_as_the_district_names_its_department(self, client):
        body = _plan(client, {"answers": {"area": 400, "chain": False}, "district": "110105"})

        food, fire = body["items"]
        assert food == {
            "code": "food_business_licence",
            "name": "食品经营许可（新办）",
            "department": "朝阳区市场监督管理局",
            "statutory_limit_days": 20,
            "promised_limit_days": 10,
            "commitment_allowed": False,
            "verification_days": None,
            "applies_when": "面积超过150㎡或连锁经营",
        }
        assert fire["commitment_allowed"] is True
        assert fire["verification_days"] == 20

    def test_a_blank_district_means_none(self, client):
        body = _plan(client, {"answers": {"area": 250, "chain": False}, "district": ""})

        assert body["district"] is None
        assert "fire_safety_check" not in _items(body)


class TestMaterialsFormAndFigures:
    def test_materials_are_merged_each_asked_once_with_the_items_needing_it(self, client):
        body = _plan(client, {"answers": {"area": 400, "chain": False}})

        materials = {m["code"]: m for m in body["materials"]}
        assert list(materials) == [
            "business_licence",
            "premises_proof",
            "floor_plan",
            "food_safety_rules",
            "fire_commitment",
        ]
        assert materials["floor_plan"] == {
            "code": "floor_plan",
            "name": "经营场所平面布局图",
            "form": "original",
            "items": ["food_business_licence", "fire_safety_check"],
            "required": True,
            "deferrable": False,
        }

    def test_the_one_form_asks_each_element_once_in_sections(self, client):
        body = _plan(client, {"answers": {"area": 400, "chain": False}})

        sections = body["form"]["sections"]
        assert [s["code"] for s in sections] == [
            "enterprise",
            "premises",
            "operations",
            "facilities",
        ]
        assert sections[0]["label"] == "主体信息"
        fields = _fields(body)
        assert len(fields) == 9
        assert fields["premises_area"] == {
            "code": "premises_area",
            "label": "经营场所使用面积",
            "type": "decimal",
            "unit": "㎡",
            "help": "",
            "required": True,
            "validation": {"min": 1, "max": 100000},
            "items": ["food_business_licence", "fire_safety_check"],
            "prefill": 400,
        }
        # The identity block is always asked, whether or not an item lists it.
        assert fields["legal_representative"]["items"] == []
        assert fields["legal_representative"]["required"] is True

    def test_the_figures_are_those_of_the_items_that_apply(self, client):
        body = _plan(client, {"answers": {"area": 400, "chain": False}})

        assert body["figures"] == {
            "items": 2,
            "departments": 2,
            "materials_separate": 7,
            "materials_merged": 5,
            "fields_separate": 10,
            "fields_merged": 6,
            "statutory_days_total": 33,
            "promised_days": 10,
            "materials_cut_percent": 29,
            "fields_cut_percent": 40,
            "days_cut_percent": 70,
        }


class TestRefusals:
    def test_bad_answers_are_refused_naming_each_question(self, client):
        body = _plan(
            client,
            {"answers": {"area": 0, "chain": "maybe", "cuisine": "raw", "seats": 3}},
            status=422,
        )

        _assert_error(body, "invalid_answers")
        assert body["fields"] == {
            "area": "不能小于 1㎡",
            "chain": "请回答“是”或“否”",
            "cuisine": "所选答案不在选项之中",
            "seats": "没有这个问题",
        }

    def test_answers_that_are_not_a_mapping_are_refused(self, client):
        body = _plan(client, {"answers": ["area", 400]}, status=422)

        _assert_error(body, "invalid_request")
        assert set(body["fields"]) == {"answers"}

    def test_a_malformed_district_is_refused(self, client):
        body = _plan(client, {"district": "chaoyang"}, status=422)

        _assert_error(body, "invalid_request")
        assert set(body["fields"]) == {"district"}

    def test_an_unknown_district_answers_404(self, client):
        _assert_error(_plan(client, {"district": "999999"}, status=404), "district_not_found")

    def test_an_unknown_industry_answers_404(self, client):
        _assert_error(_plan(client, {}, status=404, code="spaceport"), "industry_not_found")

    def test_the_plan_is_open_to_anyone_without_a_csrf_token(self):
        client = Client(enforce_csrf_checks=True)

        assert _items(_plan(client, {"answers": {"area": 80, "chain": False}})) == [
            "small_food_licence"
        ]


def test_runs_the_same_few_queries_whatever_the_answers(client):
    _plan(client, {})  # the published industry is compiled once per process, then planned
    with CaptureQueriesContext(connection) as few:
        _plan(client, {"answers": {"area": 80}, "district": "110105"})
    with CaptureQueriesContext(connection) as many:
        _plan(
            client,
            {"answers": {"area": 400, "chain": True, "cuisine": "hot"}, "district": "110105"},
        )

    assert len(few) == len(many) <= 6


def test_the_plan_is_documented_with_its_answers_and_errors():
    from onelicense.api import api

    operation = api.get_openapi_schema()["paths"]["/api/v1/industries/{code}/plan"]["post"]
    responses = operation["responses"]

    assert operation["operationId"] == "industry_plan"
    assert "security" not in operation  # open to anyone
    assert responses[200]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PlanOut"
    }
    for status in (404, 422):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
