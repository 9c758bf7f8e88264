from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from onelicense.accounts.models import Department, DepartmentKind, District, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin[District]):
    list_display = ["code", "name"]


@admin.register(DepartmentKind)
class DepartmentKindAdmin(admin.ModelAdmin[DepartmentKind]):
    list_display = ["code", "name", "city_name", "district_level"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "kind", "district"]
    list_filter = ["district", "kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "display_name", "role", "district", "department"]
    list_filter = ["role", "district"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("角色与范围", {"fields": ("role", "display_name", "phone", "district", "department")}),
    )
