"""The figures of the small history in `helpers.py`, worked out by hand there."""

import datetime
from collections import Counter

import pytest
from django.db.models import Sum

from onelicense.accounts.models import District
from onelicense.core.errors import DomainError
from onelicense.core.models import CalendarDay
from onelicense.reports.models import Duration, Figure, Grain, Refresh
from onelicense.reports.selectors import (
    ReportFilter,
    histogram_percentile,
    period_q,
    report_build,
)
from onelicense.reports.services import figures_refresh
from onelicense.reports.tests.helpers import SINCE, UNTIL, History

pytestmark = pytest.mark.django_db


def _chaoyang(since: datetime.date = SINCE, until: datetime.date = UNTIL) -> object:
    report = report_build(report_filter=ReportFilter(since, until), dimension="district")
    (row,) = report.rows
    assert row.label == "朝阳区"
    return row


def test_district_figures_match_the_hand_computed_history(refreshed: Refresh) -> None:
    row = _chaoyang()
    counts = row.counts  # type: ignore[attr-defined]
    assert (counts["received"], counts["accepted"], counts["refused"]) == (2, 1, 1)
    assert (counts["completed"], counts["withdrawn"]) == (1, 0)
    assert (counts["cases_decided"], counts["cases_approved"], counts["cases_refused"]) == (3, 2, 1)
    assert row.histogram == {3: 1, 8: 1, 2: 1}  # type: ignore[attr-defined]
    assert row.average_days == 4.3  # type: ignore[attr-defined]
    assert row.p90_days == 8  # type: ignore[attr-defined]
    assert row.on_time_rate == 66.7  # type: ignore[attr-defined]
    assert row.statutory_rate == 100.0  # type: ignore[attr-defined]
    assert row.average_promised == 6.0  # type: ignore[attr-defined]
    assert row.corrections_per_item == 0.33  # type: ignore[attr-defined]
    assert row.commitment_share == 0.0  # type: ignore[attr-defined]
    assert row.overdue == 1  # type: ignore[attr-defined]


def test_departments_each_have_their_own_cases(refreshed: Refresh) -> None:
    report = report_build(report_filter=ReportFilter(SINCE, UNTIL), dimension="department")
    days = {row.label: (row.histogram, row.counts["corrections"]) for row in report.rows}
    assert days == {
        "朝阳区市场监督管理局": ({3: 1}, 1),
        "朝阳区消防救援支队": ({8: 1}, 0),
        "朝阳区烟草专卖局": ({2: 1}, 0),
    }
    assert report.total.counts["received"] == 2  # the application's own figures count in total


def test_a_period_of_part_months_reads_the_days_at_its_ends(refreshed: Refresh) -> None:
    # 15 September to 10 October: the food case (10 Oct, 00:30 Beijing time, the evening
    # before in UTC) and the tobacco case; not the fire case of 14 October.
    row = _chaoyang(datetime.date(2024, 9, 15), datetime.date(2024, 10, 10))
    assert row.histogram == {3: 1, 2: 1}  # type: ignore[attr-defined]
    assert row.counts["received"] == 2  # type: ignore[attr-defined]
    assert row.counts["completed"] == 0  # type: ignore[attr-defined]
    row = _chaoyang(datetime.date(2024, 10, 11), datetime.date(2024, 10, 31))
    assert row.histogram == {8: 1}  # type: ignore[attr-defined]


def _rows() -> Counter[tuple[object, ...]]:
    fields = [f.attname for f in Figure._meta.concrete_fields if f.name != "id"]
    return Counter(Figure.objects.values_list(*fields))


def test_refresh_twice_gives_the_same_rows(refreshed: Refresh) -> None:
    before = _rows()
    durations = Duration.objects.count()
    figures_refresh(since=SINCE, today=UNTIL)
    figures_refresh(since=datetime.date(2024, 10, 9), today=UNTIL)
    assert _rows() == before
    assert Duration.objects.count() == durations
    assert _chaoyang().p90_days == 8  # type: ignore[attr-defined]


def test_month_rows_sum_the_day_rows(refreshed: Refresh) -> None:
    months = Figure.objects.filter(grain=Grain.MONTH).values_list("period", flat=True)
    assert set(months) == {datetime.date(2024, 9, 1), datetime.date(2024, 10, 1)}
    assert period_q(SINCE, UNTIL) != period_q(SINCE, datetime.date(2024, 10, 30))


def test_a_holiday_entered_by_an_administrator_counts_at_the_next_refresh(
    history: History,
) -> None:
    # 9 October made a day off: the food case took 2 working days, the fire case 7.
    CalendarDay.objects.create(date=datetime.date(2024, 10, 9), is_working_day=False)
    figures_refresh(since=SINCE, today=UNTIL)
    assert _chaoyang().histogram == {2: 2, 7: 1}  # type: ignore[attr-defined]


def test_a_full_refresh_starts_from_the_first_application(history: History) -> None:
    refresh = figures_refresh(today=UNTIL)
    assert refresh.since == datetime.date(2024, 9, 26)
    assert _chaoyang().p90_days == 8  # type: ignore[attr-defined]


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(DomainError) as error:
        ReportFilter(UNTIL, SINCE)
    assert error.value.code == "report_period_reversed"
    assert "早于" in error.value.message


def test_other_districts_are_filtered_out(refreshed: Refresh) -> None:
    haidian = District.objects.get(code="110108")
    report = report_build(
        report_filter=ReportFilter(SINCE, UNTIL, district_id=haidian.pk), dimension="district"
    )
    assert report.rows == []
    assert report.total.counts["received"] == 0


def test_the_nearest_rank_percentile() -> None:
    assert histogram_percentile({}, 0.9) is None
    assert histogram_percentile({1: 9, 30: 1}, 0.9) == 1
    assert histogram_percentile({1: 8, 30: 2}, 0.9) == 30


def _sums(scope: object) -> dict[str, int]:
    return Figure.objects.filter(scope).aggregate(
        received=Sum("received"), cases=Sum("cases_decided"), corrections=Sum("corrections")
    )


def test_a_period_reaching_the_last_refreshed_day_reads_its_month_row(history: History) -> None:
    last = datetime.date(2024, 10, 12)  # refreshed mid-month: before the fire case's decision
    figures_refresh(since=SINCE, today=last)
    reaching = period_q(SINCE, last, figures_until=last)
    assert not Figure.objects.filter(reaching, grain=Grain.DAY).exists()
    assert (
        _sums(reaching)
        == _sums(period_q(SINCE, last))
        == {
            "received": 2,
            "cases": 2,
            "corrections": 1,
        }
    )
    assert _chaoyang(SINCE, last).histogram == {3: 1, 2: 1}  # type: ignore[attr-defined]
    # A period ending before the last refreshed day still reads that month's days.
    assert Figure.objects.filter(period_q(SINCE, last, figures_until=UNTIL), grain=Grain.DAY)
