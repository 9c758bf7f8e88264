from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """事件：a state change (who, when, what, why); the audit trail and the timeline."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("动作"), max_length=64)
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.CharField(_("对象"), max_length=64)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.subject_type}:{self.subject_id}"


class CalendarDay(models.Model):
    """日历调整：a day the State Council's schedule makes a holiday or a working day (调休)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}：{'工作日' if self.is_working_day else '休息日'}"


class CalendarYear(models.Model):
    """年度日历：a year whose holidays and make-up days have been entered here in full."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    complete = models.BooleanField(_("已完整录入"), default=False)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("年度日历")
        verbose_name_plural = _("年度日历")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Notification(models.Model):
    """站内消息：what a person is told in the app (acceptance, corrections, decisions…)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """待发消息：an e-mail, SMS or library record to send, drained by `onelicense worker`.

    The idempotency key goes to the backend with every try, so that a retry after a crash
    between sending and marking never delivers twice.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")
        LIBRARY = "library", _("电子证照库")
        ARCHIVE = "archive", _("电子档案")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("收件人"), max_length=120)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    idempotency_key = models.CharField(_("幂等键"), max_length=120, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), db_index=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["next_attempt_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
