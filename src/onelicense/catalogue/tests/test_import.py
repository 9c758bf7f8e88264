"""Importing and exporting the catalogue file: round trips, and every fault refused whole."""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from onelicense.catalogue import services
from onelicense.catalogue.models import ApprovalItem, CatalogueVersion, Industry, Material
from onelicense.catalogue.services import catalogue_export, catalogue_import
from onelicense.core.errors import DomainError
from onelicense.core.models import Event

FIXTURE = Path(__file__).parent / "fixtures" / "small.yaml"


def small() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FIXTURE.read_text("utf-8"))
    return data


def import_changed(change: Callable[[dict[str, Any]], None]) -> DomainError:
    data = small()
    change(data)
    with pytest.raises(DomainError) as caught:
        catalogue_import(text=yaml.safe_dump(data, allow_unicode=True), filename="bad.yaml")
    assert CatalogueVersion.objects.count() == 0
    assert Material.objects.count() == 0
    assert Event.objects.count() == 0
    return caught.value


def restaurant(data: dict[str, Any]) -> dict[str, Any]:
    return next(i for i in data["industries"] if i["code"] == "restaurant")


def item(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in data["items"] if i["code"] == code)


@pytest.mark.django_db
class TestRoundTrip:
    def test_export_of_an_import_gives_back_the_same_bytes(self) -> None:
        text = FIXTURE.read_text("utf-8")
        version = catalogue_import(text=text, filename=FIXTURE.name)
        assert catalogue_export(version=version) == text

    def test_reimporting_an_export_under_a_new_code_recreates_the_version(self) -> None:
        first = catalogue_import(text=FIXTURE.read_text("utf-8"), filename=FIXTURE.name)
        exported = yaml.safe_load(catalogue_export(version=first))
        exported["catalogue"]["code"] = "test-small-2"
        second = catalogue_import(text=yaml.safe_dump(exported, allow_unicode=True), filename="x")
        again = yaml.safe_load(catalogue_export(version=second))
        again["catalogue"]["code"] = first.code
        assert again == yaml.safe_load(catalogue_export(version=first))

    def test_import_records_the_file_and_an_event(self) -> None:
        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename=FIXTURE.name)
        assert version.imported_from == "small.yaml"
        assert version.status == CatalogueVersion.Status.DRAFT
        assert Event.objects.filter(verb="catalogue_imported").count() == 1

    def test_import_with_publish_publishes(self) -> None:
        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename="f", publish=True)
        assert version.status == CatalogueVersion.Status.PUBLISHED
        assert version.published_at is not None

    def test_import_stores_the_facts_with_their_provenance(self) -> None:
        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename=FIXTURE.name)
        food = ApprovalItem.objects.get(version=version, code="food_business_licence")
        assert food.department.code == "market_regulation"
        assert (food.statutory_limit_days, food.promised_limit_days) == (20, 10)
        assert food.source_of("statutory_limit_days") == "https://example.gov.cn/food"
        fire = ApprovalItem.objects.get(version=version, code="fire_safety_check")
        assert fire.commitment_allowed and fire.verification_days == 20
        assert fire.permit_validity_months is None
        assert fire.source_of("name") == "assumed"

    def test_pinyin_and_aliases_are_searchable(self) -> None:
        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename=FIXTURE.name)
        coffee = Industry.objects.get(version=version, code="coffee_shop")
        assert "kafei" in coffee.search_text
        assert "奶茶" in coffee.search_text


