"""Parallel review in the Django admin: to look, not to change. Every change of a case goes
through the services, which check the rule and leave an event."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onelicense.approvals.models import CaseAction, ItemCase, Verification


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseActionInline(ReadOnlyMixin, admin.TabularInline[CaseAction, ItemCase]):
    model = CaseAction
    fields = ("created_at", "kind", "actor", "approved_by", "reason", "details")
    readonly_fields = fields
    extra = 0


@admin.register(ItemCase)
class ItemCaseAdmin(ReadOnlyMixin, admin.ModelAdmin[ItemCase]):
    list_display = [
        "application",
        "item",
        "department",
        "status",
        "route",
        "assignee",
        "started_on",
        "due_date",
        "decided_at",
    ]
    list_filter = ["status", "route", "department__district", "department"]
    list_select_related = ["application", "item", "department", "assignee"]
    search_fields = ["application__number", "permit_number", "item__name"]
    date_hierarchy = "started_on"
    ordering = ["due_date", "id"]
    inlines = [CaseActionInline]


@admin.register(CaseAction)
class CaseActionAdmin(ReadOnlyMixin, admin.ModelAdmin[CaseAction]):
    list_display = ["created_at", "case", "kind", "actor", "approved_by"]
    list_filter = ["kind", "case__department"]
    list_select_related = ["case__application", "case__item", "actor", "approved_by"]
    search_fields = ["case__application__number", "reason"]
    date_hierarchy = "created_at"


@admin.register(Verification)
class VerificationAdmin(ReadOnlyMixin, admin.ModelAdmin[Verification]):
    list_display = ["case", "due_date", "outcome", "rectify_by", "checked_at", "checked_by"]
    list_filter = ["outcome", "case__department"]
    list_select_related = ["case__application", "case__item", "checked_by"]
    search_fields = ["case__application__number"]
    date_hierarchy = "due_date"
