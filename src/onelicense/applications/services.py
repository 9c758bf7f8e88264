"""Writes to applications: draft, answer, fill, upload, sign, submit, withdraw, accept, refuse.

Each service checks its rule, writes, records an event and raises one DomainError with a code and
a Chinese message; nothing is half written (one transaction each).
"""

import datetime
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import District, User
from onelicense.applications.models import (
    Application,
    ApplicationCounter,
    ApplicationItem,
    Commitment,
    Enterprise,
    MaterialDeferral,
    MaterialFile,
)
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.elements import ElementValueError, element_value_clean, is_blank
from onelicense.catalogue.models import ApprovalItem, InfoElement, Material
from onelicense.catalogue.plan import Plan, plan_compute
from onelicense.core.calendar import working_days_add
from onelicense.core.errors import DomainError
from onelicense.core.pipeline import pipeline_run
from onelicense.core.services import event_record

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The file's first bytes say what it is; the name and the browser's claim are not trusted.
SIGNATURES = {
    b"%PDF-": MaterialFile.ContentType.PDF,
    b"\xff\xd8\xff": MaterialFile.ContentType.JPEG,
    b"\x89PNG\r\n\x1a\n": MaterialFile.ContentType.PNG,
}
DEFERRAL_WORKING_DAYS = 5


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require_draft(application: Application) -> None:
    if application.status != Application.Status.DRAFT:
        raise DomainError("application_not_draft", _("申请已提交，不能再修改"), status=409)


def application_create(
    *,
    actor: User,
    industry_code: str,
    district_code: str,
    client_key: str | None = None,
    consent: str = "",
) -> Application:
    """Open a draft: online by an applicant, or at the window by a clerk with the consent noted.

    The same client key (a form's token, an API Idempotency-Key) gives back the same draft, so a
    double click or a retry makes one application.
    """
    if client_key:
        existing = Application.objects.filter(created_by=actor, client_key=client_key).first()
        if existing:
            return existing
    industry = catalogue.industry_get(code=industry_code)
    district = catalogue.district_get(district_code)
    if catalogue.offering_get(district=district, industry_code=industry.code) is None:
        raise DomainError(
            "industry_not_offered",
            _("%(district)s暂未开通“%(industry)s”的“一业一证”办理")
            % {"district": district.name, "industry": industry.name},
            fields={"district": str(_("该区暂未开通此行业"))},
            status=422,
        )
    fields: dict[str, Any] = {"industry": industry, "district": district, "created_by": actor}
    if actor.role == User.Role.APPLICANT:
        fields |= {"channel": Application.Channel.ONLINE, "applicant": actor}
    elif actor.role == User.Role.CLERK and actor.district_id == district.pk:
        if not consent.strip():
            raise DomainError(
                "consent_required",
                _("代为申请须记录申请人的授权"),
                fields={"consent": str(_("请填写申请人授权情况"))},
                status=422,
            )
        fields |= {
            "channel": Application.Channel.WINDOW,
            "filed_by": actor,
            "consent": consent.strip(),
        }
    else:
        raise DomainError("forbidden", _("无权在该区发起申请"), status=403)
    try:
        with transaction.atomic():
            application = Application.objects.create(client_key=client_key or None, **fields)
            event_record(actor=actor, verb="application_created", subject=application)
    except IntegrityError:
        # The same key raced in from a second request: that one made the draft.
        return Application.objects.get(created_by=actor, client_key=client_key)
    return application


def _plan(application: Application, answers: dict[str, Any] | None = None) -> Plan:
    return plan_compute(
        industry=application.industry,
        answers=application.answers if answers is None else answers,
        district=application.district,
    )


def _elements(application: Application) -> dict[str, InfoElement]:
    return {e.code: e for e in InfoElement.objects.filter(version=application.industry.version)}


def _clean_form(
    form_data: dict[str, Any], elements: dict[str, InfoElement], district: District
) -> dict[str, Any]:
    cleaned, errors = {}, {}
    for code, value in form_data.items():
        element = elements.get(code)
        if element is None:
            errors[code] = str(_("没有这个信息要素"))
            continue
        try:
            cleaned[code] = element_value_clean(element, value, district)
        except ElementValueError as exc:
            errors[code] = str(exc)
    if errors:
        raise DomainError("invalid_form", _("申请表填写有误，请检查"), fields=errors, status=422)
    return {code: value for code, value in cleaned.items() if value is not None}


