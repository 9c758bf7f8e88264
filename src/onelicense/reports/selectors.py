"""Reads for the reports: figures by district, industry or department over a period, the trend
by month, the reform figures per industry, and the rollout tracker.

A period is read from the month rows for its whole months and from the day rows for the days
at either end, so that a report over years reads a few thousand rows, not millions. "Overdue
now" is the one live figure: open cases past their promised date, counted on the cases table.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import Department, District
from onelicense.approvals.models import ItemCase
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.models import DistrictOffering, Industry
from onelicense.catalogue.selectors import ReformFigures
from onelicense.core.errors import DomainError
from onelicense.reports.models import Duration, Figure, Grain, Refresh, WorkPlanFiling
from onelicense.reports.rollup import COUNTS, next_month

DIMENSIONS = {
    "district": ("district_id", "application__district_id", _("区")),
    "industry": ("industry_code", "application__industry__code", _("行业")),
    "department": ("department_id", "department_id", _("审批部门")),
}


@dataclass(frozen=True)
class ReportFilter:
    """What a report covers: a period of days, and optionally one district, industry and
    department."""

    since: datetime.date
    until: datetime.date
    district_id: int | None = None
    industry_code: str = ""
    department_id: int | None = None

    def __post_init__(self) -> None:
        if self.until < self.since:
            message = _("统计截止日期不能早于起始日期")
            raise DomainError(
                "report_period_reversed", message, fields={"until": str(message)}, status=422
            )


@dataclass
class ReportRow:
    """One line of a report: the counts, the distribution of working days, and overdue now."""

    key: Any
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    histogram: dict[int, int] = field(default_factory=dict)
    overdue: int = 0

    def merge(self, other: "ReportRow") -> None:
        for name, value in other.counts.items():
            self.counts[name] += value
        for days, cases in other.histogram.items():
            self.histogram[days] = self.histogram.get(days, 0) + cases
        self.overdue += other.overdue

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def average_days(self) -> float | None:
        cases = sum(self.histogram.values())
        if not cases:
            return None
        return round(sum(d * n for d, n in self.histogram.items()) / cases, 1)

    @property
    def p90_days(self) -> int | None:
        return histogram_percentile(self.histogram, 0.9)

    @property
    def average_promised(self) -> float | None:
        n = self.counts["cases_decided"]
        return round(self.counts["promised_days"] / n, 1) if n else None

    @property
    def average_statutory(self) -> float | None:
        n = self.counts["cases_decided"]
        return round(self.counts["statutory_days"] / n, 1) if n else None

    @property
    def on_time_rate(self) -> float | None:
        return self._share(self.counts["cases_on_time"], self.counts["cases_decided"])

    @property
    def statutory_rate(self) -> float | None:
        return self._share(self.counts["cases_within_statutory"], self.counts["cases_decided"])

    @property
    def commitment_share(self) -> float | None:
        return self._share(self.counts["commitment_cases"], self.counts["cases_decided"])

    @property
    def corrections_per_item(self) -> float | None:
        n = self.counts["cases_decided"]
        return round(self.counts["corrections"] / n, 2) if n else None


def histogram_percentile(histogram: dict[int, int], q: float) -> int | None:
    """The nearest-rank percentile: the least value with at least q of the cases at or below."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = math.ceil(q * total), 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return max(histogram)  # pragma: no cover (the loop always reaches the rank)


@dataclass(frozen=True)
class TrendPoint:
    month: datetime.date
    received: int
    completed: int
    cases_decided: int
    cases_on_time: int


@dataclass
class Report:
    dimension: str
    report_filter: ReportFilter
    rows: list[ReportRow]
    total: ReportRow
    trend: list[TrendPoint]
    refreshed_at: datetime.datetime | None


def period_q(
    since: datetime.date, until: datetime.date, figures_until: datetime.date | None = None
) -> Q:
    """Month rows for the whole months of the period, day rows for the days at its ends.

    A month row is the sum of its month's day rows, and there are none after the last day
    the figures were refreshed for (`figures_until`): a period that reaches that day reads
    its last month, however far into it, from the month row."""
    first_full = since if since.day == 1 else next_month(since)
    after_last_full = next_month(until).replace(day=1)
    last_month_whole = until == after_last_full - datetime.timedelta(days=1)
    if not (last_month_whole or (figures_until and until >= figures_until)):
        after_last_full = until.replace(day=1)
    if first_full >= after_last_full:
        return Q(grain=Grain.DAY, period__range=(since, until))
    return (
        Q(grain=Grain.MONTH, period__gte=first_full, period__lt=after_last_full)
        | Q(grain=Grain.DAY, period__gte=since, period__lt=first_full)
        | Q(grain=Grain.DAY, period__gte=after_last_full, period__lte=until)
    )


def figures_until() -> datetime.date | None:
    """The last day any refresh computed: no day rows lie after it."""
    last: datetime.date | None = Refresh.objects.aggregate(last=Max("until"))["last"]
    return last


def _scope_q(report_filter: ReportFilter) -> Q:
    scope = period_q(report_filter.since, report_filter.until, figures_until())
    if report_filter.district_id:
        scope &= Q(district_id=report_filter.district_id)
    if report_filter.industry_code:
        scope &= Q(industry_code=report_filter.industry_code)
    if report_filter.department_id:
        scope &= Q(department_id=report_filter.department_id)
    return scope


