"""The rollup: the source tables of applications, approvals and licences, aggregated by day.

Every query here is a read of the other apps' tables, grouped in the database (one GROUP BY per
source), so that the refresh costs a fixed number of queries per chunk whatever the number of
cases. Python only merges the grouped rows into `Figure` and `Duration` rows.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from onelicense.applications.models import Application
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.core.calendar import WorkingCalendar
from onelicense.licences.models import Certificate
from onelicense.reports.models import Duration, Figure, Grain, WorkingDayOrdinal

Key = tuple[datetime.date, int, str, int | None]  # day, district, industry code, department
COUNTS = [
    field.name
    for field in Figure._meta.concrete_fields
    if isinstance(field, models.PositiveIntegerField)
]


def local_start(day: datetime.date) -> datetime.datetime:
    """The first instant of a day in Beijing."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def ordinals_rebuild(start: datetime.date, end: datetime.date) -> None:
    """Working-day ordinals for every date from `start` to `end`, from the calendar as it
    stands (an administrator's correction to a holiday counts at the next refresh)."""
    calendar = WorkingCalendar(start, end)
    rows, day, ordinal = [], start, 0
    while day <= end:
        ordinal += calendar.is_working_day(day)[0]
        rows.append(WorkingDayOrdinal(date=day, ordinal=ordinal))
        day += datetime.timedelta(days=1)
    WorkingDayOrdinal.objects.all().delete()
    WorkingDayOrdinal.objects.bulk_create(rows, batch_size=2000)


def _between(field: str, since: datetime.date, until: datetime.date) -> Q:
    return Q(**{f"{field}__gte": local_start(since)}) & Q(
        **{f"{field}__lt": local_start(until + datetime.timedelta(days=1))}
    )


class _Rows:
    """Figure counts by key, merged from every source."""

    def __init__(self) -> None:
        self.counts: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.durations: dict[tuple[Key, int], int] = defaultdict(int)  # department never None

    def add(self, rows: Iterable[dict[str, Any]], department: bool = True) -> None:
        for row in rows:
            key = (
                row.pop("day"),
                row.pop("in_district"),
                row.pop("of_industry"),
                row.pop("at_department") if department else None,
            )
            for name, value in row.items():
                self.counts[key][name] += value or 0


def _application_rows(since: datetime.date, until: datetime.date, rows: _Rows) -> None:
    keys = {"in_district": F("district_id"), "of_industry": F("industry__code")}

    def grouped(field: str, **counts: Any) -> QuerySet[Any]:
        return (
            Application.objects.filter(_between(field, since, until))
            .values(day=TruncDate(field), **keys)
            .annotate(**counts)
            .order_by()
        )

    refused = Q(status=Application.Status.REFUSED)
    withdrawn = Q(status=Application.Status.WITHDRAWN)
    rows.add(grouped("submitted_at", received=Count("id")), department=False)
    rows.add(
        grouped(
            "decided_at",
            accepted=Count("id", filter=~refused),
            refused=Count("id", filter=refused),
        ),
        department=False,
    )
    rows.add(grouped("completed_at", completed=Count("id")), department=False)
    # A withdrawal has no date of its own: the application's last change is its withdrawal,
    # since nothing changes a withdrawn application afterwards.
    rows.add(
        Application.objects.filter(withdrawn & _between("updated_at", since, until))
        .values(day=TruncDate("updated_at"), **keys)
        .annotate(withdrawn=Count("id"))
        .order_by(),
        department=False,
    )


def _certificate_rows(since: datetime.date, until: datetime.date, rows: _Rows) -> None:
    keys = {"in_district": F("district_id"), "of_industry": F("industry__code")}
    rows.add(
        Certificate.objects.filter(_between("issued_at", since, until))
        .values(day=TruncDate("issued_at"), **keys)
        .annotate(
            certificates_issued=Count("id", filter=Q(version=1)),
            certificates_reissued=Count("id", filter=Q(version__gt=1)),
        )
        .order_by(),
        department=False,
    )
    rows.add(
        Certificate.objects.filter(_between("voided_at", since, until))
        .values(day=TruncDate("voided_at"), **keys)
        .annotate(certificates_voided=Count("id"))
        .order_by(),
        department=False,
    )


def _case_keys(prefix: str = "") -> dict[str, Any]:
    return {
        "in_district": F(f"{prefix}application__district_id"),
        "of_industry": F(f"{prefix}application__industry__code"),
        "at_department": F(f"{prefix}department_id"),
    }


