"""The statutory clock of one case, in working days (行政许可法 §42, §45, §82)."""

import calendar
import datetime
from dataclasses import dataclass

from onelicense.approvals.models import ItemCase
from onelicense.core.calendar import working_days_add, working_days_between

WARNING_LEVELS = (60, 80)


def clock_refresh(case: ItemCase) -> None:
    """Recompute the due dates: the limit, plus any extension, plus the working days the
    clock stood still. While it stands still there is no due date."""
    if case.is_paused or case.is_decided:
        if case.is_paused:
            case.due_date = case.statutory_due_date = None
        return
    promised = working_days_add(
        case.started_on, case.limit_days + case.extension_days + case.paused_days
    )
    statutory = working_days_add(
        case.started_on, case.statutory_days + case.extension_days + case.paused_days
    )
    case.due_date, case.statutory_due_date = promised.date, statutory.date
    case.due_date_certain = promised.certain and statutory.certain


def clock_pause(case: ItemCase, today: datetime.date) -> None:
    case.paused_since = today
    case.due_date = case.statutory_due_date = None


def clock_resume(case: ItemCase, today: datetime.date) -> int:
    """End a pause; returns the working days it took out of the clock: those after the day it
    began, up to and including the day it ends (the clock runs again from the next day)."""
    if case.paused_since is None:
        return 0
    paused = working_days_between(case.paused_since, today)
    case.paused_days += paused
    case.paused_since = None
    return paused


@dataclass(frozen=True)
class ClockState:
    used_days: int
    limit_days: int
    percent: int
    overdue: bool


def clock_state(case: ItemCase, today: datetime.date) -> ClockState:
    """How much of the promised time is used (paused days not counted)."""
    limit = case.limit_days + case.extension_days
    end = case.paused_since or today
    used = max(working_days_between(case.started_on, end) - case.paused_days, 0)
    percent = 100 if limit == 0 else min(round(100 * used / limit), 999)
    return ClockState(used, limit, percent, case.is_overdue(today))


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has fewer days), minus one:
    a permit valid for 60 months from 2026-03-02 runs to 2031-03-01."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    end = min(day.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, end) - datetime.timedelta(days=1)
