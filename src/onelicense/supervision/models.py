"""“6+4” supervision after approval: the compliance manual and checklist per industry (一业一册、
一业一单), joint inspections (一业一查) with their results and the actions they lead to, public
complaints (社会共治), credit-and-risk grades (一业一评) and the random sampling plans (双随机)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind, District
from onelicense.applications.models import Enterprise
from onelicense.licences.models import Permit


class Checklist(models.Model):
    """一业一单：the check points of one industry, generated from the catalogue, then edited."""

    industry_code = models.SlugField(_("行业代码"), max_length=60, unique=True)
    industry_name = models.CharField(_("行业名称"), max_length=60)
    introduction = models.TextField(_("合规手册说明"), blank=True)
    generated_from = models.CharField(_("生成自目录版本"), max_length=120, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("行业检查单")
        verbose_name_plural = _("行业检查单")
        ordering = ["industry_code"]

    def __str__(self) -> str:
        return str(self.industry_name)


class CheckPoint(models.Model):
    """检查要点：one obligation of an industry, with the department that checks it and its law."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("由目录生成")
        MANUAL = "manual", _("人工添加")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="points")
    code = models.SlugField(_("代码"), max_length=80)
    department = models.ForeignKey(
        DepartmentKind, verbose_name=_("检查部门"), on_delete=models.PROTECT, related_name="+"
    )
    item_code = models.SlugField(_("事项代码"), max_length=60, blank=True)
    item_name = models.CharField(_("事项"), max_length=120, blank=True)
    text = models.TextField(_("检查内容"))
    legal_basis = models.TextField(_("依据"))
    source = models.CharField(
        _("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    edited = models.BooleanField(
        _("已人工修改"), default=False, help_text=_("重新生成时保留人工修改的内容")
    )
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("检查要点")
        verbose_name_plural = _("检查要点")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="check_point_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.text[:30]}"


class SamplingPlan(models.Model):
    """双随机抽查计划：a seeded, weighted draw of a district's enterprises, recorded whole."""

    district = models.ForeignKey(
        District, verbose_name=_("区"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=120)
    seed = models.BigIntegerField(_("随机种子"))
    size = models.PositiveSmallIntegerField(_("抽取数量"))
    population = models.JSONField(_("抽取范围及权重"), default=list)
    exempt = models.JSONField(_("无事不扰名单"), default=list)
    drawn = models.JSONField(_("抽中企业"), default=list)
    # The second draw: USCC → {department code: [{"id", "name"}…]}, the inspectors picked.
    assignments = models.JSONField(_("抽中检查人员"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.title)


class Inspection(models.Model):
    """联合检查（综合查一次）：one visit to one enterprise by several departments' inspectors."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("待检查")
        COMPLETED = "completed", _("已完成")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        District, verbose_name=_("区"), on_delete=models.PROTECT, related_name="+"
    )
    industry_code = models.SlugField(_("行业代码"), max_length=60)
    departments = models.ManyToManyField(
        DepartmentKind, verbose_name=_("参加部门"), related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="inspections"
    )
    plan = models.ForeignKey(
        SamplingPlan,
        verbose_name=_("抽查计划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    planned_for = models.DateField(_("检查日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    summary = models.TextField(_("检查结论"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联合检查")
        verbose_name_plural = _("联合检查")
        ordering = ["-planned_for", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.planned_for}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class InspectionResult(models.Model):
    """检查结果：the finding at one check point of one inspection."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    class Severity(models.TextChoices):
        MINOR = "minor", _("一般")
        SERIOUS = "serious", _("严重")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    point = models.ForeignKey(CheckPoint, on_delete=models.PROTECT, related_name="results")
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["point__order", "point_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "point"], name="result_once_per_point"),
            # A failure has a severity; a pass or 不适用 has none.
            models.CheckConstraint(
                condition=Q(outcome="fail", severity__in=["minor", "serious"])
                | (~Q(outcome="fail") & Q(severity="")),
                name="result_severity_fits_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.get_outcome_display()}"


class EnforcementAction(models.Model):
    """处理措施：an order to rectify by a date (责令限期整改), a suspension (暂扣) or a
    revocation (吊销) that follows an inspection's findings."""

    class Kind(models.TextChoices):
        RECTIFY = "rectify", _("责令限期整改")
        SUSPEND = "suspend", _("暂扣许可证件")
        REVOKE = "revoke", _("吊销许可证件")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("措施"), max_length=10, choices=Kind.choices)
    permit = models.ForeignKey(
        Permit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    legal_basis = models.TextField(_("依据"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    # 整改跟踪: when the order passed its date unrectified (and the district was told), and
    # when an inspector recorded that it was done.
    overdue_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rectification_note = models.TextField(_("整改情况"), blank=True)

    class Meta:
        verbose_name = _("处理措施")
        verbose_name_plural = _("处理措施")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="rectify", rectify_by__isnull=False)
                | Q(kind__in=["suspend", "revoke"], permit__isnull=False),
                name="action_has_its_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.get_kind_display()}"

    @property
    def awaits_rectification(self) -> bool:
        return self.kind == self.Kind.RECTIFY and self.rectified_at is None


class Complaint(models.Model):
    """投诉举报（社会共治）：a tip from the public about an enterprise, handled by an inspector."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        SUBSTANTIATED = "substantiated", _("查实")
        UNFOUNDED = "unfounded", _("不实")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("被投诉主体"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("投诉举报内容"))
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    status = models.CharField(
        _("状态"), max_length=14, choices=Status.choices, default=Status.RECEIVED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handling_note = models.TextField(_("处理情况"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_status_display()}"


class Assessment(models.Model):
    """信用风险评价（一业一评）：an enterprise's grade at a time, with the reasons that made it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("等级"), max_length=2)
    score = models.IntegerField(_("分值"))
    reasons = models.JSONField(_("评价依据"), default=list)
    rules_version = models.CharField(_("评分规则版本"), max_length=40)
    computed_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用风险评价")
        verbose_name_plural = _("信用风险评价")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "computed_at"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.grade}"
