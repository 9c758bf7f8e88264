from decimal import Decimal

import pytest

from onelicense.catalogue.rules import RuleError, check, evaluate, params_in, questions_in

PARAMS = {"fire_check_area": Decimal(300)}


def lookup(code: str) -> Decimal:
    return PARAMS[code]


@pytest.mark.parametrize(
    ("rule", "answers", "expected"),
    [
        (None, {}, True),
        ({"q": "area", "gt": 150}, {"area": 151}, True),
        ({"q": "area", "gt": 150}, {"area": 150}, False),
        ({"q": "area", "gte": 150}, {"area": "150"}, True),
        ({"q": "area", "lt": 60}, {"area": 59.5}, True),
        ({"q": "area", "lte": 60}, {"area": 61}, False),
        ({"q": "area", "gt": {"param": "fire_check_area"}}, {"area": 301}, True),
        ({"q": "area", "gt": {"param": "fire_check_area"}}, {"area": 300}, False),
        ({"q": "chain", "eq": True}, {"chain": True}, True),
        ({"q": "chain", "eq": True}, {"chain": False}, False),
        ({"q": "chain", "eq": False}, {}, False),
        ({"q": "tobacco", "eq": "retail"}, {"tobacco": "retail"}, True),
        ({"q": "tobacco", "ne": "retail"}, {"tobacco": "none"}, True),
        ({"q": "tobacco", "ne": "retail"}, {}, False),
        ({"q": "tobacco", "in": ["retail", "cigar"]}, {"tobacco": "cigar"}, True),
        ({"q": "sells", "has": "alcohol"}, {"sells": ["food", "alcohol"]}, True),
        ({"q": "sells", "has": "alcohol"}, {"sells": ["food"]}, False),
        ({"q": "area", "answered": True}, {"area": 10}, True),
        ({"q": "area", "answered": False}, {}, True),
        ({"q": "area", "gt": 10}, {"area": "not a number"}, False),
        (
            {"any": [{"q": "area", "gt": 150}, {"q": "chain", "eq": True}]},
            {"area": 100, "chain": True},
            True,
        ),
        (
            {"all": [{"q": "area", "lte": 150}, {"q": "chain", "eq": False}]},
            {"area": 100, "chain": True},
            False,
        ),
        ({"not": {"q": "chain", "eq": True}}, {"chain": False}, True),
    ],
)
def test_rule_evaluates(rule, answers, expected) -> None:
    assert evaluate(rule, answers, lookup) is expected


def test_thresholds_follow_the_lookup_so_districts_can_differ() -> None:
    rule = {"q": "area", "gt": {"param": "fire_check_area"}}
    assert evaluate(rule, {"area": 250}, lambda code: Decimal(200))
    assert not evaluate(rule, {"area": 250}, lookup)


@pytest.mark.parametrize(
    "rule",
    [
        "area > 5",
        {"q": "area"},
        {"q": "area", "gt": 1, "lt": 5},
        {"q": "area", "between": [1, 5]},
        {"all": []},
        {"all": [{"q": "a", "eq": 1}], "any": []},
        {"q": "area", "gt": "many"},
        {"q": "area", "gt": {"parameter": "x"}},
        {"q": "tobacco", "in": "retail"},
        {"q": "area", "answered": "yes"},
    ],
)
def test_malformed_rules_are_refused(rule) -> None:
    with pytest.raises(RuleError):
        check(rule)


def test_questions_and_params_read_by_a_rule() -> None:
    rule = {
        "any": [
            {"q": "area", "gt": {"param": "fire_check_area"}},
            {"not": {"q": "chain", "eq": True}},
        ]
    }
    assert list(questions_in(rule)) == ["area", "chain"]
    assert list(params_in(rule)) == ["fire_check_area"]
