"""The applications API: an applicant's draft to submission, and the window's decision on it.

Signed-in users only (the session of the web pages). Every operation fetches the application
through one access helper, so another applicant's application, or another district's, is 404;
then it calls one service, which checks the rule and records the event.
"""

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status, UploadedFile
from ninja.errors import AuthenticationError
from ninja.params import FileEx, FormEx, HeaderEx, P, PathEx, QueryEx
from ninja.security import django_auth

from onelicense.accounts.models import User
from onelicense.applications import selectors, services
from onelicense.applications.models import Application
from onelicense.applications.schemas import (
    AcceptIn,
    ApplicationCreateIn,
    ApplicationListOut,
    ApplicationOut,
    ApplicationSummaryOut,
    ApplicationUpdateIn,
    CommitmentIn,
    CommitmentOut,
    MaterialFileOut,
    RefuseIn,
    WithdrawIn,
)
from onelicense.catalogue.schemas import ErrorOut
from onelicense.core.errors import DomainError

router = Router(tags=["申请"], auth=django_auth)

_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ApplicationCode = PathEx[uuid.UUID, P(description="申请的标识（UUID）")]
StatusFilter = P(
    pattern="^(" + "|".join(Application.Status.values) + ")$",
    description="按状态筛选：" + "、".join(Application.Status.values),
)
_WINDOW = ["综合窗口"]


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # django_auth answers with the user
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


def _detail(application: Application) -> ApplicationOut:
    plan = selectors.application_plan(application) if application.is_draft else None
    return ApplicationOut.build_detail(
        application,
        plan=plan,
        problems=services.application_problems(application, plan) if plan else {},
        timeline=list(selectors.application_timeline(application)),
    )


@router.post(
    "",
    response={200: ApplicationOut, 201: ApplicationOut, **_ERRORS},
    operation_id="application_create",
    url_name="application_create",
    summary="新建申请草稿",
    description=(
        "申请人网上申请，或综合窗口人员在本区代为申请（须填写 `consent` 申请人授权情况）。"
        "带 `Idempotency-Key` 请求头时，同一用户以同一键重复请求只建一件草稿：首次返回 201，"
        "重试返回同一草稿及 200；同一键用于另一行业或区时返回 422（idempotency_key_reused）。"
        "该区未开通此行业时返回 422（industry_not_offered），无权在该区申请时返回 403，"
        "行业或区不存在时返回 404。"
    ),
)
def application_create(
    request: HttpRequest,
    payload: ApplicationCreateIn,
    idempotency_key: HeaderEx[
        str | None,
        P(
            alias="Idempotency-Key",
            max_length=64,
            description="幂等键：客户端为每次“新建”生成的唯一值（如 UUID），重试时原样带上",
        ),
    ] = None,
) -> Status[ApplicationOut]:
    user = _user(request)
    key = (idempotency_key or "").strip() or None
    retry = key is not None and selectors.applications_of(user).filter(client_key=key).exists()
    application = services.application_create(
        actor=user,
        industry_code=payload.industry,
        district_code=payload.district,
        client_key=key,
        consent=payload.consent,
    )
    made_for = (application.industry.code, application.district.code)
    if retry and made_for != (payload.industry, payload.district):
        raise DomainError(
            "idempotency_key_reused",
            _("该幂等键已用于另一件申请"),
            fields={"Idempotency-Key": str(_("请为新的申请使用新的幂等键"))},
            status=422,
        )
    return Status(200 if retry else 201, _detail(application))


@router.get(
    "",
    response={200: ApplicationListOut, 401: ErrorOut, 422: ErrorOut},
    operation_id="application_list",
    url_name="application_list",
    summary="我的申请",
    description=("当前用户发起或作为申请人的全部申请，最新的在前；可按状态筛选，分页返回。"),
)
def application_list(
    request: HttpRequest,
    status: QueryEx[str | None, StatusFilter] = None,
    limit: QueryEx[int, P(ge=1, le=100, description="每页条数（1–100）")] = 20,
    offset: QueryEx[int, P(ge=0, description="跳过的条数")] = 0,
) -> ApplicationListOut:
    rows = selectors.applications_of(_user(request))
    if status:
        rows = rows.filter(status=status)
    return ApplicationListOut(
        count=rows.count(),
        items=[ApplicationSummaryOut.build(a) for a in rows[offset : offset + limit]],
    )


