"""The draft's tasks: questions, the one form, materials, route and commitments."""

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.applications import forms
from onelicense.applications.models import Application, ApplicationItem, Commitment
from onelicense.applications.selectors import (
    application_for_user,
    application_plan,
)
from onelicense.applications.services import (
    application_save,
    commitment_sign,
    material_remove,
    material_upload,
)
from onelicense.applications.views.common import (
    current_user,
    draft_page,
    error_summary,
    page_url,
    refused_page,
)
from onelicense.catalogue.plan import Plan
from onelicense.catalogue.selectors import GuideItem
from onelicense.catalogue.views import answers_from_query, plan_lenient
from onelicense.core.errors import DomainError


@draft_page
def questions(request: HttpRequest, application: Application) -> HttpResponse:
    if request.method != "POST":
        return _questions_page(request, application, forms.answers_raw(application.answers))
    posted = answers_from_query(application.industry.questions.all(), request.POST)
    try:
        application_save(application=application, actor=current_user(request), answers=posted)
    except DomainError as error:
        return _questions_page(request, application, posted, error.fields, status=422)
    if request.POST.get("action") == "continue":
        return redirect("applications:detail", application.code)
    messages.success(request, _("已保存回答，需要办理的事项已按您的回答更新。"))
    return redirect(page_url("questions", application, "items"))


@draft_page
def questions_preview(request: HttpRequest, application: Application) -> HttpResponse:
    """The questions and items for answers not yet saved: plan.js swaps this in on a change.
    The rules run here, on the server, as they do for every page."""
    values = answers_from_query(application.industry.questions.all(), request.GET)
    return _questions_page(
        request, application, values, template="applications/_questions_fragment.html"
    )


def _questions_page(
    request: HttpRequest,
    application: Application,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
    template: str = "applications/questions.html",
) -> HttpResponse:
    plan, invalid = plan_lenient(
        industry=application.industry, answers=values, district=application.district
    )
    fields = forms.question_fields(plan.questions, values, invalid | (errors or {}))
    shown = {field.name for field in fields}
    query = urlencode(
        {"district": application.district.code, **plan.answers} | _flags(plan), doseq=True
    )
    context = {
        "application": application,
        "plan": plan,
        "fields": fields,
        # Answers of questions hidden now (a follow-up whose condition no longer holds, or
        # holds on a bad answer) ride along, so that they come back when it shows again.
        "carried": forms.carried(values, shown),
        "errors": error_summary(fields),
        "notice_url": reverse("catalogue:notice", args=[application.industry.code]) + "?" + query,
    }
    return render(request, template, context, status=status)


def _flags(plan: Plan) -> dict[str, str]:
    """Booleans as the notice's query string takes them."""
    return {
        code: ("true" if value else "false")
        for code, value in plan.answers.items()
        if isinstance(value, bool)
    }


# --- 2. The one form -----------------------------------------------------------------------


@draft_page
def one_form(request: HttpRequest, application: Application) -> HttpResponse:
    plan = application_plan(application)
    if request.method != "POST":
        return _form_page(
            request, application, plan, forms.form_values(plan, application.form_data)
        )
    posted = forms.form_posted(plan, request.POST)
    try:
        application_save(application=application, actor=current_user(request), form_data=posted)
    except DomainError as error:  # the service saved nothing
        return _form_page(request, application, plan, posted, error.fields, status=422)
    messages.success(request, _("申请表已保存。"))
    return redirect("applications:detail", application.code)


