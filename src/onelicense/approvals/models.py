"""Parallel review (分类审批): one case per item at its department, on its own working-day clock."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import Department
from onelicense.applications.models import Application, ApplicationItem
from onelicense.catalogue.models import ApprovalItem


class ItemCase(models.Model):
    """单项审批：one item of one accepted application, decided by its department."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审查")
        IN_REVIEW = "in_review", _("审查中")
        CORRECTION = "correction", _("补正中")
        SUSPENDED = "suspended", _("中止")
        APPROVED = "approved", _("准予许可")
        REFUSED = "refused", _("不予许可")

    DECIDED = (Status.APPROVED, Status.REFUSED)
    # The clock stands still while the applicant corrects or while an on-site check, expert
    # review, hearing or test runs (行政许可法 §45: not counted in the time limit).
    PAUSED = (Status.CORRECTION, Status.SUSPENDED)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cases")
    application_item = models.OneToOneField(
        ApplicationItem, on_delete=models.CASCADE, related_name="case"
    )
    item = models.ForeignKey(ApprovalItem, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="cases"
    )
    route = models.CharField(_("办理方式"), max_length=12, choices=ApplicationItem.Route.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    started_on = models.DateField(_("起算日期"))
    limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    statutory_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    paused_days = models.PositiveSmallIntegerField(_("已扣除工作日"), default=0)
    paused_since = models.DateField(_("暂停起始日期"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    due_date = models.DateField(_("承诺办结日期"), null=True, blank=True)
    statutory_due_date = models.DateField(_("法定办结日期"), null=True, blank=True)
    due_date_certain = models.BooleanField(_("办结日期已按正式日历计算"), default=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    permit_number = models.CharField(_("证件编号"), max_length=60, blank=True)
    permit_valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    permit_valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    warned_percent = models.PositiveSmallIntegerField(_("已预警（%）"), default=0)

    class Meta:
        verbose_name = _("单项审批")
        verbose_name_plural = _("单项审批")
        ordering = ["due_date", "id"]
        indexes = [
            # The reports' refresh reads the cases decided on a few days.
            models.Index(fields=["decided_at"], name="case_decided_at"),
            # "Overdue now": the open cases by due date, answered from the index alone.
            models.Index(
                fields=["due_date"],
                include=["id", "application", "department"],
                condition=~Q(status__in=["approved", "refused"]),
                name="case_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"]) | Q(decided_at__isnull=False),
                name="case_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(permit_number=""),
                name="case_approval_has_permit_number",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["correction", "suspended"])
                | Q(paused_since__isnull=False),
                name="case_pause_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.item}"

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    @property
    def is_paused(self) -> bool:
        return self.status in self.PAUSED

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.is_decided and self.due_date is not None and today > self.due_date


class CaseAction(models.Model):
    """审批动作：what was done to a case, with reason; corrections and suspensions end later."""

    class Kind(models.TextChoices):
        CLAIM = "claim", _("认领")
        ASSIGN = "assign", _("分派")
        APPROVE = "approve", _("准予许可")
        REFUSE = "refuse", _("不予许可")
        CORRECTION = "correction", _("补正告知")
        CORRECTED = "corrected", _("补正完成")
        SUSPEND = "suspend", _("中止审查")
        RESUME = "resume", _("恢复审查")
        EXTEND = "extend", _("延期")
        ONSITE = "onsite", _("安排现场核查")

    case = models.ForeignKey(ItemCase, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("动作"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("理由"), blank=True)
    details = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审批动作")
        verbose_name_plural = _("审批动作")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["kind", "created_at"], name="case_action_kind_at")]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"


class Verification(models.Model):
    """告知承诺核查：the check after a commitment approval, due within the item's deadline."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待核查")
        CONFIRMED = "confirmed", _("核查属实")
        RECTIFY = "rectify", _("责令限期整改")
        REVOKED = "revoked", _("撤销许可")

    case = models.OneToOneField(ItemCase, on_delete=models.CASCADE, related_name="verification")
    due_date = models.DateField(_("核查期限"))
    outcome = models.CharField(
        _("核查结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    findings = models.TextField(_("核查情况"), blank=True)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("告知承诺核查")
        verbose_name_plural = _("告知承诺核查")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["checked_at"], name="verification_checked_at")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="rectify") | Q(rectify_by__isnull=False),
                name="verification_rectify_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_outcome_display()}"
