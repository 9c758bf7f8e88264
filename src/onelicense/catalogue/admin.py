"""Editing the catalogue in the Django admin: drafts are editable, published versions are not."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from onelicense.catalogue.models import (
    ApprovalItem,
    CatalogueVersion,
    Industry,
    IndustryItem,
    InfoElement,
    ItemElement,
    ItemMaterial,
    Material,
    Option,
    Parameter,
    Question,
)
from onelicense.catalogue.services import catalogue_copy, catalogue_publish, catalogue_retire
from onelicense.core.errors import DomainError


def _editable(obj: Any) -> bool:
    """A row may change only while its catalogue version is a draft."""
    if obj is None:
        return True
    version = obj if isinstance(obj, CatalogueVersion) else getattr(obj, "version", None)
    if version is None:
        for parent in ("item", "industry", "question"):
            if hasattr(obj, parent):
                return _editable(getattr(obj, parent))
    return bool(version is None or version.is_editable)


class DraftOnlyMixin:
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(self, InlineModelAdmin):
            return _editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]
        return super().has_add_permission(request)  # type: ignore[misc,no-any-return]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "version":
            kwargs["queryset"] = CatalogueVersion.objects.filter(
                status=CatalogueVersion.Status.DRAFT
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(DraftOnlyMixin, admin.ModelAdmin[CatalogueVersion]):
    list_display = ["code", "title", "status", "valid_from", "valid_until", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "imported_from", "created_at"]
    actions = ["publish", "copy_as_draft", "retire"]

    @admin.action(description="发布所选草稿")
    def publish(self, request: HttpRequest, queryset: QuerySet[CatalogueVersion]) -> None:
        self._each(request, queryset, lambda v: catalogue_publish(version=v, actor=request.user))

    @admin.action(description="复制为新草稿")
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[CatalogueVersion]) -> None:
        self._each(request, queryset, lambda v: catalogue_copy(version=v, actor=request.user))

    @admin.action(description="停用所选版本")
    def retire(self, request: HttpRequest, queryset: QuerySet[CatalogueVersion]) -> None:
        self._each(request, queryset, lambda v: catalogue_retire(version=v, actor=request.user))

    def _each(self, request: HttpRequest, queryset: QuerySet[CatalogueVersion], act: Any) -> None:
        for version in queryset:
            try:
                result = act(version)
            except DomainError as exc:
                self.message_user(request, f"{version.code}：{exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{result.code}：已完成")


class ItemMaterialInline(DraftOnlyMixin, admin.TabularInline[ItemMaterial, ApprovalItem]):
    model = ItemMaterial
    extra = 0
    autocomplete_fields = ["material"]


class ItemElementInline(DraftOnlyMixin, admin.TabularInline[ItemElement, ApprovalItem]):
    model = ItemElement
    extra = 0
    autocomplete_fields = ["element"]


@admin.register(ApprovalItem)
class ApprovalItemAdmin(DraftOnlyMixin, admin.ModelAdmin[ApprovalItem]):
    list_display = [
        "name",
        "code",
        "department",
        "statutory_limit_days",
        "promised_limit_days",
        "commitment_allowed",
        "version",
    ]
    list_filter = ["version", "department", "commitment_allowed", "kind"]
    search_fields = ["name", "code", "national_code"]
    inlines = [ItemMaterialInline, ItemElementInline]


class IndustryItemInline(DraftOnlyMixin, admin.TabularInline[IndustryItem, Industry]):
    model = IndustryItem
    extra = 0
    autocomplete_fields = ["item"]


class QuestionInline(DraftOnlyMixin, admin.StackedInline[Question, Industry]):
    model = Question
    extra = 0
    show_change_link = True


@admin.register(Industry)
class IndustryAdmin(DraftOnlyMixin, admin.ModelAdmin[Industry]):
    list_display = ["name", "code", "category", "lead_department", "form_mode", "online_depth"]
    list_filter = ["version", "category", "form_mode", "online_depth"]
    search_fields = ["name", "code", "search_text"]
    inlines = [QuestionInline, IndustryItemInline]


class OptionInline(DraftOnlyMixin, admin.TabularInline[Option, Question]):
    model = Option
    extra = 0


@admin.register(Question)
class QuestionAdmin(DraftOnlyMixin, admin.ModelAdmin[Question]):
    list_display = ["text", "code", "industry", "type"]
    list_filter = ["industry__version"]
    search_fields = ["text", "code"]
    inlines = [OptionInline]


@admin.register(Material)
class MaterialAdmin(DraftOnlyMixin, admin.ModelAdmin[Material]):
    list_display = ["name", "code", "form", "version"]
    list_filter = ["version", "form"]
    search_fields = ["name", "code"]


@admin.register(InfoElement)
class InfoElementAdmin(DraftOnlyMixin, admin.ModelAdmin[InfoElement]):
    list_display = ["label", "code", "type", "section", "version"]
    list_filter = ["version", "section", "type"]
    search_fields = ["label", "code"]


@admin.register(Parameter)
class ParameterAdmin(DraftOnlyMixin, admin.ModelAdmin[Parameter]):
    list_display = ["label", "code", "value", "unit", "version"]
    list_filter = ["version"]
