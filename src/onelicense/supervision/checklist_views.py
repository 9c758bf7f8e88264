"""The city admin's checklist pages (一业一单): every industry's checklist, a checklist's points
with their text, legal basis and department to edit, a point to add, a point to switch off.

City admins only (`city_admin_only`): anonymous users log in, anyone else gets a 403 page.
Each POST: the access helper, a form, one service; a refusal shows on the page and changes
nothing; success redirects back with a banner.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.core.errors import DomainError
from onelicense.supervision import checklists, selectors, services
from onelicense.supervision.forms import CheckPointForm
from onelicense.supervision.models import Checklist, CheckPoint

View = Callable[..., HttpResponseBase]


def city_admin_only(view: View) -> View:
    """City admins only: anonymous users log in, anyone else gets a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not isinstance(user, User) or user.role != User.Role.CITY_ADMIN:
            return render(request, "supervision/checklists_forbidden.html", status=403)
        return view(request, user, *args, **kwargs)

    return wrapper


def _save(request: HttpRequest, form: CheckPointForm, admin: User, **kwargs: Any) -> bool:
    """The form through `check_point_save`; its refusal shows on the form."""
    if not form.is_valid():
        return False
    try:
        services.check_point_save(actor=admin, **form.cleaned_data, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        for field, message in exc.fields.items():
            name = "department_code" if field == "department" else field
            if name in form.fields:
                form.add_error(name, message)
        return False
    return True


@city_admin_only
def checklist_list(request: HttpRequest, admin: User) -> HttpResponse:
    return render(
        request, "supervision/checklists.html", {"checklists": selectors.checklists_overview()}
    )


@city_admin_only
def checklist_edit(request: HttpRequest, admin: User, code: str) -> HttpResponse:
    """The checklist's points, and the form to add one (POST)."""
    checklist = get_object_or_404(Checklist, industry_code=code)
    form = CheckPointForm(request.POST or None)
    if request.method == "POST" and _save(request, form, admin, checklist=checklist):
        messages.success(request, _("已添加检查要点"))
        return redirect("supervision:checklist_edit", code)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "supervision/checklist_edit.html",
        {
            "checklist": checklist,
            "points": selectors.checklist_all_points(checklist),
            "form": form,
        },
        status=status,
    )


@city_admin_only
def point_edit(request: HttpRequest, admin: User, code: str, pk: int) -> HttpResponse:
    point = get_object_or_404(CheckPoint, pk=pk, checklist__industry_code=code)
    initial = {
        "text": point.text,
        "legal_basis": point.legal_basis,
        "department_code": point.department.code,
    }
    form = CheckPointForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save(
        request, form, admin, checklist=point.checklist, point=point
    ):
        messages.success(request, _("检查要点已保存"))
        return redirect("supervision:checklist_edit", code)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "supervision/point_edit.html", {"point": point, "form": form}, status=status
    )


@require_POST
@city_admin_only
def point_switch(request: HttpRequest, admin: User, code: str, pk: int) -> HttpResponse:
    point = get_object_or_404(CheckPoint, pk=pk, checklist__industry_code=code)
    on = request.POST.get("active") == "1"
    try:
        checklists.check_point_switch(point=point, actor=admin, active=on)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("检查要点已启用") if on else _("检查要点已停用"))
    return redirect("supervision:checklist_edit", code)