def _overdue(report_filter: ReportFilter, case_key: str) -> dict[Any, int]:
    cases = ItemCase.objects.exclude(status__in=ItemCase.DECIDED).filter(
        due_date__lt=timezone.localdate()
    )
    if report_filter.district_id:
        cases = cases.filter(application__district_id=report_filter.district_id)
    if report_filter.industry_code:
        cases = cases.filter(application__industry__code=report_filter.industry_code)
    if report_filter.department_id:
        cases = cases.filter(department_id=report_filter.department_id)
    grouped = cases.values(case_key).annotate(n=Count("id")).order_by()
    return {row[case_key]: row["n"] for row in grouped}


def industry_names() -> dict[str, str]:
    """Industry code → name, as the current catalogue has it."""
    try:
        version = catalogue.version_current()
    except DomainError:
        return {}
    return dict(Industry.objects.filter(version=version).values_list("code", "name"))


def _labels(dimension: str, keys: set[Any]) -> dict[Any, str]:
    if dimension == "district":
        return dict(District.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    return industry_names()


def _trend(scope: Q) -> list[TrendPoint]:
    months: dict[datetime.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names = ("received", "completed", "cases_decided", "cases_on_time")
    rows = (
        Figure.objects.filter(scope)
        .values("period")
        .annotate(**{name: Sum(name) for name in names})
        .order_by()
    )
    for row in rows:
        for name in names:
            months[row["period"].replace(day=1)][name] += row[name] or 0
    return [TrendPoint(month, **counts) for month, counts in sorted(months.items())]


def report_build(*, report_filter: ReportFilter, dimension: str) -> Report:
    """The figures of the period by one dimension, with a total line and the monthly trend."""
    key, case_key, _label = DIMENSIONS[dimension]
    scope = _scope_q(report_filter)
    rows: dict[Any, ReportRow] = {}
    for values in (
        Figure.objects.filter(scope)
        .values(key)
        .annotate(**{name: Sum(name) for name in COUNTS})
        .order_by()
    ):
        row = rows.setdefault(values[key], ReportRow(values[key], ""))
        row.counts = {name: values[name] or 0 for name in COUNTS}
    for values in (
        Duration.objects.filter(scope)
        .values(key, "working_days")
        .annotate(cases=Sum("cases"))
        .order_by()
    ):
        row = rows.setdefault(values[key], ReportRow(values[key], ""))
        row.histogram[values["working_days"]] = values["cases"]
    for value, overdue in _overdue(report_filter, case_key).items():
        rows.setdefault(value, ReportRow(value, "")).overdue = overdue
    total = ReportRow("", str(_("合计")))
    for row in rows.values():
        total.merge(row)
    labels = _labels(dimension, set(rows))
    shown = [row for key_value, row in rows.items() if key_value is not None]
    for row in shown:
        row.label = labels.get(row.key, str(row.key))
    shown.sort(key=lambda row: (-row.counts["received"], -row.counts["cases_decided"], row.label))
    return Report(
        dimension=dimension,
        report_filter=report_filter,
        rows=shown,
        total=total,
        trend=_trend(scope),
        refreshed_at=refreshed_at(),
    )


def refreshed_at() -> datetime.datetime | None:
    last = Refresh.objects.order_by("-finished_at", "-id").first()
    return last.finished_at if last else None


# The reform figures depend only on a published catalogue version, which is read-only.
_REFORM: dict[int, list[tuple[Industry, ReformFigures]]] = {}


def reform_table() -> list[tuple[Industry, ReformFigures]]:
    """Each industry of the current catalogue with its figures, as its guide shows them."""
    try:
        version = catalogue.version_current()
    except DomainError:
        return []
    if version.pk not in _REFORM:
        _REFORM[version.pk] = [
            (industry, catalogue.guide_build(industry=industry).figures)
            for industry in catalogue.industry_list(version=version)
        ]
    return _REFORM[version.pk]


@dataclass(frozen=True)
class RolloutRow:
    district: District
    cells: list[DistrictOffering | None]
    live: int
    filings: list[WorkPlanFiling]


@dataclass(frozen=True)
class Rollout:
    industries: list[Industry]
    rows: list[RolloutRow]
    today: datetime.date


def rollout_build(*, district_id: int | None = None) -> Rollout:
    """Districts × industries: which industry each district offers, how far online, from when;
    and each district's work plans filed."""
    try:
        industries = catalogue.industry_list()
    except DomainError:
        industries = []
    districts = catalogue.districts_all()
    if district_id:
        districts = districts.filter(pk=district_id)
    offerings = catalogue.offerings_every(district_id=district_id)
    filings: dict[int, list[WorkPlanFiling]] = defaultdict(list)
    plans = WorkPlanFiling.objects.select_related("filed_by")
    for filing in plans.filter(district_id=district_id) if district_id else plans:
        filings[filing.district_id].append(filing)
    today = timezone.localdate()
    rows = []
    for district in districts:
        cells = [offerings.get((district.pk, industry.code)) for industry in industries]
        live = sum(1 for cell in cells if cell and cell.live_from <= today)
        rows.append(RolloutRow(district, cells, live, filings[district.pk]))
    return Rollout(industries, rows, today)


def departments_for(district_id: int | None) -> list[Department]:
    """The departments a report may be filtered by: the district's, or every district's."""
    departments = Department.objects.filter(district__isnull=False).select_related("district")
    if district_id:
        departments = departments.filter(district_id=district_id)
    return list(departments)