@transaction.atomic
def application_save(
    *,
    application: Application,
    actor: User,
    answers: dict[str, Any] | None = None,
    form_data: dict[str, Any] | None = None,
    routes: dict[str, str] | None = None,
) -> Application:
    """Save what the applicant has given so far: all of it valid, or nothing changes.

    `form_data` and `routes` are merged into what was saved before; `answers` replace it.
    """
    application = _locked(application)
    _require_draft(application)
    plan = _plan(application, answers)  # checks the answers (422 on a bad one)
    if answers is not None:
        application.answers = plan.answers | {
            code: value
            for code, value in answers.items()
            if code not in plan.answers and not is_blank(value)
        }
    if form_data is not None:
        cleaned = _clean_form(form_data, _elements(application), application.district)
        merged = application.form_data | cleaned
        for code, value in form_data.items():
            if is_blank(value):
                merged.pop(code, None)
        application.form_data = merged
    if routes is not None:
        application.routes = application.routes | _clean_routes(routes, plan)
    application.save()
    return application


def _clean_routes(routes: dict[str, str], plan: Plan) -> dict[str, str]:
    items = {gi.item.code: gi.item for gi in plan.items}
    errors = {}
    for code, route in routes.items():
        item = items.get(code)
        if item is None:
            errors[code] = str(_("该事项不在本次申请之中"))
        elif route not in ApplicationItem.Route.values:
            errors[code] = str(_("办理方式应为一般程序或告知承诺"))
        elif route == ApplicationItem.Route.COMMITMENT and not item.commitment_allowed:
            errors[code] = str(_("该事项不适用告知承诺"))
    if errors:
        raise DomainError("invalid_route", _("办理方式选择有误"), fields=errors, status=422)
    return routes


@transaction.atomic
def commitment_sign(
    *, application: Application, actor: User, item_code: str, signer_name: str
) -> Commitment:
    """Sign the commitment text shown for an item; the item then takes the commitment route."""
    application = _locked(application)
    _require_draft(application)
    item = next((gi.item for gi in _plan(application).items if gi.item.code == item_code), None)
    if item is None:
        raise DomainError("item_not_in_application", _("该事项不在本次申请之中"), status=422)
    if not item.commitment_allowed:
        raise DomainError("commitment_not_allowed", _("该事项不适用告知承诺"), status=422)
    if not signer_name.strip():
        raise DomainError(
            "signer_required",
            _("请填写承诺人姓名"),
            fields={"signer_name": str(_("请填写承诺人姓名"))},
            status=422,
        )
    commitment, _created = Commitment.objects.update_or_create(
        application=application,
        item=item,
        defaults={
            "text": item.commitment_text,
            "signer_name": signer_name.strip(),
            "signed_by": actor,
        },
    )
    application.routes = application.routes | {item.code: ApplicationItem.Route.COMMITMENT}
    application.save(update_fields=["routes", "updated_at"])
    event_record(
        actor=actor, verb="commitment_signed", subject=application, data={"item": item.code}
    )
    return commitment


def _content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


