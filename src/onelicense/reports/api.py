"""The reports as JSON: the same figures as the pages, for district and city admins.

Signed in by the site's session. A district admin's figures are their district's; asking for
another district answers 403. A period that ends before it starts answers 422.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from onelicense.accounts.models import District, User
from onelicense.catalogue.schemas import ErrorOut
from onelicense.core.errors import DomainError
from onelicense.reports import selectors
from onelicense.reports.forms import default_period

router = Router(tags=["统计报表"], auth=django_auth)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
DIMENSIONS = {"districts": "district", "industries": "industry", "departments": "department"}


class ReportQuery(Schema):
    since: datetime.date | None = Field(None, description="起始日期（含），默认为近12个月")
    until: datetime.date | None = Field(None, description="截止日期（含），默认为今天")
    district: str = Field("", description="区的行政区划代码，如 110105；区管理员只能是本区")
    industry: str = Field("", description="行业代码，如 restaurant")
    department: int | None = Field(None, description="审批部门编号")


class RowOut(Schema):
    key: str = Field(description="区编号、行业代码或部门编号；合计行为空")
    label: str
    counts: dict[str, int] = Field(description="收件、受理、办结、单项审批、补正、核查、凭证等件数")
    average_days: float | None = Field(description="平均用时（工作日，已扣除补正、中止）")
    p90_days: int | None = Field(description="90% 的单项审批在此工作日数内办结（最近秩）")
    average_promised: float | None
    average_statutory: float | None
    on_time_rate: float | None = Field(description="承诺时限内办结率（%）")
    statutory_rate: float | None = Field(description="法定时限内办结率（%）")
    commitment_share: float | None = Field(description="告知承诺占单项审批办结的比例（%）")
    corrections_per_item: float | None
    overdue: int = Field(description="当前超过承诺办结日期仍未办结的单项审批（实时）")


class TrendOut(Schema):
    month: datetime.date
    received: int
    completed: int
    cases_decided: int
    cases_on_time: int


class ReportOut(Schema):
    dimension: str
    since: datetime.date
    until: datetime.date
    refreshed_at: datetime.datetime | None = Field(description="统计数据更新时间")
    rows: list[RowOut]
    total: RowOut
    trend: list[TrendOut]


class ReformOut(Schema):
    industry: str
    name: str
    figures: dict[str, int] = Field(description="事项、部门、材料、填报项、时限：分别与合并")


class FilingOut(Schema):
    filed_on: datetime.date
    title: str
    reference: str


class OfferingOut(Schema):
    online_depth: str = Field(description="full_online、partly_online 或 window_only")
    live_from: datetime.date


class RolloutOut(Schema):
    district: str
    name: str
    live: int = Field(description="已上线行业数")
    filings: list[FilingOut] = Field(description="工作方案备案")
    offerings: dict[str, OfferingOut] = Field(description="行业代码 → 网办深度与上线日期")


def _reporter(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # django_auth answers with the user
    if not isinstance(user, User) or user.role not in (
        User.Role.DISTRICT_ADMIN,
        User.Role.CITY_ADMIN,
    ):
        message = _("统计报表只供区政务服务管理局和市级管理员使用")
        raise DomainError("forbidden", message, status=403)
    return user


def _filter(user: User, query: ReportQuery) -> selectors.ReportFilter:
    district_id = None
    if query.district:
        district = District.objects.filter(code=query.district).first()
        if district is None:
            raise DomainError("district_not_found", _("未找到该区"), status=404)
        district_id = district.pk
    if user.role == User.Role.DISTRICT_ADMIN:
        if district_id not in (None, user.district_id):
            message = _("区管理员只能查看和导出本区的统计数据")
            raise DomainError("district_forbidden", message, status=403)
        district_id = user.district_id
    since, until = default_period(timezone.localdate())
    return selectors.ReportFilter(
        since=query.since or since,
        until=query.until or until,
        district_id=district_id,
        industry_code=query.industry,
        department_id=query.department,
    )


_ROW_FIGURES = [
    "label",
    "counts",
    "average_days",
    "p90_days",
    "average_promised",
    "average_statutory",
    "on_time_rate",
    "statutory_rate",
    "commitment_share",
    "corrections_per_item",
    "overdue",
]


def _row(row: selectors.ReportRow) -> dict[str, Any]:
    key = "" if row.key in (None, "") else str(row.key)
    return {"key": key, **{name: getattr(row, name) for name in _ROW_FIGURES}}


@router.get(
    "/reform",
    response={200: list[ReformOut], **_ERRORS},
    summary="各行业改革成效",
    url_name="reports_reform",
)
def reform(request: HttpRequest) -> list[dict[str, Any]]:
    """现行目录各行业：事项、部门、材料、填报项、时限，分别办理与合并办理对比。"""
    _reporter(request)
    return [
        {"industry": industry.code, "name": industry.name, "figures": dict(vars(figures))}
        for industry, figures in selectors.reform_table()
    ]


@router.get(
    "/rollout",
    response={200: list[RolloutOut], **_ERRORS},
    summary="各区推进情况",
    url_name="reports_rollout",
)
def rollout(request: HttpRequest) -> list[dict[str, Any]]:
    """各区工作方案备案，以及各行业的上线日期和网办深度（含计划上线）；区管理员只看到本区。"""
    user = _reporter(request)
    district_id = user.district_id if user.role == User.Role.DISTRICT_ADMIN else None
    built = selectors.rollout_build(district_id=district_id)
    return [
        {
            "district": row.district.code,
            "name": row.district.name,
            "live": row.live,
            "filings": row.filings,
            "offerings": {
                industry.code: cell
                for industry, cell in zip(built.industries, row.cells, strict=True)
                if cell is not None
            },
        }
        for row in built.rows
    ]


@router.get(
    "/{dimension}",
    response={200: ReportOut, **_ERRORS},
    summary="按区、行业或审批部门统计",
    url_name="reports_dimension",
)
def report(request: HttpRequest, dimension: str, query: Query[ReportQuery]) -> dict[str, Any]:
    """dimension 为 districts、industries 或 departments；另有合计行和按月趋势。
    区管理员的统计限于本区。"""
    user = _reporter(request)
    if dimension not in DIMENSIONS:
        message = _("统计维度应为 districts、industries 或 departments")
        raise DomainError("dimension_not_found", message, status=404)
    report_filter = _filter(user, query)
    built = selectors.report_build(report_filter=report_filter, dimension=DIMENSIONS[dimension])
    return {
        "dimension": dimension,
        "since": report_filter.since,
        "until": report_filter.until,
        "refreshed_at": built.refreshed_at,
        "rows": [_row(row) for row in built.rows],
        "total": _row(built.total),
        "trend": built.trend,
    }
