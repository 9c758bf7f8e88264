"""Other issuers' keys, imported from their signed trust lists for mutual recognition (互认)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ForeignIssuer(models.Model):
    """互认签发方：another region's certificate authority (天津市、河北省…) and its trust root."""

    name = models.CharField(_("签发方"), max_length=80)
    region = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    root_kid = models.CharField(_("根密钥标识"), max_length=40)
    root_public_key_pem = models.TextField(_("根公钥"))
    root_certificate_pem = models.TextField(_("根证书"), blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    list_issued_at = models.DateTimeField(_("信任列表签发时间"))
    next_update = models.DateTimeField(_("下次更新时间"), null=True, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("互认签发方")
        verbose_name_plural = _("互认签发方")
        ordering = ["region"]

    def __str__(self) -> str:
        return f"{self.name}（{self.region}）"


class ForeignIssuerKey(models.Model):
    """互认签名密钥：one signing key of a foreign issuer, as its trust list published it."""

    issuer = models.ForeignKey(ForeignIssuer, on_delete=models.CASCADE, related_name="keys")
    kid = models.CharField(_("密钥标识"), max_length=40, unique=True)
    signer_name = models.CharField(_("签发机关"), max_length=80)
    algorithm = models.CharField(_("算法"), max_length=8)
    public_key_pem = models.TextField(_("公钥"))
    certificate_pem = models.TextField(_("证书"), blank=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("互认签名密钥")
        verbose_name_plural = _("互认签名密钥")
        ordering = ["issuer", "kid"]

    def __str__(self) -> str:
        return self.kid
