"""Read-only figures of the reform, rolled up from the other apps' tables, and the city's
rollout tracker (district work plans filed, 备案).

The rollup tables are derived data: `figures_refresh` deletes and recomputes the days it is
asked for from the source tables, so rows written straight into those tables (a bulk load of
history) count as soon as the days they fall on are refreshed. Nothing here is kept up to date
by the other apps' services or by signals.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import Department, District


class WorkingDayOrdinal(models.Model):
    """工作日序号：the working days counted from the table's first date up to this one.

    The working days after one date up to another are the difference of their ordinals, which
    a query gets with two lookups instead of walking the calendar case by case.
    """

    date = models.DateField(_("日期"), unique=True)
    ordinal = models.PositiveIntegerField(_("工作日序号"))

    class Meta:
        verbose_name = _("工作日序号")
        verbose_name_plural = _("工作日序号")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} #{self.ordinal}"


class Grain(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")


class Figure(models.Model):
    """统计数字：counts of one day or month, one district, one industry and, for the
    departments' cases, one department (empty for the application's own figures).

    Events count on the day they happened: received on submission, accepted or refused on the
    window's decision, completed on completion, withdrawn on the application's last change,
    cases on their decision, corrections when requested, verifications when checked,
    certificates when issued or voided.
    """

    grain = models.CharField(_("粒度"), max_length=5, choices=Grain.choices)
    period = models.DateField(_("日期或月份首日"))
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    industry_code = models.SlugField(_("行业代码"), max_length=60)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    received = models.PositiveIntegerField(_("收件"), default=0)
    accepted = models.PositiveIntegerField(_("受理"), default=0)
    refused = models.PositiveIntegerField(_("不予受理"), default=0)
    withdrawn = models.PositiveIntegerField(_("撤回"), default=0)
    completed = models.PositiveIntegerField(_("办结"), default=0)
    cases_decided = models.PositiveIntegerField(_("单项审批办结"), default=0)
    cases_approved = models.PositiveIntegerField(_("准予许可"), default=0)
    cases_refused = models.PositiveIntegerField(_("不予许可"), default=0)
    cases_on_time = models.PositiveIntegerField(_("承诺时限内办结"), default=0)
    cases_within_statutory = models.PositiveIntegerField(_("法定时限内办结"), default=0)
    commitment_cases = models.PositiveIntegerField(_("告知承诺办结"), default=0)
    working_days = models.PositiveIntegerField(_("实际用时合计（工作日）"), default=0)
    promised_days = models.PositiveIntegerField(_("承诺时限合计（工作日）"), default=0)
    statutory_days = models.PositiveIntegerField(_("法定时限合计（工作日）"), default=0)
    corrections = models.PositiveIntegerField(_("补正告知"), default=0)
    verifications_confirmed = models.PositiveIntegerField(_("核查属实"), default=0)
    verifications_rectify = models.PositiveIntegerField(_("责令整改"), default=0)
    verifications_revoked = models.PositiveIntegerField(_("撤销许可"), default=0)
    certificates_issued = models.PositiveIntegerField(_("颁发凭证"), default=0)
    certificates_reissued = models.PositiveIntegerField(_("换发凭证"), default=0)
    certificates_voided = models.PositiveIntegerField(_("作废凭证"), default=0)

    class Meta:
        verbose_name = _("统计数字")
        verbose_name_plural = _("统计数字")
        indexes = [
            models.Index(fields=["grain", "period"], name="figure_period"),
            models.Index(fields=["district", "grain", "period"], name="figure_district_period"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.period} {self.district_id} {self.industry_code}"


class Duration(models.Model):
    """办理用时分布：how many cases, decided in one day or month by one department for one
    industry, took a given number of working days — merged, they give an exact p90."""

    grain = models.CharField(_("粒度"), max_length=5, choices=Grain.choices)
    period = models.DateField(_("日期或月份首日"))
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    industry_code = models.SlugField(_("行业代码"), max_length=60)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    working_days = models.PositiveIntegerField(_("用时（工作日）"))
    cases = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("办理用时分布")
        verbose_name_plural = _("办理用时分布")
        indexes = [
            models.Index(fields=["grain", "period"], name="duration_period"),
            models.Index(fields=["district", "grain", "period"], name="duration_district_period"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.period} {self.department_id} {self.working_days}"


class Refresh(models.Model):
    """统计刷新：one recomputation of the figures, for the pages' 数据更新时间."""

    since = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"))
    rows = models.PositiveIntegerField(_("写入行数"), default=0)

    class Meta:
        verbose_name = _("统计刷新")
        verbose_name_plural = _("统计刷新")
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"{self.since}–{self.until} @ {self.finished_at:%Y-%m-%d %H:%M}"


class WorkPlanFiling(models.Model):
    """工作方案备案：a district's work plan for 一业一证, filed with the city (备案)."""

    district = models.ForeignKey(
        District, verbose_name=_("区"), on_delete=models.PROTECT, related_name="work_plans"
    )
    filed_on = models.DateField(_("备案日期"))
    title = models.CharField(_("方案名称"), max_length=120)
    reference = models.CharField(_("文号"), max_length=60)
    note = models.TextField(_("备注"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作方案备案")
        verbose_name_plural = _("工作方案备案")
        ordering = ["district__order", "-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "reference"], name="work_plan_once")
        ]

    def __str__(self) -> str:
        return f"{self.district} · {self.title}"