@transaction.atomic
def material_upload(
    *,
    application: Application,
    actor: User,
    material_code: str,
    upload: UploadedFile,
    amend: bool = False,
) -> MaterialFile:
    """Store a file for a material the plan asks for; the type is read from the content.

    `amend` lets a file be added to an accepted application, as a correction (补正) asks.
    """
    application = _locked(application)
    if not (amend and application.status == Application.Status.ACCEPTED):
        _require_draft(application)
    wanted = {m.material.code: m.material for m in _plan(application).materials}
    material = wanted.get(material_code)
    if material is None:
        raise DomainError("material_not_required", _("本次申请不需要该材料"), status=422)
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise DomainError(
            "file_too_large",
            _("文件不能超过 10 MB"),
            fields={"file": str(_("文件不能超过 10 MB"))},
            status=413,
        )
    content = upload.read()
    kind = _content_type(content[:16])
    if size == 0 or kind is None:
        raise DomainError(
            "file_type_not_allowed",
            _("只能上传 PDF、JPG 或 PNG 文件"),
            fields={"file": str(_("文件内容不是 PDF、JPG 或 PNG"))},
            status=415,
        )
    record = MaterialFile(
        application=application,
        material=material,
        original_name=(upload.name or "file")[-200:],
        content_type=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    record.file.save(record.original_name, ContentFile(content), save=False)
    record.save()
    event_record(
        actor=actor,
        verb="material_uploaded",
        subject=application,
        data={"material": material.code, "sha256": record.sha256},
    )
    return record


@transaction.atomic
def material_remove(*, application: Application, actor: User, file_id: int) -> None:
    application = _locked(application)
    _require_draft(application)
    record = application.material_files.filter(pk=file_id).first()
    if record is None:
        raise DomainError("file_not_found", _("未找到该文件"), status=404)
    transaction.on_commit(lambda: record.file.delete(save=False))
    record.delete()
    event_record(
        actor=actor,
        verb="material_removed",
        subject=application,
        data={"material": record.material.code},
    )


def application_problems(application: Application, plan: Plan) -> dict[str, str]:
    """What still stops submission, by field: unanswered questions, empty required elements,
    missing required materials (容缺 ones may follow), unsigned commitments."""
    problems: dict[str, str] = {}
    for asked in plan.questions:
        if is_blank(asked.answer):
            problems[f"answers.{asked.question.code}"] = str(_("请回答此问题"))
    if not plan.items:
        problems["items"] = str(_("根据您的回答，没有需要办理的审批事项"))
    for field in plan.fields:
        if field.required and is_blank(application.form_data.get(field.element.code)):
            problems[f"form.{field.element.code}"] = str(_("此项必填"))
    uploaded = set(application.material_files.values_list("material__code", flat=True))
    for code, (required, deferrable) in _material_needs(plan).items():
        if required and not deferrable and code not in uploaded:
            problems[f"materials.{code}"] = str(_("请上传此材料"))
    signed = set(application.commitments.values_list("item__code", flat=True))
    for guide_item in plan.items:
        route = application.routes.get(guide_item.item.code)
        if route == ApplicationItem.Route.COMMITMENT and guide_item.item.code not in signed:
            problems[f"commitments.{guide_item.item.code}"] = str(_("请签署告知承诺书"))
    return problems


def _number(district: District, day: datetime.date) -> str:
    """District code + date + serial: 110105 20261128 0001. The counter row is locked, so two
    submissions at once get two serials."""
    counter, _created = ApplicationCounter.objects.get_or_create(district=district, day=day)
    ApplicationCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{district.code}{day:%Y%m%d}{counter.last:04d}"


@transaction.atomic
def application_submit(*, application: Application, actor: User) -> Application:
    """Submit once: a second submit of the same application answers with it, unchanged."""
    application = _locked(application)
    if application.status == Application.Status.SUBMITTED:
        return application
    _require_draft(application)
    plan = _plan(application)
    _clean_form(application.form_data, _elements(application), application.district)
    problems = application_problems(application, plan)
    if problems:
        raise DomainError(
            "application_incomplete", _("申请尚不完整，请补充后再提交"), fields=problems, status=422
        )
    ApplicationItem.objects.bulk_create(
        ApplicationItem(
            application=application,
            item=gi.item,
            route=application.routes.get(gi.item.code, ApplicationItem.Route.STANDARD),
            order=i,
        )
        for i, gi in enumerate(plan.items)
    )
    form = application.form_data
    enterprise, _created = Enterprise.objects.update_or_create(
        uscc=form["uscc"],
        defaults={
            "name": form["enterprise_name"],
            "legal_representative": form["legal_representative"],
        },
    )
    now = timezone.now()
    application.enterprise = enterprise
    application.answers = plan.answers
    application.number = _number(application.district, timezone.localdate(now))
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.save()
    event_record(
        actor=actor,
        verb="application_submitted",
        subject=application,
        data={"number": application.number, "items": [gi.item.code for gi in plan.items]},
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str = "") -> Application:
    """Withdraw (撤回申请) until every item is decided; open cases then stop."""
    application = _locked(application)
    if not application.can_withdraw:
        raise DomainError(
            "application_not_withdrawable", _("申请已办结或已终止，不能撤回"), status=409
        )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, verb="application_withdrawn", subject=application, reason=reason)
    return application


def _require_clerk_of(application: Application, clerk: User) -> None:
    if clerk.role != User.Role.CLERK or clerk.district_id != application.district_id:
        raise DomainError("forbidden", _("只有本区综合窗口人员可以受理"), status=403)


