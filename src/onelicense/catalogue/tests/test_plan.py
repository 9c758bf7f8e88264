"""The plan: answers → visible questions, applying items, merged materials, one form."""

import pytest

from onelicense.accounts.models import District
from onelicense.catalogue import plan as plan_module
from onelicense.catalogue.models import CatalogueVersion, Question
from onelicense.catalogue.plan import plan_compute
from onelicense.catalogue.selectors import industry_get
from onelicense.core.errors import DomainError


def plan(answers, district=None, code="restaurant"):
    place = District.objects.get(code=district) if district else None
    return plan_compute(industry=industry_get(code=code), answers=answers, district=place)


def item_codes(result) -> list[str]:
    return [gi.item.code for gi in result.items]


def test_with_no_answers_only_unconditional_questions_show(small_catalogue: CatalogueVersion):
    result = plan({})
    assert [q.question.code for q in result.questions] == ["area", "chain"]
    assert item_codes(result) == []
    assert not result.complete


def test_a_follow_up_appears_once_its_condition_holds(small_catalogue: CatalogueVersion):
    result = plan({"area": 80})
    assert [q.question.code for q in result.questions] == ["area", "chain", "cuisine"]


def test_a_small_independent_restaurant_needs_the_small_food_licence(small_catalogue):
    result = plan({"area": 80, "chain": False, "cuisine": "hot"})
    assert item_codes(result) == ["small_food_licence"]
    assert result.complete


def test_a_large_restaurant_needs_the_food_licence_and_the_fire_check(small_catalogue):
    result = plan({"area": 400, "chain": False, "cuisine": "hot"})
    assert item_codes(result) == ["food_business_licence", "fire_safety_check"]
    assert result.figures.materials_separate == 7
    assert result.figures.materials_merged == 5
    assert [m.material.code for m in result.materials] == [
        "business_licence",
        "premises_proof",
        "floor_plan",
        "food_safety_rules",
        "fire_commitment",
    ]


def test_a_chain_needs_the_food_licence_whatever_its_size(small_catalogue):
    assert item_codes(plan({"area": 50, "chain": True})) == ["food_business_licence"]


def test_thresholds_are_those_of_the_district(small_catalogue):
    # 朝阳区 sets the fire-check threshold at 200 ㎡ in the fixture; the city's is 300 ㎡.
    assert "fire_safety_check" not in item_codes(plan({"area": 250, "chain": False}))
    chaoyang = plan({"area": 250, "chain": False}, district="110105")
    assert "fire_safety_check" in item_codes(chaoyang)


def test_the_one_form_asks_each_element_once_and_says_who_needs_it(small_catalogue):
    result = plan({"area": 400, "chain": False})
    codes = [f.element.code for f in result.fields]
    # Six elements of the two items, and the identity block the certificate shows.
    assert len(codes) == len(set(codes)) == 9
    assert {"legal_representative", "legal_rep_id_number", "premises_address"} <= set(codes)
    identity = next(f for f in result.fields if f.element.code == "legal_representative")
    assert identity.required and identity.item_names == []
    assert [s.code for s in result.sections] == [
        "enterprise",
        "premises",
        "operations",
        "facilities",
    ]
    area = next(f for f in result.fields if f.element.code == "premises_area")
    assert area.item_names == ["食品经营许可（新办）", "公众聚集场所投入使用、营业前消防安全检查"]
    assert area.prefill == 400


def test_answers_to_hidden_questions_are_dropped(small_catalogue):
    result = plan({"chain": True, "cuisine": "cold"})
    assert "cuisine" not in result.answers


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"area": "big"}, "area", "请填写数字"),
        ({"area": 0}, "area", "不能小于 1㎡"),
        ({"area": 200000}, "area", "不能大于 100000㎡"),
        ({"chain": "maybe"}, "chain", "请回答“是”或“否”"),
        ({"cuisine": "raw"}, "cuisine", "所选答案不在选项之中"),
        ({"seats": 10}, "seats", "没有这个问题"),
    ],
)
def test_bad_answers_are_refused_with_a_message_per_question(
    small_catalogue, answers, field, message
):
    with pytest.raises(DomainError) as caught:
        plan(answers)
    assert caught.value.status == 422
    assert caught.value.fields == {field: message}


def test_a_published_industry_is_planned_from_memory(small_catalogue, django_assert_num_queries):
    plan({"area": 400})
    industry = industry_get(code="restaurant")
    with django_assert_num_queries(0):
        plan_compute(industry=industry, answers={"area": 400, "chain": True}, district=None)


def test_a_follow_up_may_depend_on_a_threshold(small_catalogue):
    Question.objects.filter(code="cuisine").update(
        show_when={"q": "area", "gt": {"param": "fire_check_area"}}
    )
    plan_module._COMPILED.clear()  # the published version was changed under the cache
    assert "cuisine" not in [q.question.code for q in plan({"area": 250}).questions]
    shown = plan({"area": 250}, district="110105").questions
    assert "cuisine" in [q.question.code for q in shown]
