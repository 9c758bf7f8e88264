"""The application (办件): one industry, one district, one form, from draft to acceptance."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import District
from onelicense.catalogue.models import ApprovalItem, CatalogueVersion, Industry, Material


class Enterprise(models.Model):
    """市场主体：an enterprise known by its 统一社会信用代码."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=40)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """办件：an application for one industry's approvals in one district."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交，待受理")
        ACCEPTED = "accepted", _("已受理")
        REFUSED = "refused", _("不予受理")
        WITHDRAWN = "withdrawn", _("已撤回")
        COMPLETED = "completed", _("已办结")

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上申请")
        WINDOW = "window", _("窗口申请")

    code = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(  # NULL until submitted; unique among the rest
        _("申请编号"), max_length=20, unique=True, null=True, blank=True
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), on_delete=models.PROTECT, related_name="applications"
    )
    district = models.ForeignKey(
        District, verbose_name=_("区"), on_delete=models.PROTECT, related_name="applications"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代办窗口人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent = models.CharField(_("申请人授权情况"), max_length=200, blank=True)
    # NULL, not "", so that the unique constraints leave rows without a value alone.
    client_key = models.CharField(_("幂等键"), max_length=64, null=True, blank=True)  # noqa: DJ001
    routes = models.JSONField(_("办理方式"), default=dict, blank=True)
    answers = models.JSONField(_("情形回答"), default=dict, blank=True)
    form_data = models.JSONField(_("申请表"), default=dict, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    promised_date = models.DateField(_("承诺办结日期"), null=True, blank=True)
    promised_date_certain = models.BooleanField(_("办结日期已按正式日历计算"), default=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    refusal_basis = models.TextField(_("不予受理依据"), blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The reports' refresh reads the applications of a few days by each date.
            models.Index(fields=["submitted_at"], name="application_submitted_at"),
            models.Index(fields=["decided_at"], name="application_decided_at"),
            models.Index(fields=["completed_at"], name="application_completed_at"),
            models.Index(
                fields=["updated_at"],
                condition=Q(status="withdrawn"),
                name="application_withdrawn_at",
            ),
            # "Overdue now" finds an open case's district and industry without the table.
            models.Index(fields=["id"], include=["district", "industry"], name="application_keys"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_key"], name="application_client_key_once"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, submitted_at__isnull=False),
                name="application_submitted_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "refused", "completed"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="application_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(channel="online", applicant__isnull=False)
                | Q(channel="window", filed_by__isnull=False) & ~Q(consent=""),
                name="application_has_an_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(self.code)

    @property
    def catalogue_version(self) -> CatalogueVersion:
        """The catalogue version this application was made under (its industry's)."""
        return self.industry.version

    @property
    def enterprise_name(self) -> str:
        return str(self.form_data.get("enterprise_name") or "")

    @property
    def uscc(self) -> str:
        return str(self.form_data.get("uscc") or "")

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_withdraw(self) -> bool:
        """Until every item is decided the applicant may withdraw (撤回申请)."""
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED, self.Status.ACCEPTED)


class ApplicationCounter(models.Model):
    """申请编号计数：the last serial given out in one district on one day."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("申请编号计数")
        verbose_name_plural = _("申请编号计数")
        constraints = [
            models.UniqueConstraint(fields=["district", "day"], name="counter_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.district.code} {self.day} {self.last}"


class ApplicationItem(models.Model):
    """申请事项：an item that applied when the application was submitted, and its route."""

    class Route(models.TextChoices):
        STANDARD = "standard", _("一般程序")
        COMMITMENT = "commitment", _("告知承诺")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ApprovalItem, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(_("办理方式"), max_length=12, choices=Route.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("申请事项")
        verbose_name_plural = _("申请事项")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="application_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.item}"


class Commitment(models.Model):
    """告知承诺书：the commitment an applicant signed for one item, with the text signed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="commitments"
    )
    item = models.ForeignKey(ApprovalItem, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("承诺内容"))
    signer_name = models.CharField(_("承诺人"), max_length=40)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("签署时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("告知承诺书")
        verbose_name_plural = _("告知承诺书")
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="commitment_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.item}"


def _material_path(instance: "MaterialFile", filename: str) -> str:
    return f"materials/{instance.application.code}/{uuid.uuid4().hex}"


class MaterialFile(models.Model):
    """申请材料文件：an uploaded file meeting one material requirement."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPG"
        PNG = "image/png", "PNG"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="material_files"
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("文件"), upload_to=_material_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class MaterialDeferral(models.Model):
    """容缺材料：a material accepted as missing, promised by a date (容缺受理)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deferrals")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("补交期限"))
    fulfilled_at = models.DateTimeField(_("补交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容缺材料")
        verbose_name_plural = _("容缺材料")
        constraints = [
            models.UniqueConstraint(fields=["application", "material"], name="deferral_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.material}"
