from django.db import migrations


def load_places(apps, schema_editor):
    from onelicense.accounts.places import DEPARTMENT_KINDS, DISTRICTS

    District = apps.get_model("accounts", "District")
    DepartmentKind = apps.get_model("accounts", "DepartmentKind")
    Department = apps.get_model("accounts", "Department")
    districts = [
        District.objects.update_or_create(code=row.code, defaults={"name": row.name, "order": i})[0]
        for i, row in enumerate(DISTRICTS)
    ]
    for row in DEPARTMENT_KINDS:
        kind, _ = DepartmentKind.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "city_name": row.city_name,
                "district_level": row.district_level,
            },
        )
        Department.objects.get_or_create(kind=kind, district=None, defaults={"name": row.city_name})
        if row.district_level:
            for district in districts:
                Department.objects.get_or_create(
                    kind=kind, district=district, defaults={"name": f"{district.name}{row.name}"}
                )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_places, migrations.RunPython.noop)]
