"""Checklists in the Django admin: the city admin edits check points here; an edit through the
admin marks the point edited, so that regenerating from the catalogue keeps it. The records of
inspections, complaints and grades are to look at: they change through the services."""

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from onelicense.supervision.models import (
    Assessment,
    Checklist,
    CheckPoint,
    Complaint,
    Inspection,
    SamplingPlan,
)


class CheckPointInline(admin.TabularInline[CheckPoint, Checklist]):
    model = CheckPoint
    fields = ("order", "code", "department", "item_name", "text", "legal_basis", "active", "edited")
    readonly_fields = ("edited",)
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin[Checklist]):
    list_display = ["industry_name", "industry_code", "generated_from", "generated_at"]
    search_fields = ["industry_name", "industry_code"]
    readonly_fields = ["generated_from", "generated_at"]
    inlines = [CheckPointInline]

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Checklist], formset: Any, change: bool
    ) -> None:
        points = formset.save(commit=False)
        for point in points:
            if point.pk and point.source == CheckPoint.Source.GENERATED:
                point.edited = True
            point.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnly, admin.ModelAdmin[Inspection]):
    list_display = ["enterprise", "district", "industry_code", "planned_for", "status"]
    list_filter = ["status", "district"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly, admin.ModelAdmin[Complaint]):
    list_display = ["enterprise", "status", "created_at", "handled_by"]
    list_filter = ["status"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly, admin.ModelAdmin[Assessment]):
    list_display = ["enterprise", "grade", "score", "rules_version", "computed_at"]
    list_filter = ["grade"]


@admin.register(SamplingPlan)
class SamplingPlanAdmin(ReadOnly, admin.ModelAdmin[SamplingPlan]):
    list_display = ["title", "district", "seed", "size", "created_at"]
