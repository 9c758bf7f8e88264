"""Applications in the Django admin: read-only, since every change goes through the services and
leaves an event; only an enterprise's name and legal representative may be corrected here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onelicense.applications.models import (
    Application,
    ApplicationItem,
    Commitment,
    Enterprise,
    MaterialDeferral,
    MaterialFile,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApplicationItemInline(ReadOnlyMixin, admin.TabularInline[ApplicationItem, Application]):
    model = ApplicationItem
    fields = ("item", "route", "order")
    readonly_fields = fields
    extra = 0


class MaterialFileInline(ReadOnlyMixin, admin.TabularInline[MaterialFile, Application]):
    model = MaterialFile
    fields = ("material", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0


class MaterialDeferralInline(ReadOnlyMixin, admin.TabularInline[MaterialDeferral, Application]):
    model = MaterialDeferral
    fields = ("material", "due_date", "fulfilled_at")
    readonly_fields = fields
    extra = 0


class CommitmentInline(ReadOnlyMixin, admin.TabularInline[Commitment, Application]):
    model = Commitment
    fields = ("item", "signer_name", "signed_by", "signed_at")
    readonly_fields = fields
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin[Application]):
    list_display = [
        "number",
        "status",
        "district",
        "industry",
        "enterprise",
        "channel",
        "submitted_at",
        "decided_at",
    ]
    list_filter = ["status", "channel", "district", "industry__version", "industry__name"]
    list_select_related = ["district", "industry", "enterprise"]
    search_fields = ["number", "enterprise__uscc", "enterprise__name"]
    date_hierarchy = "submitted_at"
    ordering = ["-submitted_at", "-id"]
    inlines = [ApplicationItemInline, MaterialFileInline, MaterialDeferralInline, CommitmentInline]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = ["uscc", "name", "legal_representative", "updated_at"]
    search_fields = ["uscc", "name", "legal_representative"]
    readonly_fields = ["uscc", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # enterprises come from submitted applications

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # applications refer to them


@admin.register(MaterialFile)
class MaterialFileAdmin(ReadOnlyMixin, admin.ModelAdmin[MaterialFile]):
    list_display = [
        "original_name",
        "application",
        "material",
        "content_type",
        "size",
        "uploaded_at",
    ]
    list_filter = ["content_type"]
    # Materials are personal data: they are opened through the window's access check, never
    # by a bare storage URL.
    exclude = ["file"]
    list_select_related = ["application", "material"]
    search_fields = ["application__number", "original_name", "sha256"]
    date_hierarchy = "uploaded_at"
