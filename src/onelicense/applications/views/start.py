"""我的申请 and starting an application in a district that offers the industry."""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.applications import forms
from onelicense.applications.selectors import (
    applications_of,
)
from onelicense.applications.services import (
    application_create,
)
from onelicense.applications.views.common import current_user, refused_page
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.models import Industry
from onelicense.core.errors import DomainError


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    rows = applications_of(current_user(request)).order_by("-updated_at", "-id")
    return render(request, "applications/list.html", {"applications": rows})


STARTERS = (User.Role.APPLICANT, User.Role.CLERK)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Choose the district (and, at the window, note the consent), then open the draft."""
    user = current_user(request)
    if user.role not in STARTERS:
        error = DomainError("forbidden", _("只有申请人或综合窗口人员可以发起申请"), status=403)
        return refused_page(request, error)
    industry = _industry_or_none(request.POST.get("industry") or request.GET.get("industry", ""))
    if industry is None:
        return render(request, "applications/start_industry.html", _industries())
    own = user.district.code if user.role == User.Role.CLERK and user.district else ""
    district = own or request.GET.get("district", "")
    initial = {"industry": industry.code, "district": district, "token": uuid.uuid4().hex}
    form = forms.StartForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_create(
                actor=user,
                industry_code=industry.code,
                district_code=data["district"],
                client_key=data["token"],
                consent=data["consent"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("applications:detail", application.code)
    context = {"form": form, "industry": industry, "districts": _districts(user, industry, form)}
    return render(request, "applications/start.html", context, status=422 if form.errors else 200)


def _industry_or_none(code: str) -> Industry | None:
    if not code:
        return None
    try:
        return catalogue.industry_get(code=code)
    except DomainError as error:
        raise Http404(error.message) from error


def _industries() -> dict[str, Any]:
    try:
        return {"industries": catalogue.industry_list()}
    except DomainError as error:
        raise Http404(error.message) from error


def _districts(user: User, industry: Industry, form: forms.StartForm) -> list[forms.Choice]:
    """Every district, the ones that have not opened the industry shown but not choosable; a
    clerk files only in their own."""
    chosen = str(form["district"].value() or "")
    places = (
        [user.district]
        if user.role == User.Role.CLERK and user.district
        else catalogue.districts_all()
    )
    return [
        forms.Choice(
            d.code,
            d.name,
            d.code == chosen,
            disabled=catalogue.offering_get(district=d, industry_code=industry.code) is None,
        )
        for d in places
    ]


# --- The task list and the status page -----------------------------------------------------
