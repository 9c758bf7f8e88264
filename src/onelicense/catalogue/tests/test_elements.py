import pytest

from onelicense.accounts.models import District
from onelicense.catalogue.elements import ElementValueError, element_value_clean
from onelicense.catalogue.models import InfoElement


def element(kind: str, **validation) -> InfoElement:
    return InfoElement(code="x", label="x", type=kind, section="enterprise", validation=validation)


@pytest.mark.parametrize(
    ("kind", "validation", "value", "expected"),
    [
        ("uscc", {}, "91110000600037341l", "91110000600037341L"),
        ("id_number", {}, "11010519491231002x", "11010519491231002X"),
        ("phone", {}, "13800138000", "13800138000"),
        ("decimal", {"min": 1}, "120.50", "120.50"),
        ("integer", {"max": 10}, "7", "7"),
        ("boolean", {}, "true", True),
        ("choice", {"choices": [{"code": "a", "label": "A"}]}, "a", "a"),
        (
            "multichoice",
            {"choices": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}]},
            ["b", "a"],
            ["a", "b"],
        ),
        ("date", {}, "2026-03-01", "2026-03-01"),
        ("text", {"max_length": 5}, "  五个字以内 ", "五个字以内"),
    ],
)
def test_good_values_are_cleaned(kind, validation, value, expected) -> None:
    assert element_value_clean(element(kind, **validation), value, None) == expected


def test_text_longer_than_allowed_is_refused() -> None:
    with pytest.raises(ElementValueError) as caught:
        element_value_clean(element("text", max_length=5), "六个字的名称", None)
    assert str(caught.value) == "不能超过 5 个字"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("uscc", "91110000600037341X", "统一社会信用代码校验位不正确，请核对"),
        ("uscc", "9111000060003734", "统一社会信用代码应为 18 位"),
        ("id_number", "110105194912310021", "居民身份证号码不正确（出生日期或校验位有误），请核对"),
        ("phone", "1380013800", "请填写 11 位手机号码，如 13800138000"),
        ("decimal", "abc", "请填写数字"),
        ("integer", "1.5", "请填写整数"),
        ("date", "2026/03/01", "日期格式应为 年-月-日，如 2026-03-01"),
    ],
)
def test_bad_values_get_a_chinese_message(kind, value, message) -> None:
    with pytest.raises(ElementValueError) as caught:
        element_value_clean(element(kind), value, None)
    assert str(caught.value) == message


@pytest.mark.django_db
def test_an_address_can_be_required_to_lie_in_the_district() -> None:
    chaoyang = District.objects.get(code="110105")
    address = element("address", in_district=True)
    assert (
        element_value_clean(address, "北京市朝阳区建国路1号", chaoyang) == "北京市朝阳区建国路1号"
    )
    with pytest.raises(ElementValueError) as caught:
        element_value_clean(address, "北京市海淀区中关村大街1号", chaoyang)
    assert str(caught.value) == "地址应位于朝阳区（请写明“朝阳区”）"


def test_blank_values_are_none() -> None:
    assert element_value_clean(element("text"), "", None) is None
    assert element_value_clean(element("multichoice"), [], None) is None
