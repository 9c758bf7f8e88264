"""What the verification API answers: the check of a QR code, the trust list, a status list."""

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from onelicense.verification.services import Verification


class VerifiedCertificateOut(Schema):
    number: str = Field(description="凭证编号")
    version: int = Field(description="本二维码所属的版本")
    identifier: str | None = Field(description="电子证照标识（GB/T 36904）；互认凭证为空")
    issuer: str = Field(description="发证机关")
    issued_at: datetime.datetime = Field(description="颁发时间")
    holder: str | None = Field(description="市场主体名称")
    uscc: str | None = Field(description="统一社会信用代码")
    industry: str | None = Field(description="行业")
    current_version: int | None = Field(description="现行版本号；已换发时为新版本")
    recognised_from: str | None = Field(description="互认凭证的签发方（如天津市）；本市凭证为空")


class ItemStatusOut(Schema):
    item: str = Field(description="许可事项")
    department: str = Field(description="实施部门")
    permit_name: str = Field(description="单项证件名称")
    permit_number: str = Field(description="单项证件编号")
    status: str = Field(
        description="单项证件的实时状态：valid 有效、suspended 暂扣、annulled 撤销、"
        "cancelled 注销、expired 失效、revoked 吊销"
    )
    valid_from: datetime.date = Field(description="有效期起")
    valid_until: datetime.date | None = Field(description="有效期至；空为长期")


class UnlicensedOut(Schema):
    item: str = Field(description="未许可事项")
    department: str = Field(description="实施部门")


class VerifyOut(Schema):
    valid: bool = Field(description="凭证现在是否有效：签名可信、证面一致、未作废、未换发")
    status: Literal["valid", "void", "replaced"] | None = Field(
        description="凭证状态：valid 有效、void 已作废、replaced 已换发；二维码本身不可信时为空"
    )
    code: str | None = Field(
        description="不有效的原因代码：token_malformed、token_forged、key_unknown、key_retired、"
        "certificate_not_found、token_mismatch、face_mismatch、certificate_void、"
        "certificate_replaced"
    )
    message: str | None = Field(description="中文说明")
    certificate: VerifiedCertificateOut | None = Field(description="二维码所指的凭证")
    items: list[ItemStatusOut] = Field(description="已许可事项及其单项证件的实时状态")
    unlicensed: list[UnlicensedOut] = Field(description="未许可事项")
    checked_at: datetime.datetime = Field(description="核验时间")


def verify_document(result: Verification) -> dict[str, Any]:
    """The answer of GET /verify/{token} as `VerifyOut` describes it, built as plain data: this is
    the path every scan takes, so it skips model validation (a test checks it against the
    schema)."""
    return {
        "valid": result.valid,
        "status": result.status or None,
        "code": result.code or None,
        "message": result.message or None,
        "certificate": _certificate(result),
        "items": [
            {
                "item": row.item,
                "department": row.department,
                "permit_name": row.permit_name,
                "permit_number": row.permit_number,
                "status": row.status,
                "valid_from": row.valid_from,
                "valid_until": row.valid_until,
            }
            for row in result.items
        ],
        "unlicensed": [
            {"item": row["item"], "department": row["department"]} for row in result.unlicensed
        ],
        "checked_at": result.checked_at,
    }


def _certificate(result: Verification) -> dict[str, Any] | None:
    claims, certificate, face = result.claims, result.certificate, result.face
    if certificate is not None:
        return {
            "number": certificate.number,
            "version": certificate.version,
            "identifier": certificate.identifier,
            "issuer": face["issuer"],
            "issued_at": certificate.issued_at,
            "holder": face["holder"],
            "uscc": face["uscc"],
            "industry": face["industry"],
            "current_version": result.current_version,
            "recognised_from": None,
        }
    if claims is None or result.key is None or not result.recognised_from:
        return None
    return {
        "number": claims.number,
        "version": claims.version,
        "identifier": None,
        "issuer": result.key.signer_name,
        "issued_at": datetime.datetime.fromtimestamp(claims.issued_at, tz=datetime.UTC),
        "holder": None,
        "uscc": None,
        "industry": None,
        "current_version": None,
        "recognised_from": result.recognised_from,
    }


class SignedDocumentOut(Schema):
    payload: dict[str, Any] = Field(description="文件内容（见各接口说明）")
    alg: str = Field(description="签名算法：ES256（或 SM2）")
    kid: str = Field(description="签名密钥标识")
    signature: str = Field(
        description="对 payload 规范 JSON（UTF-8、键排序、无空白、不转义非 ASCII）的分离签名，"
        "base64url；ES256 为 64 字节 r‖s"
    )
