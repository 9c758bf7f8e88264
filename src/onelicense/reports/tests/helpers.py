"""A small history with figures worked out by hand, for the reports' tests.

Built through the services, then dated as a bulk load of history would write it: in 朝阳区,
one restaurant application completed around the 2024 National Day holiday (1–7 October off,
29 September and 12 October made up as working days), one refused, and one accepted with an
open case long overdue. The three decided cases, all started on Friday 27 September:

| case | decided (Beijing time) | working days | paused | taken | promised | on time |
|---|---|---|---|---|---|---|
| food (市场监管) | 10 Oct 00:30 | 5 (29, 30 Sep; 8, 9, 10 Oct) | 2 | 3 | 3 | yes |
| fire (消防) | 14 Oct 10:00 | 8 (… 11, 12, 14 Oct) | 0 | 8 | 5 | no |
| tobacco (烟草), refused | 30 Sep 16:00 | 2 | 0 | 2 | 10 | yes |

Average 13 / 3 = 4.3 working days; p90 (nearest rank: the 3rd of 3) 8; on time 2 of 3 (66.7%);
within the statutory 20 days all three; one correction, asked on 8 October.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.approvals.models import CaseAction, ItemCase
from onelicense.approvals.tests.helpers import restaurant_accepted, restaurant_submitted

BEIJING = ZoneInfo("Asia/Shanghai")
SINCE, UNTIL = datetime.date(2024, 9, 1), datetime.date(2024, 10, 31)


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


@dataclass
class History:
    completed: Application
    refused: Application
    open: Application
    overdue_case: ItemCase


def _case(application: Application, department_kind: str) -> ItemCase:
    return application.cases.get(department__kind__code=department_kind)


def history_build(completed: Application, applicant: User, clerk: User) -> History:
    Application.objects.filter(pk=completed.pk).update(
        submitted_at=at("2024-09-26"),
        decided_at=at("2024-09-27", "09:00"),
        completed_at=at("2024-10-14", "10:00"),
    )
    started = datetime.date(2024, 9, 27)
    dates = {
        "market_regulation": (at("2024-10-10", "00:30"), 2, 3, "approved"),
        "fire_rescue": (at("2024-10-14"), 0, 5, "approved"),
        "tobacco": (at("2024-09-30", "16:00"), 0, 10, "refused"),
    }
    for kind, (decided_at, paused, limit, status) in dates.items():
        ItemCase.objects.filter(pk=_case(completed, kind).pk).update(
            started_on=started,
            decided_at=decided_at,
            paused_days=paused,
            limit_days=limit,
            statutory_days=20,
            extension_days=0,
            status=status,
        )
    correction = CaseAction.objects.create(
        case=_case(completed, "market_regulation"), kind=CaseAction.Kind.CORRECTION, actor=clerk
    )
    CaseAction.objects.filter(pk=correction.pk).update(created_at=at("2024-10-08"))

    refused = restaurant_submitted(applicant, seed=2)
    Application.objects.filter(pk=refused.pk).update(
        status=Application.Status.REFUSED,
        submitted_at=at("2024-09-26", "15:00"),
        decided_at=at("2024-09-30"),
        decided_by=clerk,
    )
    open_application = restaurant_accepted(applicant, clerk, seed=3)
    overdue = _case(open_application, "fire_rescue")
    ItemCase.objects.filter(pk=overdue.pk).update(due_date=datetime.date(2020, 1, 2))
    return History(completed, refused, open_application, overdue)