def _form_page(
    request: HttpRequest,
    application: Application,
    plan: Plan,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = forms.form_sections(plan, values, errors or {})
    fields = [f for _section, section_fields in sections for f in section_fields]
    known = {f.name for f in fields}
    stray = {code: message for code, message in (errors or {}).items() if code not in known}
    context = {
        "application": application,
        "sections": sections,
        "errors": error_summary(fields, stray),
    }
    return render(request, "applications/form.html", context, status=status)


# --- 3. Materials --------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialRow:
    code: str
    name: str
    form: str
    note: str
    item_names: list[str]
    conditions: list[str]
    required: bool
    deferrable: bool
    files: list[Any]


def material_rows(application: Application, plan: Plan) -> list[MaterialRow]:
    files: dict[str, list[Any]] = {}
    for record in application.material_files.select_related("material"):
        files.setdefault(record.material.code, []).append(record)
    rows = []
    for merged in plan.materials:
        code = merged.material.code
        links = [gm for gi in plan.items for gm in gi.materials if gm.material.code == code]
        required = any(gm.required for gm in links)
        strict = any(gm.required and not gm.deferrable for gm in links)
        rows.append(
            MaterialRow(
                code,
                merged.material.name,
                str(merged.material.get_form_display()),
                merged.material.note,
                merged.item_names,
                merged.conditions,
                required,
                required and not strict,
                files.get(code, []),
            )
        )
    return rows


@draft_page
def materials(request: HttpRequest, application: Application) -> HttpResponse:
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["material"]
        try:
            material_upload(
                application=application,
                actor=current_user(request),
                material_code=code,
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("已上传“%(name)s”。") % {"name": form.cleaned_data["file"].name}
            )
            return redirect(page_url("materials", application, f"m-{code}"))
    rows = material_rows(application, application_plan(application))
    failed = form.data.get("material", "") if form.errors else ""
    errors = [(f"#m-{failed}-file", message) for message in _form_messages(form)]
    context = {
        "application": application,
        "rows": rows,
        "form": form,
        "failed": failed,
        "errors": errors,
    }
    return render(request, "applications/materials.html", context, status=422 if errors else 200)


def _form_messages(form: Any) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


@require_POST
@draft_page
def material_delete(request: HttpRequest, application: Application, file_id: int) -> HttpResponse:
    try:
        material_remove(application=application, actor=current_user(request), file_id=file_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除该文件。"))
    return redirect(page_url("materials", application))


@login_required
def material_download(request: HttpRequest, code: uuid.UUID, file_id: int) -> HttpResponseBase:
    """A file as uploaded, to whoever may see the application (its type read from its bytes)."""
    try:
        application = application_for_user(current_user(request), str(code))
    except DomainError as error:
        return refused_page(request, error)
    record = get_object_or_404(application.material_files, pk=file_id)
    return FileResponse(
        record.file.open("rb"), content_type=record.content_type, filename=record.original_name
    )


# --- 4. Route and commitment ---------------------------------------------------------------


@draft_page
def commitments(request: HttpRequest, application: Application) -> HttpResponse:
    plan = application_plan(application)
    eligible = [gi for gi in plan.items if gi.item.commitment_allowed]
    if not eligible:
        return redirect("applications:detail", application.code)
    signed = {c.item.code: c for c in application.commitments.select_related("item")}
    posted = request.POST.get("item", "") if request.method == "POST" else ""
    rows = [
        _route_row(
            application,
            gi,
            signed.get(gi.item.code),
            request.POST if gi.item.code == posted else None,
        )
        for gi in eligible
    ]
    form = next((row["form"] for row in rows if row["item"].item.code == posted), None)
    if form is not None and form.is_valid():
        try:
            _route_save(application, current_user(request), posted, form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已保存办理方式。"))
            return redirect(page_url("commitments", application, f"c-{posted}"))
    context = {"application": application, "rows": rows, "errors": _route_errors(posted, form)}
    return render(
        request, "applications/commitments.html", context, status=422 if context["errors"] else 200
    )


def _route_errors(code: str, form: forms.RouteForm | None) -> list[tuple[str, str]]:
    anchors = {"route": "standard", "signer_name": "signer", "agree": "agree"}
    if form is None:
        return []
    return [
        (f"#c-{code}-{anchors[name]}" if name in anchors else f"#c-{code}", str(message))
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]


def _route_row(
    application: Application, gi: GuideItem, signed: Commitment | None, data: Any
) -> dict[str, Any]:
    code = gi.item.code
    initial = {
        "route": application.routes.get(code, ""),
        "signer_name": signed.signer_name
        if signed
        else application.form_data.get("legal_representative", ""),
        "agree": signed is not None,
    }
    return {
        "item": gi,
        "form": forms.RouteForm(data, prefix=code, initial=initial),
        "signed": signed,
    }


def _route_save(application: Application, user: User, item_code: str, data: dict[str, Any]) -> None:
    if data["route"] == ApplicationItem.Route.COMMITMENT:
        commitment_sign(
            application=application,
            actor=user,
            item_code=item_code,
            signer_name=data["signer_name"],
        )
    else:
        application_save(application=application, actor=user, routes={item_code: data["route"]})


# --- 5. Check your answers, submit, confirmation --------------------------------------------
