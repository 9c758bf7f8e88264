"""The inspector's pages: the inbox, sampling plans with the 无事不扰 list, the inspection form
with a result per check point, actions on findings, complaints, and an enterprise's record.

Only inspectors use them (`inspector_only`), and only for their district: another district's
inspection or enterprise is not found. Each POST: the access helper, a form, one service; a
DomainError shows on the page and nothing has changed; success redirects back with a banner.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.applications.models import Enterprise
from onelicense.core.errors import DomainError
from onelicense.licences.selectors import holder_find
from onelicense.supervision import followup, sampling, selectors, services
from onelicense.supervision.forms import (
    ActionForm,
    HandleForm,
    InspectionForm,
    PlanForm,
    PlanInspectionsForm,
    RectifiedForm,
)
from onelicense.supervision.models import EnforcementAction, Inspection, SamplingPlan

View = Callable[..., HttpResponseBase]


def inspector_only(view: View) -> View:
    """Inspectors only: anonymous users log in, anyone else gets a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not isinstance(user, User) or user.role != User.Role.INSPECTOR or not user.department:
            return render(request, "supervision/forbidden.html", status=403)
        return view(request, user, *args, **kwargs)

    return wrapper


def _inspection(inspector: User, pk: int) -> Inspection:
    try:
        return selectors.inspection_for_inspector(inspector, pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _enterprise(inspector: User, uscc: str) -> Enterprise:
    """An enterprise that holds a permit of the inspector's district; else not found."""
    enterprise = holder_find(uscc=uscc)
    district = inspector.department.district if inspector.department else None
    if enterprise is None or not selectors.enterprise_permits_in(enterprise, district):
        raise Http404(_("未找到该市场主体"))
    return enterprise


@inspector_only
def inbox(request: HttpRequest, inspector: User) -> HttpResponse:
    rows = selectors.inspector_inspections(inspector).order_by("status", "planned_for", "id")
    return render(
        request,
        "supervision/inbox.html",
        {
            "inspector": inspector,
            "inspections": rows,
            "complaints": selectors.complaints_for_inspector(inspector)
            .filter(status__in=["received", "accepted"])
            .count(),
        },
    )


@inspector_only
def plans(request: HttpRequest, inspector: User) -> HttpResponse:
    assert inspector.department is not None and inspector.department.district is not None
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = sampling.sampling_plan_create(actor=inspector, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("supervision:plan", plan.pk)
    return render(
        request,
        "supervision/plans.html",
        {
            "form": form,
            "plans": SamplingPlan.objects.filter(district=inspector.department.district),
            "exempt": selectors.exempt_list(inspector.department.district),
        },
    )


def _plan(inspector: User, pk: int) -> SamplingPlan:
    assert inspector.department is not None
    return get_object_or_404(SamplingPlan, pk=pk, district_id=inspector.department.district_id)


@inspector_only
def plan_detail(request: HttpRequest, inspector: User, pk: int) -> HttpResponse:
    plan = _plan(inspector, pk)
    return render(
        request,
        "supervision/plan.html",
        {
            "plan": plan,
            "drawn": selectors.plan_rows(plan),
            "reproduced": sampling.sampling_plan_reproduces(plan),
            "inspections": plan.inspections.select_related("enterprise"),
            "form": PlanInspectionsForm(),
        },
    )


@require_POST
@inspector_only
def plan_inspections(request: HttpRequest, inspector: User, pk: int) -> HttpResponse:
    plan = _plan(inspector, pk)
    form = PlanInspectionsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写检查日期"))
        return redirect("supervision:plan", pk)
    try:
        created = sampling.sampling_plan_inspections_create(
            plan=plan, actor=inspector, planned_for=form.cleaned_data["planned_for"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已安排 %(count)d 次联合检查") % {"count": len(created)})
    return redirect("supervision:plan", pk)


@inspector_only
def inspection_new(request: HttpRequest, inspector: User, uscc: str) -> HttpResponse:
    enterprise = _enterprise(inspector, uscc)
    assert inspector.department is not None and inspector.department.district_id is not None
    people = selectors.district_inspectors(inspector.department.district_id).exclude(
        pk=inspector.pk
    )
    kinds = sorted(
        {(p.department.kind.code, p.department.kind.name) for p in people if p.department}
        | {(inspector.department.kind.code, inspector.department.kind.name)}
    )
    form = InspectionForm(request.POST or None, departments=kinds, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                actor=inspector,
                enterprise=enterprise,
                department_codes=form.cleaned_data["departments"],
                participants=list(form.cleaned_data["participants"]),
                planned_for=form.cleaned_data["planned_for"],
                plan_id=int(request.GET["plan"]) if request.GET.get("plan", "").isdigit() else None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            for field, message in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, message)
        else:
            messages.success(request, _("已安排联合检查"))
            return redirect("supervision:inspection", inspection.pk)
    return render(
        request, "supervision/inspection_new.html", {"form": form, "enterprise": enterprise}
    )


def _result_rows(request: HttpRequest, inspection: Inspection) -> list[services.ResultInput]:
    rows = []
    for line in selectors.inspection_sheet(inspection):
        outcome = request.POST.get(f"outcome-{line.point.pk}", "")
        if outcome:
            severity = (
                request.POST.get(f"severity-{line.point.pk}", "") if outcome == "fail" else ""
            )
            note = request.POST.get(f"note-{line.point.pk}", "")
            rows.append(services.ResultInput(line.point.pk, outcome, severity, note))
    return rows


@inspector_only
def inspection_detail(request: HttpRequest, inspector: User, pk: int) -> HttpResponse:
    inspection = _inspection(inspector, pk)
    if request.method == "POST":
        try:
            services.inspection_results_record(
                inspection=inspection, actor=inspector, results=_result_rows(request, inspection)
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("检查结果已保存"))
            return redirect("supervision:inspection", pk)
    return render(
        request,
        "supervision/inspection.html",
        {
            "inspection": inspection,
            "sheet": selectors.inspection_sheet(inspection),
            "action_form": ActionForm(inspection=inspection),
            "is_participant": inspector in inspection.participants.all(),
        },
    )


@require_POST
@inspector_only
def inspection_complete(request: HttpRequest, inspector: User, pk: int) -> HttpResponse:
    inspection = _inspection(inspector, pk)
    try:
        services.inspection_complete(
            inspection=inspection, actor=inspector, summary=request.POST.get("summary", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("检查已完成，企业信用风险等级已更新"))
    return redirect("supervision:inspection", pk)


@require_POST
@inspector_only
def inspection_action(request: HttpRequest, inspector: User, pk: int) -> HttpResponse:
    inspection = _inspection(inspector, pk)
    form = ActionForm(request.POST, inspection=inspection)
    if not form.is_valid():
        messages.error(
            request, _("处理措施填写有误：%(errors)s") % {"errors": form.errors.as_text()}
        )
        return redirect("supervision:inspection", pk)
    try:
        action = services.action_take(inspection=inspection, actor=inspector, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已作出处理：%(kind)s") % {"kind": action.get_kind_display()})
    return redirect("supervision:inspection", pk)


@inspector_only
def enterprise(request: HttpRequest, inspector: User, uscc: str) -> HttpResponse:
    record = selectors.enterprise_record(_enterprise(inspector, uscc))
    return render(request, "supervision/enterprise.html", {"record": record})


@inspector_only
def complaints(request: HttpRequest, inspector: User) -> HttpResponse:
    rows = selectors.complaints_for_inspector(inspector)
    return render(
        request, "supervision/complaints.html", {"complaints": rows, "form": HandleForm()}
    )


@require_POST
@inspector_only
def complaint_handle(request: HttpRequest, inspector: User, pk: int) -> HttpResponse:
    complaint = get_object_or_404(selectors.complaints_for_inspector(inspector), pk=pk)
    form = HandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果"))
        return redirect("supervision:complaints")
    try:
        services.complaint_handle(complaint=complaint, actor=inspector, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("投诉举报已处理"))
    return redirect("supervision:complaints")


@require_POST
@inspector_only
def action_rectified(request: HttpRequest, inspector: User, pk: int) -> HttpResponse:
    assert inspector.department is not None
    action = get_object_or_404(
        EnforcementAction, pk=pk, inspection__district_id=inspector.department.district_id
    )
    form = RectifiedForm(request.POST)
    try:
        followup.rectification_record(
            action=action,
            actor=inspector,
            note=form.cleaned_data["note"] if form.is_valid() else "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录整改完成"))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("supervision:inspection", action.inspection_id)