@pytest.mark.django_db
class TestFaultsImportNothing:
    def test_unknown_department(self) -> None:
        error = import_changed(
            lambda d: item(d, "fire_safety_check").update(department="fire_brigade")
        )
        assert (
            "bad.yaml：items（fire_safety_check）.department：未知的部门“fire_brigade”"
            in error.message
        )

    def test_rule_naming_a_missing_question(self) -> None:
        def change(d: dict[str, Any]) -> None:
            restaurant(d)["items"][2]["when"] = {"q": "seats", "gt": 50}

        error = import_changed(change)
        assert "industries（restaurant）.items（fire_safety_check）.when" in error.message
        assert "问题“seats”在该行业中不存在" in error.message

    def test_rule_naming_a_missing_option(self) -> None:
        def change(d: dict[str, Any]) -> None:
            restaurant(d)["items"][0]["when"] = {"q": "cuisine", "eq": "raw"}

        assert "没有选项“raw”" in import_changed(change).message

    def test_rule_naming_a_missing_parameter(self) -> None:
        def change(d: dict[str, Any]) -> None:
            restaurant(d)["items"][2]["when"] = {"q": "area", "gt": {"param": "nowhere"}}

        assert "阈值参数“nowhere”未定义" in import_changed(change).message

    def test_cycle_of_follow_ups(self) -> None:
        def change(d: dict[str, Any]) -> None:
            questions = restaurant(d)["questions"]
            questions[0]["show_when"] = {"q": "chain", "eq": True}
            questions[1]["show_when"] = {"q": "cuisine", "eq": "hot"}

        error = import_changed(change)
        assert "追问条件形成循环" in error.message
        assert "area → cuisine → chain → area" in error.message or "→" in error.message

    def test_question_following_itself(self) -> None:
        def change(d: dict[str, Any]) -> None:
            restaurant(d)["questions"][1]["show_when"] = {"q": "chain", "eq": True}

        assert "追问条件形成循环：chain → chain" in import_changed(change).message

    def test_negative_time_limit(self) -> None:
        error = import_changed(
            lambda d: item(d, "small_food_licence").update(statutory_limit_days=-5)
        )
        assert "items（small_food_licence）.statutory_limit_days：时限须为非负整数" in error.message

    def test_missing_time_limit(self) -> None:
        error = import_changed(lambda d: item(d, "small_food_licence").pop("promised_limit_days"))
        assert "items（small_food_licence）.promised_limit_days：缺少必填字段" in error.message

    def test_promised_limit_above_statutory(self) -> None:
        error = import_changed(
            lambda d: item(d, "small_food_licence").update(promised_limit_days=30)
        )
        assert "承诺时限不能超过法定时限" in error.message

    def test_duplicate_item_code(self) -> None:
        error = import_changed(lambda d: d["items"].append(copy.deepcopy(d["items"][0])))
        assert (
            "items（food_business_licence）.code：代码“food_business_licence”重复" in error.message
        )

    def test_duplicate_question_code(self) -> None:
        def change(d: dict[str, Any]) -> None:
            questions = restaurant(d)["questions"]
            questions.append(copy.deepcopy(questions[1]))

        assert "代码“chain”重复" in import_changed(change).message

    def test_undefined_material(self) -> None:
        error = import_changed(
            lambda d: item(d, "fire_safety_check")["materials"].append({"code": "x_ray"})
        )
        assert "材料“x_ray”未定义" in error.message

    def test_unknown_field(self) -> None:
        error = import_changed(lambda d: item(d, "fire_safety_check").update(colour="red"))
        assert "items（fire_safety_check）.colour：未知字段“colour”" in error.message

    def test_unknown_district_in_a_threshold(self) -> None:
        error = import_changed(lambda d: d["parameters"][0]["districts"].update({"999999": 1}))
        assert "未知的区划代码“999999”" in error.message

    def test_bad_source(self) -> None:
        error = import_changed(
            lambda d: item(d, "fire_safety_check").update(sources={"*": "a book"})
        )
        assert "来源须为 http(s) 网址" in error.message

    def test_numeric_comparison_on_a_yes_no_question(self) -> None:
        def change(d: dict[str, Any]) -> None:
            restaurant(d)["items"][2]["when"] = {"q": "chain", "gt": 1}

        assert "不是数值问题" in import_changed(change).message

    def test_every_fault_is_listed_at_once(self) -> None:
        def change(d: dict[str, Any]) -> None:
            item(d, "fire_safety_check")["department"] = "nobody"
            item(d, "small_food_licence")["statutory_limit_days"] = -1

        error = import_changed(change)
        assert "有 2 处错误" in error.message
        assert len(error.fields) == 2

    def test_invalid_yaml(self) -> None:
        with pytest.raises(DomainError) as caught:
            catalogue_import(text="catalogue: [unclosed", filename="broken.yaml")
        assert caught.value.message.startswith("broken.yaml：第 ")
        assert caught.value.message.endswith("不是有效的 YAML")
        assert CatalogueVersion.objects.count() == 0

    def test_existing_version_code(self) -> None:
        text = FIXTURE.read_text("utf-8")
        catalogue_import(text=text, filename="a.yaml")
        with pytest.raises(DomainError) as caught:
            catalogue_import(text=text, filename="b.yaml")
        assert caught.value.code == "catalogue_version_exists"
        assert CatalogueVersion.objects.count() == 1

    def test_a_failure_while_writing_leaves_nothing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real = services._industry_create
        calls = []

        def failing(*args: Any, **kwargs: Any) -> Industry:
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return real(*args, **kwargs)

        monkeypatch.setattr(services, "_industry_create", failing)
        with pytest.raises(RuntimeError):
            catalogue_import(text=FIXTURE.read_text("utf-8"), filename=FIXTURE.name)
        assert CatalogueVersion.objects.count() == 0
        assert ApprovalItem.objects.count() == 0


@pytest.mark.django_db
class TestVersionLifecycle:
    def test_a_copy_is_a_draft_with_the_same_content(self) -> None:
        from onelicense.catalogue.services import catalogue_copy

        original = catalogue_import(text=FIXTURE.read_text("utf-8"), filename="f", publish=True)
        copy_ = catalogue_copy(version=original)
        assert copy_.code == "test-small-r2"
        assert copy_.status == CatalogueVersion.Status.DRAFT
        exported = yaml.safe_load(catalogue_export(version=copy_))
        exported["catalogue"]["code"] = original.code
        assert exported == yaml.safe_load(catalogue_export(version=original))

    def test_publishing_twice_is_refused(self) -> None:
        from onelicense.catalogue.services import catalogue_publish

        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename="f", publish=True)
        with pytest.raises(DomainError) as caught:
            catalogue_publish(version=version)
        assert caught.value.code == "catalogue_not_draft"

    def test_a_retired_version_is_no_longer_current(self) -> None:
        from onelicense.catalogue.selectors import version_current
        from onelicense.catalogue.services import catalogue_retire

        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename="f", publish=True)
        assert version_current() == version
        catalogue_retire(version=version)
        with pytest.raises(DomainError) as caught:
            version_current()
        assert caught.value.status == 404

    def test_published_rows_are_read_only_in_the_admin(self, admin_client) -> None:
        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename="f", publish=True)
        item = ApprovalItem.objects.get(version=version, code="fire_safety_check")
        url = f"/admin/catalogue/approvalitem/{item.pk}/change/"
        response = admin_client.post(url, {"name": "改名", "statutory_limit_days": 1})
        assert response.status_code == 403
        item.refresh_from_db()
        assert item.name == "公众聚集场所投入使用、营业前消防安全检查"

    def test_draft_rows_open_for_editing_in_the_admin(self, admin_client) -> None:
        version = catalogue_import(text=FIXTURE.read_text("utf-8"), filename="f")
        item = ApprovalItem.objects.get(version=version, code="fire_safety_check")
        response = admin_client.get(f"/admin/catalogue/approvalitem/{item.pk}/change/")
        assert response.status_code == 200
        assert "保存" in response.content.decode()
