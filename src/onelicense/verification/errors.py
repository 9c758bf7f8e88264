"""Why a QR code, a trust list or a status list cannot be trusted: one code, one Chinese message.

The live page, the API and the offline verifier say the same thing for the same fault.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    # The token itself (licences.tokens raises the first two with the same words).
    "token_malformed": _("二维码内容不完整或已损坏，无法识别"),
    "token_forged": _("签名验证失败：该二维码不是本平台签发的，或内容被篡改"),
    "key_unknown": _("签名密钥不在信任列表中，无法确认签发机关"),
    "key_retired": _("签名密钥已停用：该二维码不再可信，请向发证机关核实"),
    # The token against the certificate register.
    "certificate_not_found": _("未找到该凭证：凭证编号或版本不存在"),
    "token_mismatch": _("二维码与凭证登记信息不一致"),
    "face_mismatch": _("证面信息与签发时不一致，凭证登记信息可能被篡改"),
    # What a genuine certificate may be.
    "certificate_void": _("该凭证已作废"),
    "certificate_replaced": _("该凭证已换发，本版本不再有效"),
    # Signed documents (trust lists, status lists).
    "document_malformed": _("文件格式不正确，无法识别"),
    "document_forged": _("文件签名验证失败：内容被篡改，或不是所称的签发方签发"),
    "root_mismatch": _("信任列表的根证书与预期的不一致"),
    "trust_list_outdated": _("该信任列表早于已导入的版本，未予导入"),
    "kid_conflict": _("信任列表中的密钥标识与已有密钥重复，未予导入"),
    "status_list_unknown": _("没有这个状态列表"),
    "status_list_missing": _("没有提供该凭证所在的状态列表"),
    "rate_limited": _("请求过于频繁，请稍后再试"),
    # PDF files (offline).
    "pdf_unreadable": _("无法读取该 PDF 文件"),
    "pdf_unsigned": _("该 PDF 没有电子签章"),
    "pdf_signature_invalid": _("PDF 电子签章无效：文件在签章后被修改，或签章不可信"),
    "pdf_no_qr": _("未能从 PDF 中识别出二维码"),
    "pdf_token_mismatch": _("PDF 的签章密钥与二维码的签名密钥不一致"),
}


# Short headings for the live page, one per way a QR code can fail.
HEADINGS: dict[str, Promise] = {
    "token_malformed": _("无法识别二维码"),
    "token_forged": _("签名无效"),
    "key_unknown": _("无法确认签发机关"),
    "key_retired": _("签名密钥已停用"),
    "certificate_not_found": _("未找到凭证"),
    "token_mismatch": _("二维码与凭证登记不符"),
    "face_mismatch": _("证面信息不一致"),
}


class VerificationError(Exception):
    """A check failed: `code` for machines, `message` in Chinese for people."""

    def __init__(self, code: str, message: str | Promise | None = None) -> None:
        text = str(message if message is not None else MESSAGES[code])
        super().__init__(text)
        self.code = code
        self.message = text
