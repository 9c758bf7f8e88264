"""Report pages for the district and city admins: the dashboard, one page per dimension with
its CSV and Excel export, the reform figures, and the rollout tracker with work plan filing.

A district admin sees only their district: its filter is forced, and asking for another
district is refused (403). Everyone else is sent to log in, or refused.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.core.errors import DomainError
from onelicense.reports import charts, exports, selectors, services
from onelicense.reports.forms import ReportFilterForm, WorkPlanForm
from onelicense.reports.tables import columns_for

View = Callable[..., HttpResponseBase]
REPORTERS = (User.Role.DISTRICT_ADMIN, User.Role.CITY_ADMIN)
DIMENSION_SLUGS = {"districts": "district", "industries": "industry", "departments": "department"}
CHART_FIGURE = {"district": "received", "industry": "received", "department": "cases_decided"}


def _forbidden(request: HttpRequest, reason: object) -> HttpResponse:
    return render(request, "reports/forbidden.html", {"reason": reason}, status=403)


def reporters_only(view: View) -> View:
    """District and city admins; a district admin only for their own district."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not isinstance(user, User) or user.role not in REPORTERS:
            return _forbidden(request, _("统计报表只供区政务服务管理局和市级管理员使用。"))
        asked = request.GET.get("district", "") or request.POST.get("district", "")
        if user.role == User.Role.DISTRICT_ADMIN and asked not in ("", str(user.district_id)):
            return _forbidden(request, _("区管理员只能查看和导出本区的统计数据。"))
        return view(request, user, *args, **kwargs)

    return wrapper


def _report(
    request: HttpRequest, user: User, dimension: str
) -> tuple[ReportFilterForm, selectors.Report | None]:
    form = ReportFilterForm(request.GET or None, user=user)
    if not form.is_bound:
        form = ReportFilterForm({}, user=user)
    if not form.is_valid():
        return form, None
    return form, selectors.report_build(report_filter=form.report_filter(), dimension=dimension)


def _page(request: HttpRequest, user: User, dimension: str, template: str) -> HttpResponse:
    form, report = _report(request, user, dimension)
    context: dict[str, object] = {
        "form": form,
        "report": report,
        "dimension": dimension,
        "columns": columns_for(dimension),
        "query": request.GET.urlencode(),
    }
    if report is not None:
        context["bars"] = charts.bar_chart(report.rows, CHART_FIGURE[dimension])
        context["trend"] = charts.trend_chart(report.trend)
    return render(request, template, context, status=200 if report else 400)


@reporters_only
def dashboard(request: HttpRequest, user: User) -> HttpResponse:
    dimension = "district" if user.role == User.Role.CITY_ADMIN else "industry"
    return _page(request, user, dimension, "reports/dashboard.html")


@reporters_only
def dimension_page(request: HttpRequest, user: User, slug: str) -> HttpResponse:
    if slug not in DIMENSION_SLUGS:
        raise Http404
    return _page(request, user, DIMENSION_SLUGS[slug], "reports/dimension.html")


@reporters_only
def export(request: HttpRequest, user: User, slug: str, extension: str) -> HttpResponse:
    if slug not in DIMENSION_SLUGS:
        raise Http404
    form, report = _report(request, user, DIMENSION_SLUGS[slug])
    if report is None:
        context = {"form": form, "dimension": DIMENSION_SLUGS[slug], "query": ""}
        return render(request, "reports/dimension.html", context, status=400)
    name = f"onelicense-{slug}-{report.report_filter.since}-{report.report_filter.until}"
    if extension == "csv":
        response = HttpResponse(exports.report_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@reporters_only
def reform(request: HttpRequest, user: User) -> HttpResponse:
    return render(request, "reports/reform.html", {"rows": selectors.reform_table()})


@reporters_only
def rollout(request: HttpRequest, user: User) -> HttpResponse:
    district_id = user.district_id if user.role == User.Role.DISTRICT_ADMIN else None
    context = {"rollout": selectors.rollout_build(district_id=district_id)}
    return render(request, "reports/rollout.html", context)


@reporters_only
def work_plan_new(request: HttpRequest, user: User) -> HttpResponse:
    form = WorkPlanForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.work_plan_file(
                actor=user,
                district=data.get("district") or user.district,  # type: ignore[arg-type]
                filed_on=data["filed_on"],
                title=data["title"],
                reference=data["reference"],
                note=data["note"],
            )
        except DomainError as error:
            for name, message in error.fields.items():
                form.add_error(name if name in form.fields else None, message)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("工作方案已备案"))
            return redirect("reports:rollout")
    status = 400 if form.is_bound else 200
    context = {"form": form, "today": timezone.localdate()}
    return render(request, "reports/work_plan_new.html", context, status=status)