def _case_rows(since: datetime.date, until: datetime.date, rows: _Rows) -> None:
    """Decided cases, with their working days: from the day the clock started to the day of
    the decision, less the working days the clock stood still (corrections, suspensions).

    The database groups the cases by what their figures depend on; the working days are the
    difference of two ordinals looked up here (a subquery per case in the database costs
    more than the whole read)."""
    decided = (
        ItemCase.objects.filter(_between("decided_at", since, until), status__in=ItemCase.DECIDED)
        .values(
            "started_on",
            "paused_days",
            "status",
            "route",
            day=TruncDate("decided_at"),
            allowed=F("limit_days") + F("extension_days"),
            statutory_allowed=F("statutory_days") + F("extension_days"),
            **_case_keys(),
        )
        .annotate(
            n=Count("id"),
            promised=Coalesce(Sum("limit_days"), 0),
            statutory=Coalesce(Sum("statutory_days"), 0),
        )
        .order_by()
    )
    ordinals = dict(WorkingDayOrdinal.objects.values_list("date", "ordinal"))
    for row in decided:
        end, start = ordinals.get(row["day"]), ordinals.get(row["started_on"])
        known = end is not None and start is not None
        days = max(end - start - row["paused_days"], 0) if known else 0  # type: ignore[operator]
        key = (row["day"], row["in_district"], row["of_industry"], row["at_department"])
        n = row["n"]
        rows.durations[(key, days)] += n
        counts = rows.counts[key]
        counts["cases_decided"] += n
        counts[
            "cases_approved" if row["status"] == ItemCase.Status.APPROVED else "cases_refused"
        ] += n
        counts["cases_on_time"] += n if days <= row["allowed"] else 0
        counts["cases_within_statutory"] += n if days <= row["statutory_allowed"] else 0
        counts["commitment_cases"] += n if row["route"] == "commitment" else 0
        counts["promised_days"] += row["promised"]
        counts["statutory_days"] += row["statutory"]
        counts["working_days"] += days * n


def _action_rows(since: datetime.date, until: datetime.date, rows: _Rows) -> None:
    rows.add(
        CaseAction.objects.filter(
            _between("created_at", since, until), kind=CaseAction.Kind.CORRECTION
        )
        .values(day=TruncDate("created_at"), **_case_keys("case__"))
        .annotate(corrections=Count("id"))
        .order_by()
    )
    outcome = Verification.Outcome
    rows.add(
        Verification.objects.filter(_between("checked_at", since, until))
        .values(day=TruncDate("checked_at"), **_case_keys("case__"))
        .annotate(
            verifications_confirmed=Count("id", filter=Q(outcome=outcome.CONFIRMED)),
            verifications_rectify=Count("id", filter=Q(outcome=outcome.RECTIFY)),
            verifications_revoked=Count("id", filter=Q(outcome=outcome.REVOKED)),
        )
        .order_by()
    )


def days_compute(since: datetime.date, until: datetime.date) -> tuple[list[Figure], list[Duration]]:
    """The day rows for [since, until], not yet saved."""
    rows = _Rows()
    _application_rows(since, until, rows)
    _certificate_rows(since, until, rows)
    _case_rows(since, until, rows)
    _action_rows(since, until, rows)
    figures = [
        Figure(
            grain=Grain.DAY,
            period=day,
            district_id=district,
            industry_code=industry,
            department_id=department,
            **counts,
        )
        for (day, district, industry, department), counts in rows.counts.items()
    ]
    durations = [
        Duration(
            grain=Grain.DAY,
            period=day,
            district_id=district,
            industry_code=industry,
            department_id=int(department or 0),
            working_days=days,
            cases=cases,
        )
        for ((day, district, industry, department), days), cases in rows.durations.items()
    ]
    return figures, durations


def months_compute(
    first: datetime.date, last: datetime.date
) -> tuple[list[Figure], list[Duration]]:
    """The month rows for the months from `first` to `last` (first days), from the day rows."""
    keys = ("district_id", "industry_code", "department_id")
    month_rows = Q(grain=Grain.DAY, period__gte=first, period__lt=next_month(last))
    figures = [
        Figure(grain=Grain.MONTH, period=row.pop("month"), **row)
        for row in Figure.objects.filter(month_rows)
        .values(*keys, month=TruncMonth("period"))
        .annotate(**{name: Sum(name) for name in COUNTS})
        .order_by()
    ]
    durations = [
        Duration(grain=Grain.MONTH, period=row.pop("month"), **row)
        for row in Duration.objects.filter(month_rows)
        .values(*keys, "working_days", month=TruncMonth("period"))
        .annotate(cases=Sum("cases"))
        .order_by()
    ]
    return figures, durations


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_starts(since: datetime.date, until: datetime.date) -> list[datetime.date]:
    month, result = since.replace(day=1), []
    while month <= until:
        result.append(month)
        month = next_month(month)
    return result
