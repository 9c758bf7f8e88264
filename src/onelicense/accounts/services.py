"""Writes to people and places."""

from typing import NamedTuple

from django.db import transaction

from onelicense.accounts.models import Department, District, User


class DemoLogin(NamedTuple):
    username: str
    password: str
    description: str


DEMO_PASSWORD = "demo-2023"

# (username, display name, role, district code, department kind code)
DEMO_PEOPLE: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("applicant", "张明（申请人）", User.Role.APPLICANT, None, None),
    ("clerk_chaoyang", "李华（朝阳区综合窗口）", User.Role.CLERK, "110105", None),
    (
        "market_chaoyang",
        "王芳（朝阳区市场监督管理局）",
        User.Role.REVIEWER,
        "110105",
        "market_regulation",
    ),
    ("fire_chaoyang", "赵强（朝阳区消防救援支队）", User.Role.REVIEWER, "110105", "fire_rescue"),
    ("tobacco_chaoyang", "孙丽（朝阳区烟草专卖局）", User.Role.REVIEWER, "110105", "tobacco"),
    ("admin_chaoyang", "周敏（朝阳区政务服务管理局）", User.Role.DISTRICT_ADMIN, "110105", None),
    (
        "inspector_chaoyang",
        "吴刚（朝阳区市场监管执法）",
        User.Role.INSPECTOR,
        "110105",
        "market_regulation",
    ),
    (
        "fire_inspector_chaoyang",
        "钱峰（朝阳区消防监督检查）",
        User.Role.INSPECTOR,
        "110105",
        "fire_rescue",
    ),
    ("clerk_haidian", "郑洁（海淀区综合窗口）", User.Role.CLERK, "110108", None),
    (
        "market_haidian",
        "陈晨（海淀区市场监督管理局）",
        User.Role.REVIEWER,
        "110108",
        "market_regulation",
    ),
    ("city_admin", "刘洋（市政务服务和数据管理局）", User.Role.CITY_ADMIN, None, None),
)


@transaction.atomic
def demo_accounts_ensure() -> list[DemoLogin]:
    """Create the demo logins that do not exist yet; running it twice changes nothing."""
    logins = []
    for username, name, role, district_code, kind_code in DEMO_PEOPLE:
        district = District.objects.get(code=district_code) if district_code else None
        department = (
            Department.objects.get(kind__code=kind_code, district=district) if kind_code else None
        )
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": name,
                "role": role,
                "district": None if department else district,
                "department": department,
                "is_staff": role == User.Role.CITY_ADMIN,
                "is_superuser": role == User.Role.CITY_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        logins.append(DemoLogin(username, DEMO_PASSWORD, name))
    return logins


@transaction.atomic
def inspectors_ensure(*, district: District, per_department: int, names: list[str]) -> int:
    """Give every department of the district `per_department` inspectors (执法检查人员), named in
    turn from `names`, without a password: the roster the random draw (双随机) picks from.
    Answers how many were created; running it twice creates none."""
    created = 0
    departments = Department.objects.filter(district=district).select_related("kind")
    for n, department in enumerate(departments):
        for k in range(1, per_department + 1):
            username = f"inspector-{district.code}-{department.kind.code}-{k}"
            name = names[(n * per_department + k) % len(names)]
            user, made = User.objects.get_or_create(
                username=username,
                defaults={
                    "display_name": f"{name}（{department.name}）",
                    "role": User.Role.INSPECTOR,
                    "department": department,
                },
            )
            if made:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                created += 1
    return created