@transaction.atomic
def application_accept(
    *, application: Application, clerk: User, deferred: list[str] | None = None
) -> Application:
    """受理, or 容缺受理 with materials to follow: every department's case starts from it."""
    application = _locked(application)
    _require_clerk_of(application, clerk)
    if application.status != Application.Status.SUBMITTED:
        raise DomainError(
            "application_not_submitted", _("只有已提交待受理的申请可以受理"), status=409
        )
    deferred_codes = set(deferred or [])
    _check_deferrable(application, deferred_codes)
    items = list(application.items.select_related("item"))
    today = timezone.localdate()
    due = working_days_add(today, max(ai.item.promised_limit_days for ai in items))
    follow_up = working_days_add(today, DEFERRAL_WORKING_DAYS).date
    MaterialDeferral.objects.bulk_create(
        MaterialDeferral(application=application, material=material, due_date=follow_up)
        for material in Material.objects.filter(
            version=application.industry.version, code__in=deferred_codes
        )
    )
    application.status = Application.Status.ACCEPTED
    application.decided_at = timezone.now()
    application.decided_by = clerk
    application.promised_date = due.date
    application.promised_date_certain = due.certain
    application.save()
    event_record(
        actor=clerk,
        verb="application_accepted",
        subject=application,
        data={"deferred": sorted(deferred_codes), "promised_date": due.date.isoformat()},
    )
    # 一窗受理、分类审批: the departments' cases open in this same transaction.
    pipeline_run("ONELICENSE_ON_ACCEPTED", application=application, actor=clerk)
    return application


def _material_needs(plan: Plan) -> dict[str, tuple[bool, bool]]:
    """Material code → (required, may follow later) over the items and rules that apply."""
    needs: dict[str, tuple[bool, bool]] = {}
    for guide_item in plan.items:
        for gm in guide_item.materials:
            _required, deferrable = needs.get(gm.material.code, (False, True))
            if gm.required:
                needs[gm.material.code] = (True, deferrable and gm.deferrable)
            else:
                needs.setdefault(gm.material.code, (False, True))
    return needs


def _check_deferrable(application: Application, deferred: set[str]) -> None:
    uploaded = set(application.material_files.values_list("material__code", flat=True))
    needs = _material_needs(_plan(application))
    errors = {}
    for code in sorted(deferred):
        required, deferrable = needs.get(code, (False, True))
        if required and not deferrable:
            errors[code] = str(_("该材料不可容缺，须当场提交"))
        elif not required or code in uploaded:
            errors[code] = str(_("该材料已提交或不需要，无需容缺"))
    for code, (required, _deferrable) in needs.items():
        if required and code not in uploaded and code not in deferred:
            errors[code] = str(_("材料未提交，不能受理"))
    if errors:
        raise DomainError(
            "materials_incomplete", _("材料不齐全，不能受理"), fields=errors, status=422
        )


@transaction.atomic
def application_refuse(
    *, application: Application, clerk: User, reason: str, legal_basis: str
) -> Application:
    """不予受理, with the reasons and the legal basis the applicant is told."""
    application = _locked(application)
    _require_clerk_of(application, clerk)
    if application.status != Application.Status.SUBMITTED:
        raise DomainError(
            "application_not_submitted", _("只有已提交待受理的申请可以不予受理"), status=409
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = str(_("请填写不予受理的理由"))
    if not legal_basis.strip():
        errors["legal_basis"] = str(_("请填写不予受理的法律依据"))
    if errors:
        raise DomainError(
            "refusal_incomplete", _("不予受理须说明理由和依据"), fields=errors, status=422
        )
    application.status = Application.Status.REFUSED
    application.decided_at = timezone.now()
    application.decided_by = clerk
    application.refusal_reason = reason.strip()
    application.refusal_basis = legal_basis.strip()
    application.save()
    event_record(actor=clerk, verb="application_refused", subject=application, reason=reason)
    return application


def item_of(application: Application, item_code: str) -> ApprovalItem | None:
    return next((gi.item for gi in _plan(application).items if gi.item.code == item_code), None)


@transaction.atomic
def application_complete(*, application: Application, actor: User | None = None) -> bool:
    """Mark an accepted application 已办结 once: True for the one call that does it.

    The conditional update makes two departments finishing at the same moment complete it once.
    """
    done = Application.objects.filter(pk=application.pk, status=Application.Status.ACCEPTED).update(
        status=Application.Status.COMPLETED, completed_at=timezone.now()
    )
    if done:
        event_record(actor=actor, verb="application_completed", subject=application)
    return bool(done)


@transaction.atomic
def application_amend(
    *, application: Application, actor: User, form_data: dict[str, Any], reason: str
) -> Application:
    """Change form values of an accepted application (补正): checked like a draft's, recorded."""
    application = _locked(application)
    if application.status != Application.Status.ACCEPTED:
        raise DomainError("application_not_accepted", _("只有审查中的申请可以补正"), status=409)
    cleaned = _clean_form(form_data, _elements(application), application.district)
    application.form_data = application.form_data | cleaned
    application.save(update_fields=["form_data", "updated_at"])
    event_record(
        actor=actor,
        verb="application_amended",
        subject=application,
        reason=reason,
        data={"fields": sorted(cleaned)},
    )
    return application
