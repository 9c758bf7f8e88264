"""The JSON API every district speaks: one NinjaAPI, one router per app.

Every error answers in one shape, `{"code", "message", "fields"}`, with a Chinese message.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from onelicense.applications.api import router as applications_router
from onelicense.catalogue.api import router as catalogue_router
from onelicense.core.errors import DomainError
from onelicense.reports.api import router as reports_router
from onelicense.supervision.api import router as supervision_router
from onelicense.verification.api import router as verification_router


class ChineseJSONRenderer(JSONRenderer):
    """Chinese text as UTF-8 rather than \\u escapes: half the bytes, and readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="OneLicense 一业一证 API",
    version="1.0.0",
    description=(
        "北京市“一业一证”统一接口：行业目录、办事指南、情形引导、申请、审批、证照与核验。"
        '\n\n错误一律以 JSON 返回：`{"code": "英文错误代码", "message": "中文说明", '
        '"fields": {"字段": "中文说明"}}`，并配合相应的 HTTP 状态码。'
    ),
    urls_namespace="api",
    openapi_extra={
        "tags": [
            {
                "name": "行业目录",
                "description": (
                    "行业、情形问题、行业综合办事指南（一次告知）和情形引导（一表申请），无需登录"
                ),
            },
            {
                "name": "申请",
                "description": (
                    "申请人的申请：草稿、情形回答、一张申请表、材料、告知承诺、提交与撤回。"
                    "使用网站的登录会话（Cookie）认证，未登录返回 401；写操作须带 "
                    "`X-CSRFToken` 请求头。他人的申请一律返回 404"
                ),
            },
            {
                "name": "综合窗口",
                "description": "本区综合窗口人员对已提交申请的受理（含容缺受理）与不予受理",
            },
            {
                "name": "核验",
                "description": (
                    "扫码核验综合许可凭证（签名、密钥、证面摘要与各单项证件的实时状态），"
                    "以及供离线核验的签名文件：信任列表和状态列表。无需登录；核验按来源地址限流"
                ),
            },
        ],
    },
)
api.add_router("/industries", catalogue_router)
api.add_router("/applications", applications_router)
api.add_router("/reports", reports_router)
api.add_router("", verification_router)
api.add_router("/inspections", supervision_router)


# pydantic's error types, as an applicant or a district's developer should read them.
_FIELD_MESSAGES = {
    "missing": _("此项必填"),
    "string_too_long": _("内容过长"),
    "string_too_short": _("内容过短"),
    "string_pattern_mismatch": _("格式不正确"),
    "string_type": _("应为文本"),
    "int_parsing": _("应为整数"),
    "int_type": _("应为整数"),
    "float_parsing": _("应为数字"),
    "decimal_parsing": _("应为数字"),
    "bool_parsing": _("应为是或否"),
    "date_from_datetime_parsing": _("日期格式不正确"),
    "date_parsing": _("日期格式不正确"),
    "enum": _("不是可选的值"),
    "literal_error": _("不是可选的值"),
    "greater_than": _("数值过小"),
    "greater_than_equal": _("数值过小"),
    "less_than": _("数值过大"),
    "less_than_equal": _("数值过大"),
    "json_invalid": _("JSON 格式不正确"),
}


def _error(code: str, message: object, fields: dict[str, str] | None = None) -> dict[str, object]:
    return {"code": code, "message": str(message), "fields": fields or {}}


def _field_path(loc: tuple[object, ...]) -> tuple[object, ...]:
    """A field as the client sent it: ("body", "payload", "district") → ("district",).

    ninja puts where a value came from first and, for a JSON body, the operation's parameter
    name next; neither is a name the client knows."""
    if loc and loc[0] == "body":
        return loc[2:] if len(loc) > 2 else loc[1:]
    if loc and loc[0] in ("query", "path", "header", "cookie", "form", "file"):
        return loc[1:]
    return loc


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        name = ".".join(str(part) for part in _field_path(tuple(error.get("loc", ()))))
        message = _FIELD_MESSAGES.get(str(error.get("type", "")), _("取值不符合要求"))
        fields.setdefault(name or "__all__", str(message))
    body = _error("invalid_request", _("请求内容不符合要求"), fields)
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, _error("not_authenticated", _("请先登录")), status=401)


@api.exception_handler(AuthorizationError)
def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return api.create_response(request, _error("forbidden", _("无权进行此操作")), status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, _error("not_found", _("未找到请求的资源")), status=404)


# The HttpErrors ninja raises itself, in English, as the client should read them.
_HTTP_ERRORS = {
    "CSRF check Failed": ("csrf_failed", _("缺少有效的 CSRF 令牌：请带上 X-CSRFToken 请求头")),
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_ERRORS.get(str(exc), ("http_error", str(exc)))
    return api.create_response(request, _error(code, message), status=exc.status_code)
