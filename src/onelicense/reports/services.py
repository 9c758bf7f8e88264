"""Writes of the reports app: recomputing the figures, and filing a district's work plan.

Nothing here writes another app's tables; the figures are read from them.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Min, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import District, User
from onelicense.applications.models import Application
from onelicense.approvals.models import ItemCase
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record
from onelicense.reports import rollup
from onelicense.reports.models import (
    Duration,
    Figure,
    Grain,
    Refresh,
    WorkingDayOrdinal,
    WorkPlanFiling,
)

_BATCH = 5000
_ANALYZE_FROM = 100_000  # rows written


def _first_day() -> datetime.date | None:
    first = Application.objects.aggregate(first=Min("submitted_at"))["first"]
    return timezone.localdate(first) if first else None


def _month_end(month: datetime.date) -> datetime.date:
    return rollup.next_month(month) - datetime.timedelta(days=1)


def _save(model: type[Model], objects: Sequence[Model]) -> None:
    """The new rows; on PostgreSQL through COPY, since preparing each of hundreds of
    thousands of values for an INSERT costs more than computing them."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects, batch_size=_BATCH)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    names = [field.attname for field in fields]
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in objects:
            copy.write_row([getattr(row, name) for name in names])


def _analyze(*models: type[Model]) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _postgres_prepare() -> None:
    """On PostgreSQL, for this transaction: no JIT (it spends a second compiling each grouped
    read, longer than a few days' read takes), and statistics of the new working-day
    ordinals, which every decided case looks up twice."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
    _analyze(WorkingDayOrdinal)


def _statistics_update(written: int) -> None:
    """Fresh planner statistics for the rollup on PostgreSQL after a large refresh: stale ones
    make it sort hundreds of thousands of rows on disk instead of hashing them. A few days'
    rows are left to autovacuum."""
    if connection.vendor == "postgresql" and written >= _ANALYZE_FROM:
        _analyze(Figure, Duration)


@transaction.atomic
def figures_refresh(
    *, since: datetime.date | None = None, today: datetime.date | None = None
) -> Refresh:
    """Recompute the figures of every day from `since` (the first application's day when
    None) to today, and of the months those days fall in: the old rows of those days are
    deleted and new ones written, so running it twice gives the same figures."""
    started = timezone.now()
    today = today or timezone.localdate()
    since = since or _first_day() or today
    if since > today:
        raise DomainError("refresh_since_in_future", _("统计起始日期不能晚于今天"))
    first_started = ItemCase.objects.filter(decided_at__gte=rollup.local_start(since)).aggregate(
        first=Min("started_on")
    )["first"]
    rollup.ordinals_rebuild(min(since, first_started or since), today)
    _postgres_prepare()
    written = 0
    for month in rollup.month_starts(since, today):
        start, end = max(since, month), min(today, _month_end(month))
        Figure.objects.filter(grain=Grain.DAY, period__range=(start, end)).delete()
        Duration.objects.filter(grain=Grain.DAY, period__range=(start, end)).delete()
        figures, durations = rollup.days_compute(start, end)
        _save(Figure, figures)
        _save(Duration, durations)
        written += len(figures) + len(durations)
    first_month = since.replace(day=1)
    Figure.objects.filter(grain=Grain.MONTH, period__range=(first_month, today)).delete()
    Duration.objects.filter(grain=Grain.MONTH, period__range=(first_month, today)).delete()
    figures, durations = rollup.months_compute(first_month, today.replace(day=1))
    _save(Figure, figures)
    _save(Duration, durations)
    written += len(figures) + len(durations)
    _statistics_update(written)
    return Refresh.objects.create(
        since=since, until=today, started_at=started, finished_at=timezone.now(), rows=written
    )


def figures_refresh_due() -> int:
    """The worker's job: every `ONELICENSE_REPORTS_REFRESH_MINUTES` (10 by default), the days
    since the last refresh (and the day before, for what happened after it ran); everything
    when the figures were never computed. Answers the rows written (0 when not due)."""
    last = Refresh.objects.order_by("-finished_at", "-id").first()
    minutes = getattr(settings, "ONELICENSE_REPORTS_REFRESH_MINUTES", 10)
    if last and timezone.now() - last.finished_at < datetime.timedelta(minutes=minutes):
        return 0
    today = timezone.localdate()
    since = min(last.until, today) - datetime.timedelta(days=1) if last else None
    return figures_refresh(since=since, today=today).rows


def _may_file_for(actor: User, district: District) -> bool:
    if actor.role == User.Role.CITY_ADMIN:
        return True
    return actor.role == User.Role.DISTRICT_ADMIN and actor.district_id == district.pk


@transaction.atomic
def work_plan_file(
    *,
    actor: User,
    district: District,
    filed_on: datetime.date,
    title: str,
    reference: str,
    note: str = "",
) -> WorkPlanFiling:
    """备案 a district's work plan: its own district admin, or the city, records it."""
    if not _may_file_for(actor, district):
        raise DomainError("work_plan_not_allowed", _("只能为本区的工作方案备案"), status=403)
    if filed_on > timezone.localdate():
        raise DomainError(
            "work_plan_filed_in_future",
            _("备案日期不能晚于今天"),
            fields={"filed_on": str(_("备案日期不能晚于今天"))},
        )
    title, reference = title.strip(), reference.strip()
    fields = {
        name: str(_("此项必填"))
        for name, value in (("title", title), ("reference", reference))
        if not value
    }
    if fields:
        raise DomainError("work_plan_incomplete", _("请填写方案名称和文号"), fields=fields)
    try:
        with transaction.atomic():
            filing = WorkPlanFiling.objects.create(
                district=district,
                filed_on=filed_on,
                title=title,
                reference=reference,
                note=note.strip(),
                filed_by=actor,
            )
    except IntegrityError:
        message = _("本区已有该文号的工作方案备案")
        raise DomainError(
            "work_plan_already_filed", message, fields={"reference": str(message)}
        ) from None
    event_record(
        actor=actor,
        verb="work_plan_filed",
        subject=filing,
        data={"district": district.code, "reference": reference},
    )
    return filing
