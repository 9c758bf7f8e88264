"""The verification endpoints: check a QR code, fetch the trust list and the status lists.

Open to anyone, as the QR code is. The trust list and the status lists are signed documents a
verifier caches and uses offline; the QR check is rate-limited per client address, and its
answer, live, is never cached.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router
from ninja.params import P, PathEx

from onelicense.catalogue.schemas import ErrorOut
from onelicense.verification import services, statuslists, trustlists
from onelicense.verification.headers import live_headers
from onelicense.verification.ratelimit import rate_hit, rate_limited_json
from onelicense.verification.schemas import SignedDocumentOut, VerifyOut, verify_document

router = Router(tags=["核验"])

Token = PathEx[str, P(description="二维码中的令牌（/v/ 之后的部分）")]
ListCode = PathEx[
    str, P(pattern=r"^\d{6}$", description="状态列表代码：区的行政区划代码，市级部门为 110000")
]


def _document(document: dict[str, Any], *, max_age: int) -> JsonResponse:
    """Exactly the signed bytes' data, untouched by schema validation; cacheable."""
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@router.get(
    "/verify/{token}",
    response={200: VerifyOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="certificate_verify",
    url_name="certificate_verify",
    summary="核验综合许可凭证二维码",
    description=(
        "核验二维码令牌：签名、签名密钥（已知且未停用）、凭证编号与版本、证面摘要，"
        "并给出凭证及各单项证件的实时状态。核验结论在响应体中：`valid` 为凭证现在是否有效，"
        "不有效时 `code` 与 `message` 说明原因（如 token_forged、key_retired、"
        "certificate_void）；无论结论如何 HTTP 状态均为 200。同一地址请求过于频繁时返回 429"
        "（rate_limited），并带 `Retry-After` 头。不写入任何数据。"
    ),
)
def certificate_verify(request: HttpRequest, token: Token) -> HttpResponse:
    retry_after = rate_hit(request)
    if retry_after is not None:
        return rate_limited_json(retry_after)
    document = verify_document(services.token_verify(token))
    return live_headers(JsonResponse(document, json_dumps_params={"ensure_ascii": False}))


@router.get(
    "/trust-list",
    response={200: SignedDocumentOut},
    operation_id="trust_list_get",
    url_name="trust_list_get",
    summary="信任列表",
    description=(
        "本市各区签名密钥（区划代码与名称、kid、算法、公钥与证书 PEM、状态 active/rotated/"
        "retired 及时间）和市级根证书，由市级根密钥签名：`payload` 的规范 JSON 上的分离签名。"
        "`issued_at` 为签发时间，`next_update` 前应重新获取。核验方应通过其他渠道核对根证书，"
        "不能只凭列表自带的根证书。"
    ),
)
def trust_list_get(request: HttpRequest) -> HttpResponse:
    return _document(trustlists.trust_list_build(), max_age=3600)


@router.get(
    "/status-lists/{list_code}",
    response={200: SignedDocumentOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="status_list_get",
    url_name="status_list_get",
    summary="状态列表",
    description=(
        "一个状态列表（区的代码，市级部门为 110000）中每个单项证件和凭证版本的状态，"
        "每个序号 2 位：00 有效；01 暂扣（证件）；10 证件已终止（撤销、注销、失效、吊销）或"
        "凭证版本已换发；11 凭证已作废。序号 i 为从首字节最高位起的第 2i、2i+1 位。"
        "`encoded_list` 为 gzip 压缩后的 base64url，`size` 为条目数（至少 131072），"
        "`ttl` 为可缓存的秒数；由该区现用签名密钥签名（110000 及尚无密钥的区由市级根密钥签名）。"
        "列表不存在时返回 404（status_list_unknown）。"
    ),
)
def status_list_get(request: HttpRequest, list_code: ListCode) -> HttpResponse:
    return _document(statuslists.status_list_build(list_code), max_age=statuslists.ttl())
