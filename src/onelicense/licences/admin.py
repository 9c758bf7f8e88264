"""Permits, certificates and signing keys in the Django admin: to look, not to change. Every
change goes through the services (licences.services, licences.keys), which check the rule and
leave an event; a certificate is never edited, only reissued or voided."""

from django.contrib import admin

from onelicense.approvals.admin import ReadOnlyMixin
from onelicense.licences.models import (
    Certificate,
    CertificateEntry,
    Permit,
    PermitEvent,
    SigningKey,
)


class PermitEventInline(ReadOnlyMixin, admin.TabularInline[PermitEvent, Permit]):
    model = PermitEvent
    fields = (
        "created_at",
        "operation",
        "from_status",
        "to_status",
        "actor",
        "reason",
        "legal_basis",
    )
    readonly_fields = fields
    extra = 0


@admin.register(Permit)
class PermitAdmin(ReadOnlyMixin, admin.ModelAdmin[Permit]):
    list_display = ["number", "name", "holder", "department", "status", "valid_from", "valid_until"]
    list_filter = ["status", "department__district", "department"]
    list_select_related = ["holder", "department"]
    search_fields = ["number", "holder__name", "holder__uscc", "application__number"]
    date_hierarchy = "valid_from"
    inlines = [PermitEventInline]


@admin.register(PermitEvent)
class PermitEventAdmin(ReadOnlyMixin, admin.ModelAdmin[PermitEvent]):
    list_display = ["created_at", "permit", "operation", "from_status", "to_status", "actor"]
    list_filter = ["operation", "permit__department"]
    list_select_related = ["permit", "actor"]
    search_fields = ["permit__number", "reason", "legal_basis"]
    date_hierarchy = "created_at"


class CertificateEntryInline(ReadOnlyMixin, admin.TabularInline[CertificateEntry, Certificate]):
    model = CertificateEntry
    fields = ("order", "item", "permit")
    readonly_fields = fields
    extra = 0


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyMixin, admin.ModelAdmin[Certificate]):
    list_display = ["number", "version", "holder", "district", "issued_at", "voided_at", "key_id"]
    list_filter = ["district", "industry"]
    list_select_related = ["holder", "district"]
    search_fields = ["number", "identifier", "holder__name", "holder__uscc", "application__number"]
    date_hierarchy = "issued_at"
    exclude = ["token", "token_mac"]
    inlines = [CertificateEntryInline]


@admin.register(CertificateEntry)
class CertificateEntryAdmin(ReadOnlyMixin, admin.ModelAdmin[CertificateEntry]):
    list_display = ["certificate", "item", "permit", "order"]
    list_select_related = ["certificate", "item", "permit"]
    search_fields = ["certificate__number", "permit__number", "item__name"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyMixin, admin.ModelAdmin[SigningKey]):
    """The public halves only: the private keys are in the key store, never in the database."""

    list_display = ["kid", "district", "algorithm", "created_at", "active", "retired_at"]
    list_filter = ["district", "algorithm", "active"]
    list_select_related = ["district"]
    search_fields = ["kid"]
