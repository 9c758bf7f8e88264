"""The JSON API every district speaks: one NinjaAPI, one router per app.

Every error answers in one shape, `{"code", "message", "fields"}`, with a Chinese message.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from onelicense.catalogue.api import router as catalogue_router
from onelicense.core.errors import DomainError


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
                "description": "行业、情形问题与行业综合办事指南（一次告知），无需登录",
            },
        ],
    },
)
api.add_router("/industries", catalogue_router)


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


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        name = ".".join(
            str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")
        )
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


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body = _error("http_error", str(exc))
    return api.create_response(request, body, status=exc.status_code)
