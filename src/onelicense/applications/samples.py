"""Plausible values for any information element: for the demo's generated history and tests.

The enterprise identities are real-shaped (USCC and ID numbers with valid check digits), made
from a seed so that the same seed gives the same data.
"""

import datetime
import random
from typing import Any

from stdnum.cn import ric, uscc

from onelicense.accounts.models import District
from onelicense.catalogue.models import InfoElement
from onelicense.catalogue.plan import Plan

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明"]
TRADE = ["味道", "京韵", "禾丰", "悦享", "新源", "和顺", "嘉禾", "鑫盛", "安康", "晨光"]
STREETS = ["建国路", "朝阳北路", "中关村大街", "学院路", "长安街", "丰台路", "通惠河北路"]


def sample_uscc(rng: random.Random) -> str:
    body = f"91110105{rng.randrange(10**9):09d}"
    return body + uscc.calc_check_digit(body)


def sample_id_number(rng: random.Random) -> str:
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 40))
    body = f"110105{birth:%Y%m%d}{rng.randrange(1000):03d}"
    # stdnum's ric.calc_check_digit reads the 18th position, so a placeholder stands in for it.
    return body + ric.calc_check_digit(body + "0")


def sample_person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def sample_value(element: InfoElement, rng: random.Random, district: District) -> Any:
    """A value `element_value_clean` accepts for this element in this district."""
    rules = element.validation or {}
    kind = element.type
    if kind in (InfoElement.Type.INTEGER, InfoElement.Type.DECIMAL):
        low = int(rules.get("min", 1))
        high = min(int(rules.get("max", 1000)), max(low, 1) * 50 + 200)
        return str(rng.randint(low, max(low, high)))
    if kind == InfoElement.Type.BOOLEAN:
        return rng.random() < 0.5
    choices = [c["code"] for c in rules.get("choices", [])]
    if kind == InfoElement.Type.CHOICE:
        return rng.choice(choices)
    if kind == InfoElement.Type.MULTICHOICE:
        return rng.sample(choices, k=rng.randint(1, min(3, len(choices))))
    if kind == InfoElement.Type.DATE:
        return (datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(300))).isoformat()
    if kind == InfoElement.Type.USCC:
        return sample_uscc(rng)
    if kind == InfoElement.Type.ID_NUMBER:
        return sample_id_number(rng)
    if kind == InfoElement.Type.PHONE:
        return f"13{rng.randrange(10**9):09d}"
    if kind == InfoElement.Type.ADDRESS:
        return f"北京市{district.name}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
    if element.code == "enterprise_name":
        return f"北京{rng.choice(TRADE)}{element_suffix(rng)}有限公司"
    if element.code in ("legal_representative", "contact_person") or element.code.endswith(
        "_manager"
    ):
        return sample_person(rng)
    text = f"{element.label}（示例）"
    return text[: int(rules.get("max_length", 200))]


def element_suffix(rng: random.Random) -> str:
    return rng.choice(["餐饮", "商贸", "文化", "健康", "科技", "服务"])


def sample_form(plan: Plan, rng: random.Random) -> dict[str, Any]:
    """Every field of the plan's one form filled in (prefills from the answers kept)."""
    assert plan.district is not None
    return {
        field.element.code: field.prefill
        if field.prefill not in (None, "")
        else sample_value(field.element, rng, plan.district)
        for field in plan.fields
    }