@router.get(
    "/{code}",
    response={200: ApplicationOut, **_ERRORS},
    operation_id="application_get",
    url_name="application_get",
    summary="申请详情",
    description=(
        "一件申请的状态、编号、情形回答、申请表、审批事项及办理方式、已上传材料、告知承诺书、"
        "容缺材料和办理记录；草稿还列出尚不能提交的原因（`problems`）。"
        "无权查看或不存在时返回 404（application_not_found）。"
    ),
)
def application_get(request: HttpRequest, code: ApplicationCode) -> ApplicationOut:
    return _detail(selectors.application_for_user(_user(request), str(code)))


@router.patch(
    "/{code}",
    response={200: ApplicationOut, **_ERRORS},
    operation_id="application_update",
    url_name="application_update",
    summary="修改申请草稿",
    description=(
        "保存情形回答、申请表和办理方式；全部有效才保存，否则什么也不改。"
        "回答有误返回 422（invalid_answers），申请表有误返回 422（invalid_form），"
        "办理方式有误返回 422（invalid_route），`fields` 逐项说明；"
        "已提交的申请返回 409（application_not_draft）。"
    ),
)
def application_update(
    request: HttpRequest, code: ApplicationCode, payload: ApplicationUpdateIn
) -> ApplicationOut:
    user = _user(request)
    application = services.application_save(
        application=selectors.application_for_editing(user, str(code)),
        actor=user,
        answers=payload.answers,
        form_data=payload.form_data,
        routes=payload.routes,
    )
    return _detail(application)


@router.post(
    "/{code}/materials",
    response={201: MaterialFileOut, 413: ErrorOut, 415: ErrorOut, **_ERRORS},
    operation_id="material_upload",
    url_name="material_upload",
    summary="上传申请材料",
    description=(
        "以 multipart/form-data 上传一份材料：`material` 为材料代码，`file` 为文件。"
        "文件类型按内容识别，只接受 PDF、JPG、PNG（否则 415 file_type_not_allowed），"
        "不超过 10 MB（否则 413 file_too_large）；本次申请不需要的材料返回 422"
        "（material_not_required）。"
    ),
)
def material_upload(
    request: HttpRequest,
    code: ApplicationCode,
    material: FormEx[str, P(max_length=60, description="材料代码，如 business_licence")],
    file: FileEx[UploadedFile, P(description="材料文件（PDF、JPG 或 PNG，不超过 10 MB）")],
) -> Status[MaterialFileOut]:
    user = _user(request)
    record = services.material_upload(
        application=selectors.application_for_editing(user, str(code)),
        actor=user,
        material_code=material,
        upload=file,
    )
    return Status(201, MaterialFileOut.build(record))


@router.delete(
    "/{code}/materials/{file_id}",
    response={204: None, **_ERRORS},
    operation_id="material_remove",
    url_name="material_remove",
    summary="删除已上传的材料",
    description="删除草稿中已上传的一个文件；文件不存在时返回 404（file_not_found）。",
)
def material_remove(
    request: HttpRequest,
    code: ApplicationCode,
    file_id: PathEx[int, P(description="文件编号（上传时返回的 id）")],
) -> Status[None]:
    user = _user(request)
    services.material_remove(
        application=selectors.application_for_editing(user, str(code)),
        actor=user,
        file_id=file_id,
    )
    return Status(204, None)


