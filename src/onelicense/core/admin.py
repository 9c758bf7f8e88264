from django.contrib import admin

from onelicense.core.models import CalendarDay, CalendarYear, Event


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    list_display = ["year", "complete", "source"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["created_at", "verb", "subject_type", "subject_id", "actor"]
    list_filter = ["verb", "subject_type"]
    search_fields = ["subject_id", "reason"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # the audit trail is never edited

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
