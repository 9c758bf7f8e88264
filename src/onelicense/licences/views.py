"""Certificates (一证准营) and permits (一码联动) for the people who hold them.

- The district admin's workbench: what waits to be issued, what was issued and voided, one
  certificate with its versions and the reissue form, the district's signing keys.
- The applicant: the PDF of their own certificate; the request for an early certificate.
- Reviewers: their department's permits and each permit's lifecycle operations.

Each view: one access helper (another district's or department's record is not found), a form,
one service; a DomainError shows on the page and nothing has changed; success redirects with a
banner (PRG).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.core.errors import DomainError
from onelicense.licences import keys, selectors, services
from onelicense.licences.forms import (
    PERMIT_FORMS,
    KeyRetireForm,
    PermitActionForm,
    PermitFilterForm,
    ReissueForm,
    WorkbenchFilterForm,
    permit_forms,
)
from onelicense.licences.models import Certificate, Permit

View = Callable[..., HttpResponseBase]
T = TypeVar("T")


# --- Access ------------------------------------------------------------------------------------


def _only(role: str, area: Any) -> Callable[[View], View]:
    """One role only: anonymous users log in, anyone else gets a 403 page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request.user, "role", None) != role:
                context = {"area": area, "role": role}
                return render(request, "licences/forbidden.html", context, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


admin_only = _only(User.Role.DISTRICT_ADMIN, _("综合许可凭证工作台"))
reviewer_only = _only(User.Role.REVIEWER, _("单项审批证件"))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the decorators let only signed-in users in
    return request.user


def _found(find: Callable[..., T], *args: Any) -> T:
    """The access helper's answer, or 404: what the user may not see does not exist for them."""
    try:
        return find(*args)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _pdf(certificate: Certificate) -> FileResponse:
    try:
        certificate = services.certificate_pdf_ensure(certificate=certificate)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    name = f"{certificate.number}-v{certificate.version}.pdf"
    response = FileResponse(
        certificate.pdf.open("rb"), content_type="application/pdf", as_attachment=True
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The district admin's workbench ----------------------------------------------------------


@never_cache
@admin_only
def workbench(request: HttpRequest) -> HttpResponse:
    admin = _user(request)
    tab, query = WorkbenchFilterForm(request.GET).values()
    bench = selectors.workbench(admin=admin, tab=tab, query=query, page=request.GET.get("p"))
    assert admin.district_id is not None
    district_keys = selectors.district_keys(admin.district_id)
    context = {
        "bench": bench,
        "district": admin.district,
        "keys": district_keys,
        "active_key": next((row.key for row in district_keys if row.key.active), None),
    }
    return render(request, "licences/workbench.html", context)


@require_POST
@admin_only
def issue(request: HttpRequest, code: object) -> HttpResponse:
    """颁发; early (先行颁发) when the applicant asked before every item was decided."""
    application = _found(selectors.application_for_issue, _user(request), str(code))
    # Early only at the applicant's request; otherwise the service wants every item decided.
    early = application.status == Application.Status.ACCEPTED and (
        selectors.certificate_requested(application)
    )
    try:
        certificate = services.certificate_issue(
            application=application, admin=_user(request), early=early
        )
    except DomainError as exc:
        messages.error(request, f"{application.number}：{exc.message}")
        return redirect(f"{reverse('licences:workbench')}?tab=pending")
    messages.success(
        request,
        _(
            "已颁发综合许可凭证 %(number)s（第 %(version)s 版），"
            "并排队推送至市电子证照库、写入电子档案。"
        )
        % {"number": certificate.number, "version": certificate.version},
    )
    return redirect("licences:certificate", certificate.pk)


def _certificate_page(
    request: HttpRequest,
    certificate: Certificate,
    failed: ReissueForm | None = None,
    status: int = 200,
) -> HttpResponse:
    url = services.verify_url(certificate.token)
    qr = segno.make(url, error="m").svg_inline(scale=3, dark="#0b0c0c")
    context = {
        "sheet": selectors.certificate_sheet(certificate),
        "certificate": certificate,
        "verify_url": url,
        "qr": mark_safe(qr),  # segno's own SVG of our own URL
        "form": failed or ReissueForm(),
        "failed": failed,
    }
    return render(request, "licences/certificate.html", context, status=status)


@never_cache
@admin_only
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _found(selectors.certificate_for_admin, _user(request), pk)
    return _certificate_page(request, certificate)


@never_cache
@admin_only
def certificate_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _pdf(_found(selectors.certificate_for_admin, _user(request), pk))


@require_POST
@admin_only
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _found(selectors.certificate_for_admin, _user(request), pk)
    form = ReissueForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            new = services.certificate_reissue(
                certificate=certificate, admin=_user(request), reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("已换发为第 %(version)s 版，第 %(old)s 版已停止使用。")
                % {"version": new.version, "old": certificate.version},
            )
            return redirect("licences:certificate", new.pk)
    return _certificate_page(request, certificate, failed=form, status=status)


# --- Signing keys ------------------------------------------------------------------------------


@require_POST
@admin_only
def key_rotate(request: HttpRequest) -> HttpResponse:
    admin = _user(request)
    assert admin.district is not None
    key = keys.key_rotate(district=admin.district)
    messages.success(
        request,
        _("已启用新密钥 %(kid)s。此前的密钥仍可核验其已签名的凭证，直至停用。") % {"kid": key.kid},
    )
    return redirect(f"{reverse('licences:workbench')}#keys")


@never_cache
@admin_only
def key_retire(request: HttpRequest, kid: str) -> HttpResponse:
    """停用: a confirmation page, then the POST that retires an old key."""
    key = _found(selectors.key_for_admin, _user(request), kid)
    form = KeyRetireForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            selectors.key_retire_check(key)
            keys.key_retire(key=key)
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status
        else:
            messages.success(request, _("已停用密钥 %(kid)s。") % {"kid": key.kid})
            return redirect(f"{reverse('licences:workbench')}#keys")
    elif request.method == "POST":
        status = 422
    context = {"key": key, "form": form, "current": selectors.key_signed_current(key)}
    return render(request, "licences/key_retire.html", context, status=status)


# --- The applicant -----------------------------------------------------------------------------


@never_cache
@login_required
def mine_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _pdf(_found(selectors.certificate_for_applicant, request.user, pk))


@transaction.atomic
def _back(request: HttpRequest, application: Application) -> str:
    target = str(request.POST.get("next", ""))
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("applications:detail", args=[application.code])


@require_POST
@login_required
def request_early(request: HttpRequest, code: object) -> HttpResponse:
    application = _found(selectors.application_for_owner, request.user, str(code))
    try:
        services.certificate_request(application=application, applicant=_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已申请先行颁发综合许可凭证。已准予许可的事项将列入凭证，其余列为未许可事项。"),
        )
    return redirect(_back(request, application))


# --- Permits of a department -------------------------------------------------------------------


@never_cache
@reviewer_only
def permits(request: HttpRequest) -> HttpResponse:
    reviewer = _user(request)
    form = PermitFilterForm(request.GET)
    status, query = form.values()
    page = selectors.permit_page(reviewer, status=status, query=query, page=request.GET.get("p"))
    context = {"form": form, "page": page, "status": status, "query": query, "reviewer": reviewer}
    return render(request, "licences/permits.html", context)


def _permit_page(
    request: HttpRequest,
    permit: Permit,
    failed: PermitActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = permit_forms(permit)
    if failed is not None and failed.action in forms:
        forms[failed.action] = failed
    context = {
        "sheet": selectors.permit_sheet(permit),
        "permit": permit,
        "forms": forms,
        "failed": failed,
    }
    return render(request, "licences/permit.html", context, status=status)


@never_cache
@reviewer_only
def permit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _permit_page(request, _found(selectors.permit_for_reviewer, _user(request), pk))


@require_POST
@reviewer_only
def permit_change(request: HttpRequest, pk: int, operation: str) -> HttpResponse:
    """One operation; one that ends the permit (and so voids certificates) asks first."""
    permit = _found(selectors.permit_for_reviewer, _user(request), pk)
    if operation not in PERMIT_FORMS:
        raise Http404(_("未知的证件操作"))
    form = PERMIT_FORMS[operation](request.POST)
    if not form.is_valid():
        return _permit_page(request, permit, failed=form, status=422)
    sheet = selectors.permit_sheet(permit)
    if form.ends and not form.cleaned_data["confirmed"]:
        context = {"sheet": sheet, "permit": permit, "form": form}
        return render(request, "licences/permit_confirm.html", context)
    try:
        services.permit_change(
            permit=permit, actor=_user(request), operation=operation, **form.service_kwargs()
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _permit_page(request, permit, failed=form, status=exc.status)
    done = _("已%(op)s：%(permit)s。") % {"op": form.title, "permit": permit.number}
    if form.ends and sheet.voids:
        done += str(_("%(n)s 份综合许可凭证已作废并收回。") % {"n": len(sheet.voids)})
    messages.success(request, done)
    return redirect("licences:permit", permit.pk)