@router.post(
    "/{code}/commitments",
    response={201: CommitmentOut, **_ERRORS},
    operation_id="commitment_sign",
    url_name="commitment_sign",
    summary="签署告知承诺书",
    description=(
        "为可告知承诺的事项签署承诺书，该事项随之按告知承诺方式办理（重签以最后一次为准）。"
        "事项不在本次申请中返回 422（item_not_in_application），不适用告知承诺返回 422"
        "（commitment_not_allowed）。"
    ),
)
def commitment_sign(
    request: HttpRequest, code: ApplicationCode, payload: CommitmentIn
) -> Status[CommitmentOut]:
    user = _user(request)
    commitment = services.commitment_sign(
        application=selectors.application_for_editing(user, str(code)),
        actor=user,
        item_code=payload.item,
        signer_name=payload.signer_name,
    )
    return Status(
        201,
        CommitmentOut(
            item=commitment.item.code,
            item_name=commitment.item.name,
            text=commitment.text,
            signer_name=commitment.signer_name,
            signed_at=commitment.signed_at,
        ),
    )


@router.post(
    "/{code}/submit",
    response={200: ApplicationOut, **_ERRORS},
    operation_id="application_submit",
    url_name="application_submit",
    summary="提交申请",
    description=(
        "提交草稿并生成申请编号。可重复调用：已提交的申请原样返回。尚不完整时返回 422"
        "（application_incomplete），`fields` 列出每个问题（同详情中的 `problems`）；"
        "已撤回或已办结的返回 409。"
    ),
)
def application_submit(request: HttpRequest, code: ApplicationCode) -> ApplicationOut:
    user = _user(request)
    application = services.application_submit(
        application=selectors.application_for_editing(user, str(code)), actor=user
    )
    return _detail(application)


@router.post(
    "/{code}/withdraw",
    response={200: ApplicationOut, **_ERRORS},
    operation_id="application_withdraw",
    url_name="application_withdraw",
    summary="撤回申请",
    description=(
        "撤回申请（撤回后不再办理）。已办结、不予受理或已撤回的申请不能撤回，返回 409"
        "（application_not_withdrawable）。"
    ),
)
def application_withdraw(
    request: HttpRequest, code: ApplicationCode, payload: WithdrawIn
) -> ApplicationOut:
    user = _user(request)
    application = services.application_withdraw(
        application=selectors.application_for_editing(user, str(code)),
        actor=user,
        reason=payload.reason,
    )
    return _detail(application)


@router.post(
    "/{code}/accept",
    response={200: ApplicationOut, **_ERRORS},
    tags=_WINDOW,
    operation_id="application_accept",
    url_name="application_accept",
    summary="受理（含容缺受理）",
    description=(
        "本区综合窗口人员受理已提交的申请，并计算承诺办结日期；可将可容缺的材料列入 "
        "`deferred` 容缺受理、限期补交。非本区窗口人员返回 404 或 403，"
        "材料不齐或不可容缺返回 422（materials_incomplete，`fields` 按材料代码说明），"
        "非待受理状态返回 409（application_not_submitted）。"
    ),
)
def application_accept(
    request: HttpRequest, code: ApplicationCode, payload: AcceptIn
) -> ApplicationOut:
    user = _user(request)
    application = services.application_accept(
        application=selectors.application_for_user(user, str(code)),
        clerk=user,
        deferred=payload.deferred,
    )
    return _detail(application)


@router.post(
    "/{code}/refuse",
    response={200: ApplicationOut, **_ERRORS},
    tags=_WINDOW,
    operation_id="application_refuse",
    url_name="application_refuse",
    summary="不予受理",
    description=(
        "本区综合窗口人员对已提交的申请作出不予受理决定，须写明理由和法律依据（否则 422 "
        "refusal_incomplete）。非本区窗口人员返回 404 或 403，非待受理状态返回 409。"
    ),
)
def application_refuse(
    request: HttpRequest, code: ApplicationCode, payload: RefuseIn
) -> ApplicationOut:
    user = _user(request)
    application = services.application_refuse(
        application=selectors.application_for_user(user, str(code)),
        clerk=user,
        reason=payload.reason,
        legal_basis=payload.legal_basis,
    )
    return _detail(application)
