"""Working days against the real 2025–2026 schedules (国务院办公厅 holiday notices)."""

import datetime

import pytest

from onelicense.core.calendar import working_days_add, working_days_between
from onelicense.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2025, 9, 30), 0, D(2025, 9, 30)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # 10月1日至8日放假
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # 10月11日（周六）上班
        (D(2025, 9, 30), 4, D(2025, 10, 13)),
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # 9月28日（周日）上班
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # 2月14日（周六）上班
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # 春节 2月15日至23日放假
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # 10月10日（周六）上班
        (D(2026, 11, 27), 20, D(2026, 12, 25)),
    ],
)
def test_due_dates_follow_the_holiday_schedule(start, days, due) -> None:
    result = working_days_add(start, days)
    assert result.date == due
    assert result.certain


def test_counting_back_gives_the_same_number() -> None:
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 13)) == 4
    assert working_days_between(D(2025, 10, 13), D(2025, 9, 30)) == 0


def test_a_year_no_source_knows_is_marked_uncertain() -> None:
    result = working_days_add(D(2026, 12, 20), 20)
    assert result.date.year == 2027
    assert not result.certain


def test_administrators_can_complete_an_unknown_year() -> None:
    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕")
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working_day=False, note="元旦")
    result = working_days_add(D(2026, 12, 31), 1)
    assert result == type(result)(D(2027, 1, 4), True)


def test_an_override_beats_the_package() -> None:
    CalendarDay.objects.create(date=D(2026, 10, 10), is_working_day=False, note="调整")
    assert working_days_add(D(2026, 10, 9), 1).date == D(2026, 10, 12)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        working_days_add(D(2026, 1, 5), -1)
