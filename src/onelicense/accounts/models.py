from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """区：one of Beijing's sixteen districts or the economic-technological area."""

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("区")
        verbose_name_plural = _("区")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class DepartmentKind(models.Model):
    """部门类别：a kind of department that exists in every district (区市场监督管理局…)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    city_name = models.CharField(_("市级机构名称"), max_length=60)
    district_level = models.BooleanField(_("设区级机构"), default=True)

    class Meta:
        verbose_name = _("部门类别")
        verbose_name_plural = _("部门类别")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"区{self.name}" if self.district_level else self.city_name


class Department(models.Model):
    """部门：one department of one district, or a city-level body when `district` is empty."""

    kind = models.ForeignKey(
        DepartmentKind, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="departments"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    name = models.CharField(_("名称"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["district__order", "kind_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "district"], name="department_one_per_district"
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(district=None), name="department_one_city_body"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """用户：an applicant or a member of staff, scoped by role to a district or department."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("申请人")
        CLERK = "clerk", _("综合窗口人员")
        REVIEWER = "reviewer", _("审批人员")
        DISTRICT_ADMIN = "district_admin", _("区政务服务管理员")
        CITY_ADMIN = "city_admin", _("市级管理员")
        INSPECTOR = "inspector", _("执法检查人员")

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True)
    is_lead = models.BooleanField(
        _("部门负责人"), default=False, help_text=_("可批准本部门事项延期")
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("所属区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # A reviewer or inspector belongs to one department (and so one district); a clerk
            # or district admin to one district; applicants and city admins to neither.
            models.CheckConstraint(
                condition=(
                    Q(role__in=["reviewer", "inspector"], department__isnull=False)
                    | Q(
                        role__in=["clerk", "district_admin"],
                        district__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        role__in=["applicant", "city_admin"],
                        district__isnull=True,
                        department__isnull=True,
                    )
                ),
                name="user_scope_fits_role",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.role != self.Role.APPLICANT

    @property
    def scope_district(self) -> District | None:
        """The district whose work this user may see; None for applicants and the city."""
        if self.department_id is not None:
            return self.department.district  # type: ignore[union-attr]
        return self.district
