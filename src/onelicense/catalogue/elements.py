"""Checking one value of one information element, by the element's type and validation data."""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from onelicense.accounts.models import District
from onelicense.catalogue.models import InfoElement

PHONE = re.compile(r"^1[3-9]\d{9}$")


class ElementValueError(ValueError):
    """A value an element does not accept; the message is Chinese and names no field."""


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def element_value_clean(element: InfoElement, value: Any, district: District | None) -> Any:
    """The value as stored (strings trimmed, numbers as strings of decimals), or an error."""
    if is_blank(value):
        return None
    rules = element.validation or {}
    kind = element.type
    if kind in (InfoElement.Type.INTEGER, InfoElement.Type.DECIMAL):
        return _number(value, rules, integer=kind == InfoElement.Type.INTEGER)
    if kind == InfoElement.Type.BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ElementValueError("请选择“是”或“否”")
    if kind in (InfoElement.Type.CHOICE, InfoElement.Type.MULTICHOICE):
        return _choice(value, rules, multiple=kind == InfoElement.Type.MULTICHOICE)
    if kind == InfoElement.Type.DATE:
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ElementValueError("日期格式应为 年-月-日，如 2026-03-01") from exc
    text = str(value).strip()
    checks: dict[str, Callable[[str], str]] = {
        InfoElement.Type.USCC: _uscc,
        InfoElement.Type.ID_NUMBER: _id_number,
        InfoElement.Type.PHONE: _phone,
    }
    if kind in checks:
        return checks[kind](text)
    if "max_length" in rules and len(text) > int(rules["max_length"]):
        raise ElementValueError(f"不能超过 {rules['max_length']} 个字")
    if "pattern" in rules and not re.fullmatch(str(rules["pattern"]), text):
        raise ElementValueError("格式不正确")
    if kind == InfoElement.Type.ADDRESS and rules.get("in_district"):
        _in_district(text, district)
    return text


def _in_district(address: str, district: District | None) -> None:
    if district is not None and district.name not in address:
        raise ElementValueError(f"地址应位于{district.name}（请写明“{district.name}”）")


def _number(value: Any, rules: dict[str, Any], *, integer: bool) -> str:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ElementValueError("请填写数字") from exc
    if not number.is_finite():
        raise ElementValueError("请填写数字")
    if integer and number != number.to_integral_value():
        raise ElementValueError("请填写整数")
    if "min" in rules and number < Decimal(str(rules["min"])):
        raise ElementValueError(f"不能小于 {rules['min']}")
    if "max" in rules and number > Decimal(str(rules["max"])):
        raise ElementValueError(f"不能大于 {rules['max']}")
    # Written out in full: 400, not 4E+2; 120.50 as typed.
    return f"{number.normalize():f}" if number == number.to_integral_value() else f"{number:f}"


def _choice(value: Any, rules: dict[str, Any], *, multiple: bool) -> Any:
    allowed = [option["code"] for option in rules.get("choices", [])]
    chosen = value if isinstance(value, list) else [value]
    if not multiple and len(chosen) != 1:
        raise ElementValueError("请选择一项")
    for code in chosen:
        if code not in allowed:
            raise ElementValueError("所选内容不在可选范围内")
    return [code for code in allowed if code in chosen] if multiple else chosen[0]


def _uscc(text: str) -> str:
    code = text.upper()
    if len(code) != 18:
        raise ElementValueError("统一社会信用代码应为 18 位")
    try:
        return str(uscc.validate(code))
    except StdnumError as exc:
        raise ElementValueError("统一社会信用代码校验位不正确，请核对") from exc


def _id_number(text: str) -> str:
    code = text.upper()
    if len(code) != 18:
        raise ElementValueError("居民身份证号码应为 18 位")
    try:
        return str(ric.validate(code))
    except StdnumError as exc:
        raise ElementValueError("居民身份证号码不正确（出生日期或校验位有误），请核对") from exc


def _phone(text: str) -> str:
    if not PHONE.match(text):
        raise ElementValueError("请填写 11 位手机号码，如 13800138000")
    return text
