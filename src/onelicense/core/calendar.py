"""Working days (工作日): every time limit of 行政许可法 counts them (§82).

Three sources, in order of authority:
1. `CalendarDay` rows, edited by administrators, for any date they know better;
2. the `chinese_calendar` package, which follows the State Council's yearly schedule with its
   make-up working days (调休), for the years it covers;
3. for a year neither covers in full (the schedule is announced late in the year before), the
   `holidays` package's statutory holidays without make-up days — a best guess, so every date
   computed from it is marked uncertain and administrators are warned.
"""

import datetime
from dataclasses import dataclass
from functools import cache

import chinese_calendar
import holidays

from onelicense.core.models import CalendarDay, CalendarYear


@dataclass(frozen=True)
class WorkingDate:
    """A date reached by counting working days; `certain` is False when a guess was involved."""

    date: datetime.date
    certain: bool


@cache
def _guessed_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("CN", years=year))


@cache
def _package_knows(year: int) -> bool:
    first, last = chinese_calendar.constants.holidays, chinese_calendar.constants.workdays
    return any(day.year == year for day in first) or any(day.year == year for day in last)


class WorkingCalendar:
    """Answers for a span of dates with one query for the administrators' table."""

    def __init__(self, start: datetime.date, end: datetime.date) -> None:
        self.overrides = {
            row.date: row.is_working_day
            for row in CalendarDay.objects.filter(date__range=(start, end))
        }
        self.complete_years = set(
            CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
        )

    def is_working_day(self, day: datetime.date) -> tuple[bool, bool]:
        """(is it a working day, is that certain)."""
        if day in self.overrides:
            return self.overrides[day], True
        if day.year in self.complete_years:
            return day.weekday() < 5, True
        if _package_knows(day.year):
            return chinese_calendar.is_workday(day), True
        return day.weekday() < 5 and day not in _guessed_holidays(day.year), False


def working_days_add(start: datetime.date, days: int) -> WorkingDate:
    """The day on which `days` working days counted from the day after `start` end.

    The day of acceptance itself does not count (期间开始之日不计算在期间内);
    0 days is the same day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = WorkingCalendar(start, start + datetime.timedelta(days=days * 2 + 60))
    day, counted, certain = start, 0, True
    while counted < days:
        day += datetime.timedelta(days=1)
        working, sure = calendar.is_working_day(day)
        certain = certain and sure
        counted += working
    return WorkingDate(day, certain)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    if end <= start:
        return 0
    calendar = WorkingCalendar(start, end)
    day, counted = start, 0
    while day < end:
        day += datetime.timedelta(days=1)
        counted += calendar.is_working_day(day)[0]
    return counted
