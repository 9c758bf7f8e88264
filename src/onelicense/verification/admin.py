from django.contrib import admin
from django.http import HttpRequest

from onelicense.verification.models import ForeignIssuer, ForeignIssuerKey


class ForeignIssuerKeyInline(admin.TabularInline[ForeignIssuerKey, ForeignIssuer]):
    model = ForeignIssuerKey
    fields = ["kid", "signer_name", "algorithm", "retired_at", "imported_at"]
    readonly_fields = ["kid", "signer_name", "algorithm", "retired_at", "imported_at"]
    extra = 0
    can_delete = False


@admin.register(ForeignIssuer)
class ForeignIssuerAdmin(admin.ModelAdmin[ForeignIssuer]):
    """Imported through trust_list_import only, whose signature check is the point: read-only."""

    list_display = ["name", "region", "root_kid", "list_issued_at", "next_update", "imported_at"]
    readonly_fields = [
        "name",
        "region",
        "root_kid",
        "root_public_key_pem",
        "root_certificate_pem",
        "source",
        "list_issued_at",
        "next_update",
        "imported_at",
    ]
    inlines = [ForeignIssuerKeyInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
