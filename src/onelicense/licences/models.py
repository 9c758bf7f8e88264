"""Permits (单项审批证件) and the comprehensive certificate (综合许可凭证) that sums them up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import Department, District
from onelicense.applications.models import Application, Enterprise
from onelicense.approvals.models import ItemCase
from onelicense.catalogue.models import ApprovalItem, Industry


class Permit(models.Model):
    """单项审批证件：the permit one department grants for one item."""

    class Status(models.TextChoices):
        # The national e-licence status vocabulary: 01有效 02暂扣 03撤销 04注销 05失效 07吊销.
        VALID = "valid", _("有效")
        SUSPENDED = "suspended", _("暂扣")
        ANNULLED = "annulled", _("撤销")
        CANCELLED = "cancelled", _("注销")
        EXPIRED = "expired", _("失效")
        REVOKED = "revoked", _("吊销")

    # Any of these ends the permit, and so voids every certificate listing it
    # (京政办发〔2023〕5号: 注销、撤销、吊销、失效 → 综合许可凭证同时作废).
    ENDED = (Status.ANNULLED, Status.CANCELLED, Status.EXPIRED, Status.REVOKED)

    number = models.CharField(_("证件编号"), max_length=60, unique=True)
    case = models.OneToOneField(
        ItemCase, on_delete=models.PROTECT, related_name="permit", null=True, blank=True
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="permits")
    item = models.ForeignKey(ApprovalItem, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("证件名称"), max_length=120)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="permits")
    holder = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="permits")
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.VALID, db_index=True
    )
    status_list = models.CharField(_("状态列表"), max_length=6)
    status_index = models.PositiveIntegerField(_("状态列表序号"))
    details = models.JSONField(_("许可内容"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单项审批证件")
        verbose_name_plural = _("单项审批证件")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="permit_status_index_once"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="permit_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    @property
    def is_ended(self) -> bool:
        return self.status in self.ENDED


class PermitEvent(models.Model):
    """证件变动：one operation on a permit (暂扣、恢复、注销、撤销、吊销、失效、变更、延续)."""

    class Operation(models.TextChoices):
        ISSUE = "issue", _("新发")
        SUSPEND = "suspend", _("暂扣")
        RESTORE = "restore", _("暂扣发还")
        CANCEL = "cancel", _("注销")
        ANNUL = "annul", _("撤销")
        REVOKE = "revoke", _("吊销")
        EXPIRE = "expire", _("过期失效")
        CHANGE = "change", _("变更")
        RENEW = "renew", _("延续")

    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="events")
    operation = models.CharField(_("操作"), max_length=10, choices=Operation.choices)
    from_status = models.CharField(max_length=10, choices=Permit.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Permit.Status.choices)
    reason = models.TextField(_("理由"), blank=True)
    legal_basis = models.TextField(_("依据"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("证件变动")
        verbose_name_plural = _("证件变动")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.permit.number} {self.get_operation_display()}"


class Certificate(models.Model):
    """综合许可凭证：one version of the district's certificate for one application.

    Its status is derived from its permits and never stored: void as soon as any permit it
    lists as licensed has ended; replaced once a newer version exists.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        VOID = "void", _("已作废")
        REPLACED = "replaced", _("已换发")

    number = models.CharField(_("凭证编号"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"))
    identifier = models.CharField(_("电子证照标识"), max_length=120, unique=True)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="certificates"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="certificates")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="certificates")
    face = models.JSONField(_("证面信息"))
    face_digest = models.CharField(_("证面摘要"), max_length=64)
    issued_at = models.DateTimeField(_("颁发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    key_id = models.CharField(_("签名密钥"), max_length=40)
    token = models.TextField(_("二维码令牌"), blank=True)
    # The token's MAC under the server's secret (licences.tokens.token_mac): lets verification
    # recognise the issued token without checking its signature. Empty: check the signature.
    token_mac = models.CharField(_("令牌校验码"), max_length=64, blank=True, default="")
    pdf = models.FileField(_("PDF"), upload_to="certificates/")
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.TextField(_("作废原因"), blank=True)
    recovered_at = models.DateTimeField(_("收回时间"), null=True, blank=True)
    status_list = models.CharField(_("状态列表"), max_length=6)
    status_index = models.PositiveIntegerField(_("状态列表序号"))

    class Meta:
        verbose_name = _("综合许可凭证")
        verbose_name_plural = _("综合许可凭证")
        ordering = ["-issued_at", "-id"]
        indexes = [
            # The reports' refresh reads the certificates issued or voided on a few days.
            models.Index(fields=["issued_at"], name="certificate_issued_at"),
            models.Index(fields=["voided_at"], name="certificate_voided_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="certificate_version_once"),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_status_index_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}（第{self.version}版）"


class CertificateEntry(models.Model):
    """凭证所列事项：an item on a certificate, with its permit, or 未许可事项 without one."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ApprovalItem, on_delete=models.PROTECT, related_name="+")
    permit = models.ForeignKey(
        Permit, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("凭证事项")
        verbose_name_plural = _("凭证事项")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "item"], name="certificate_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.item}"

    @property
    def is_licensed(self) -> bool:
        return self.permit_id is not None


class SerialCounter(models.Model):
    """流水号计数：the last serial given out in one sequence (a status list, a year's numbers)."""

    code = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("流水号计数")
        verbose_name_plural = _("流水号计数")

    def __str__(self) -> str:
        return f"{self.code}: {self.last}"


class SigningKey(models.Model):
    """签名密钥：a district's key for certificates (e-seal and QR tokens), or the city's root.

    The private key is held by the key store (a file under the data folder by default; an HSM
    or KMS in production); the row keeps what anyone may know: the public key and certificate.
    """

    class Algorithm(models.TextChoices):
        ES256 = "ES256", "ECDSA P-256"
        SM2 = "SM2", "SM2/SM3"

    kid = models.CharField(_("密钥标识"), max_length=40, unique=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="signing_keys"
    )
    algorithm = models.CharField(_("算法"), max_length=8, choices=Algorithm.choices)
    public_key_pem = models.TextField(_("公钥"))
    certificate_pem = models.TextField(_("证书"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    active = models.BooleanField(_("当前使用"), default=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签名密钥")
        verbose_name_plural = _("签名密钥")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "algorithm"],
                condition=Q(active=True),
                name="signing_key_one_active_per_district",
            ),
        ]

    def __str__(self) -> str:
        return self.kid

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None
