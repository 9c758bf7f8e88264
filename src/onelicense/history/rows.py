"""One application's past, from submission to its certificate, as rows of every table.

A single seeded random stream is read in a fixed order, so the same seed on the same starting
database gives the same rows. Every time is checked against `now`: what would happen later
has not happened yet (the application still waits, the case is still open).
"""

import datetime
import json
import random
import uuid
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from onelicense.applications.models import Application, ApplicationItem
from onelicense.applications.samples import GIVEN, STREETS, SURNAMES, TRADE
from onelicense.approvals.clock import WARNING_LEVELS, months_later
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.benchmarks import bulk
from onelicense.history.certificates import CertificateMaker, Issue, Licensed
from onelicense.history.world import Item, Offering, Place, World

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
Row = tuple[Any, ...]

# Choice values, read once (an enum member's `.value` costs a call on every row).
SUBMITTED = Application.Status.SUBMITTED.value
WITHDRAWN = Application.Status.WITHDRAWN.value
REFUSED = Application.Status.REFUSED.value
ACCEPTED = Application.Status.ACCEPTED.value
COMPLETED = Application.Status.COMPLETED.value
WINDOW = Application.Channel.WINDOW.value
ONLINE = Application.Channel.ONLINE.value
STANDARD = ApplicationItem.Route.STANDARD.value
COMMITMENT = ApplicationItem.Route.COMMITMENT.value
CASE_PENDING = ItemCase.Status.PENDING.value
CASE_IN_REVIEW = ItemCase.Status.IN_REVIEW.value
CASE_CORRECTION = ItemCase.Status.CORRECTION.value
CASE_APPROVED = ItemCase.Status.APPROVED.value
CASE_REFUSED = ItemCase.Status.REFUSED.value

# The mix (shares of all applications, or of the cases of accepted ones).
P_WITHDRAWN = 0.035  # withdrawn before acceptance
P_REFUSED = 0.04  # 不予受理 at the window
P_COMMITMENT = 0.5  # of the items that allow 告知承诺
P_CORRECTION = 0.12  # of standard cases with a time limit: one 补正 round
P_LATE = 0.05  # decided after the promised date
P_STALLED = 0.006  # never decided: open, and overdue once past the due date
P_CASE_REFUSED = 0.04  # 不予许可
P_SUSPENDED_PERMIT = 0.005  # 暂扣 (the certificate stays valid)
ONLINE_LAG = (0, 1, 2, 3)  # working days from an online submission to acceptance
ONLINE_LAG_WEIGHTS = (0.2, 0.45, 0.25, 0.1)
MISSING = (
    "营业执照副本",
    "经营场所平面图",
    "从业人员健康证明",
    "消防设施检测报告",
    "法定代表人身份证明",
)
# The trade in a holder's name, by the industry's category (门类): a bakery is not 某某健身有限公司.
TRADES = {
    "餐饮": ("餐饮", "美食", "餐饮管理", "食品"),
    "零售": ("商贸", "便利", "商业", "贸易"),
    "医疗健康": ("医药", "健康", "医疗"),
    "住宿": ("酒店管理", "旅游", "住宿服务"),
    "生活服务": ("生活服务", "服务", "健康管理"),
    "体育健身": ("健身", "体育", "运动"),
    "文化娱乐": ("文化", "娱乐", "文化传播"),
    "教育培训": ("教育", "教育咨询", "培训"),
    "交通运输": ("汽车服务", "物流", "交通"),
}
OTHER_TRADES = ("商贸", "实业", "科技", "服务")
CONSENT = "申请人当场签署授权委托书，委托窗口代为填报"
REFUSALS = (
    ("申请事项依法不需要取得行政许可", "《中华人民共和国行政许可法》第三十二条第一款第一项"),
    ("申请事项依法不属于本行政机关职权范围", "《中华人民共和国行政许可法》第三十二条第一款第二项"),
)
CASE_REFUSAL = "经审查，申请人不符合法定条件、标准"
APPROVAL = "符合法定条件、标准"
COMMITMENT_APPROVAL = "申请人作出告知承诺，当场准予许可"
FINDINGS = {
    Verification.Outcome.CONFIRMED: "经现场核查，承诺内容属实",
    Verification.Outcome.RECTIFY: "经现场核查，部分条件与承诺不符，责令限期整改",
    Verification.Outcome.REVOKED: "经核查，申请人未履行承诺，依法撤销许可",
}


@dataclass
class Ids:
    """The next id of every table."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class Case:
    """What the rest of the application needs to know of one of its cases."""

    id: int
    item: Item
    order: int
    office_id: int
    status_list: str  # the permit's: its department's district, or the city's
    reviewer: int
    start: datetime.date
    decided_at: datetime.datetime | None
    approved: bool
    commitment: bool
    permit: Licensed | None = None


@dataclass
class Generator:
    world: World
    rng: random.Random
    now: datetime.datetime
    ids: Ids
    certificates: CertificateMaker
    batch: int
    rows: dict[str, list[Row]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    serials: dict[tuple[int, datetime.date], int] = field(default_factory=dict)
    uscc_next: dict[str, int] = field(default_factory=dict)

    @property
    def today(self) -> datetime.date:
        return self.now.astimezone(BEIJING).date()

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)

    def at(self, day: datetime.date, start: int, end: int) -> datetime.datetime:
        """A time on `day` between `start` and `end` o'clock, Beijing time."""
        minutes = self.rng.randrange(start * 60, end * 60)
        return datetime.datetime.combine(
            day, datetime.time(minutes // 60, minutes % 60), tzinfo=BEIJING
        )

    # -- arrivals -----------------------------------------------------------------------------

    def arrivals(
        self, n: int, first: datetime.date
    ) -> list[tuple[datetime.datetime, Place, Offering]]:
        """`n` submissions over the days from `first` to today, sorted by time: working days
        busier than weekends, the later months busier than the first (the reform catching on),
        the large districts and the common industries more often."""
        rng, workdays, today = self.rng, self.world.workdays, self.today
        span = (today - first).days + 1
        days = [first + datetime.timedelta(days=k) for k in range(span)]
        weights = [
            (1.0 if workdays.is_working(day) else 0.1) * (0.75 + 0.5 * k / span)
            for k, day in enumerate(days)
        ]
        places = self.world.places
        chosen_days = rng.choices(days, weights, k=n)
        chosen_places = rng.choices(places, [p.weight for p in places], k=n)
        result = []
        for day, place in zip(chosen_days, chosen_places, strict=True):
            offering = rng.choices(place.offerings, [_popularity(o) for o in place.offerings])[0]
            day = max(day, offering.live_from)
            if workdays.is_working(day) and rng.random() > offering.online_share:
                submitted = self.at(day, 9, 12)  # at the window
            else:
                submitted = self.at(day, 7, 23)  # online, any day
            if submitted > self.now:
                submitted = self.now - datetime.timedelta(minutes=rng.randint(1, 90))
            result.append((submitted, place, offering))
        result.sort(key=lambda arrival: arrival[0])
        return result

    # -- one application --------------------------------------------------------------------

    def application(self, submitted: datetime.datetime, place: Place, offering: Offering) -> None:
        rng, world = self.rng, self.world
        variant = rng.choice(world.variants[offering.industry.code])
        day = submitted.astimezone(BEIJING).date()
        window = offering.window_only or (world.workdays.is_working(day) and submitted.hour < 12)
        app_id = self.ids.take("application")
        number = self._number(place.district_id, place.code, day)
        holder = self._enterprise(place, offering.industry.category)
        applicant = None if window else rng.choice(world.applicants)
        owner = place.clerk_id if window else applicant
        assert owner is not None
        lead = rng.randint(5, 40) if window else rng.randint(10, 4320)
        created = submitted - datetime.timedelta(minutes=lead)
        routes: dict[str, str] = {}
        items: list[tuple[Item, str, int, int]] = []
        for order, item in enumerate(variant.items):
            route = STANDARD
            if item.commitment and rng.random() < P_COMMITMENT:
                route = COMMITMENT
                routes[item.code] = route
                signed = created + datetime.timedelta(minutes=rng.randint(1, max(1, lead - 1)))
                self.add(
                    "commitment",
                    (
                        self.ids.take("commitment"),
                        app_id,
                        item.id,
                        item.commitment_text,
                        holder.person,
                        owner,
                        signed,
                    ),
                )
            item_row = self.ids.take("item")
            self.add("item", (item_row, app_id, item.id, route, order))
            items.append((item, route, item_row, order))

        fate = rng.random()
        lag = 0 if window and rng.random() < 0.7 else rng.choices(ONLINE_LAG, ONLINE_LAG_WEIGHTS)[0]
        accept_day = (
            world.workdays.add(day, lag)
            if world.workdays.is_working(day) or lag
            else (world.workdays.add(day, 1))
        )
        accepted = self.at(accept_day, 9, 12)
        if accepted <= submitted:
            accepted = submitted + datetime.timedelta(minutes=rng.randint(10, 60))
        status = SUBMITTED
        decided_at: datetime.datetime | None = None
        decided_by = promised = completed = None
        certain = True
        refusal = ("", "")
        updated = submitted
        cases: list[Case] = []
        if fate < P_WITHDRAWN:
            withdrawn = submitted + datetime.timedelta(minutes=rng.randint(30, 2880))
            if withdrawn <= self.now:
                status, updated = WITHDRAWN, withdrawn
        elif accepted > self.now:
            pass  # still waiting at the window
        elif fate < P_WITHDRAWN + P_REFUSED:
            status, decided_at, decided_by = (
                REFUSED,
                accepted,
                place.clerk_id,
            )
            refusal, updated = rng.choice(REFUSALS), accepted
        else:
            status, decided_at, decided_by = (
                ACCEPTED,
                accepted,
                place.clerk_id,
            )
            longest = max(item.limit_days for item, *_ in items)
            promised_day = world.workdays.add(accept_day, longest)
            promised, certain, updated = (
                promised_day,
                world.workdays.certain(promised_day),
                accepted,
            )
            cases = [
                self._case(app_id, number, row, item, route, order, place, accepted, owner)
                for item, route, row, order in items
            ]
            times = [c.decided_at for c in cases]
            if all(t is not None for t in times):
                completed = max(t for t in times if t is not None)
                status, updated = COMPLETED, completed
            else:
                updated = max([accepted, *(t for t in times if t is not None)])
        self.statuses[status] += 1
        for case in cases:
            if case.approved:
                case.permit = self.certificates.permit(case, app_id, number, holder.id, place, rng)
        issue = None
        if completed is not None and any(c.approved for c in cases):
            issued = min(completed + datetime.timedelta(minutes=rng.randint(10, 240)), self.now)
            issue = Issue(app_id, offering, place, holder, cases, issued)
            self.certificates.plan(issue, rng, self.now)
        for case in cases:
            if case.commitment and case.permit is not None:
                self._verification(case, issue)
        if issue is not None:
            self.certificates.write(issue, self.add)
        for case in cases:
            if case.permit is not None:
                self.add("permit", case.permit.row(app_id, holder.id, self.now))
        form = json.dumps(
            {
                "enterprise_name": holder.name,
                "uscc": holder.uscc,
                "legal_representative": holder.current_person,
                "premises_address": holder.premises,
            },
            ensure_ascii=False,
        )
        self.add(
            "enterprise",
            (holder.id, holder.uscc, holder.name, holder.current_person, self.now),
        )
        self.add(
            "application",
            (
                app_id,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                number,
                offering.industry_id,
                place.district_id,
                WINDOW if window else ONLINE,
                status,
                applicant,
                place.clerk_id if window else None,
                owner,
                CONSENT if window else "",
                None,
                json.dumps(routes) if routes else "{}",
                variant.answers,
                form,
                holder.id,
                created,
                updated,
                submitted,
                decided_at,
                decided_by,
                promised,
                certain,
                completed,
                *refusal,
            ),
        )

    def _number(self, district_id: int, code: str, day: datetime.date) -> str:
        """申请编号 as applications' `_number` gives it: district + day + that day's serial."""
        key = (district_id, day)
        serial = self.serials[key] = self.serials.get(key, 0) + 1
        if serial > 9999:
            raise ValueError(f"{code} 在 {day} 的申请编号已用完")
        return f"{code}{day:%Y%m%d}{serial:04d}"

    def _enterprise(self, place: Place, category: str) -> "Holder":
        if not place.uscc_prefix:
            place.uscc_prefix = f"91{place.code}MC{self.batch}"
            place.uscc_sum = bulk._uscc_sum(place.uscc_prefix)
        rng, district = self.rng, place.district
        j = self.uscc_next.get(district.code, 0)
        self.uscc_next[district.code] = j + 1
        prefix = place.uscc_prefix
        total = place.uscc_sum + bulk._USCC_HIGH[j // 1000 % 1000] + bulk._USCC_LOW[j % 1000]
        code = f"{prefix}{j:06d}{bulk._USCC_ALPHABET[(31 - total) % 31]}"
        name = f"北京{rng.choice(TRADE)}{rng.choice(TRADES.get(category, OTHER_TRADES))}有限公司"
        if rng.random() < 0.6:
            name = name[:-4] + f"有限公司第{rng.randint(1, 900)}分店"
        person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        premises = f"北京市{district.name}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
        return Holder(self.ids.take("enterprise"), code, name, person, premises)

    # -- cases --------------------------------------------------------------------------------

    def _case(
        self,
        app_id: int,
        number: str,
        item_row: int,
        item: Item,
        route: str,
        order: int,
        place: Place,
        accepted: datetime.datetime,
        owner: int,
    ) -> Case:
        rng, workdays, now = self.rng, self.world.workdays, self.now
        office, status_list, reviewer = self.world.office(item, place)
        start = accepted.astimezone(BEIJING).date()
        case = Case(
            self.ids.take("case"),
            item,
            order,
            office,
            status_list,
            reviewer,
            start,
            None,
            False,
            False,
        )
        commitment = route == COMMITMENT
        paused = 0
        paused_since: datetime.date | None = None
        status = CASE_IN_REVIEW
        reason = basis = ""
        if commitment:
            case.commitment, case.approved, case.decided_at = True, True, accepted
            status, reason = CASE_APPROVED, COMMITMENT_APPROVAL
        else:
            used = rng.randint(item.limit_days // 3, item.limit_days) if item.limit_days else 0
            if rng.random() < P_LATE:
                used += rng.randint(1, 8)
            stalled = rng.random() < P_STALLED
            if item.limit_days and rng.random() < P_CORRECTION:
                paused, paused_since = self._correction(case, start, used, owner)
            decided = self.at(workdays.add(start, used + paused), 13, 18)
            if stalled or decided > now:
                if paused_since is not None:
                    status, paused = CASE_CORRECTION, 0
                elif (self.today - start).days <= 2 and rng.random() < 0.5:
                    status = CASE_PENDING
            else:
                case.decided_at = decided
                case.approved = rng.random() >= P_CASE_REFUSED
                status = CASE_APPROVED if case.approved else CASE_REFUSED
                reason = APPROVAL if case.approved else CASE_REFUSAL
                basis = "" if case.approved else item.legal_basis
        if status == CASE_CORRECTION:
            due = statutory = None
            certain = True
        else:
            due = workdays.add(start, item.limit_days + paused)
            statutory = workdays.add(start, item.statutory_days + paused)
            certain = workdays.certain(statutory)
        pending = status == CASE_PENDING
        permit: tuple[str, datetime.date | None, datetime.date | None] = ("", None, None)
        if case.approved and case.decided_at is not None:
            valid_from = case.decided_at.astimezone(BEIJING).date()
            until = months_later(valid_from, item.months) if item.months else None
            permit = (f"{number}-{order + 1:02d}", valid_from, until)
        self.add(
            "case",
            (
                case.id,
                app_id,
                item_row,
                item.id,
                office,
                route,
                status,
                None if pending else reviewer,
                start,
                item.limit_days,
                item.statutory_days,
                paused,
                paused_since,
                0,
                due,
                statutory,
                certain,
                case.decided_at,
                reviewer if case.decided_at else None,
                reason,
                basis,
                *permit,
                self._warned(case, due, paused) if case.decided_at is None else 0,
            ),
        )
        return case

    def _correction(
        self, case: Case, start: datetime.date, used: int, owner: int
    ) -> tuple[int, datetime.date | None]:
        """One 补正 round: asked on a working day of the review, answered 1–8 working days
        later. Returns the working days it paused the clock and, while it is still awaited,
        the day it began."""
        rng, workdays = self.rng, self.world.workdays
        asked_day = workdays.add(start, rng.randint(0, max(0, used - 1)))
        asked = self.at(asked_day, 13, 15)
        if asked > self.now:
            return 0, None
        missing = rng.sample(MISSING, k=rng.randint(1, 2))
        self.add(
            "action",
            (
                self.ids.take("action"),
                case.id,
                CaseAction.Kind.CORRECTION.value,
                case.reviewer,
                None,
                asked,
                "",
                json.dumps({"missing": missing}, ensure_ascii=False),
            ),
        )
        paused = rng.randint(1, 8)
        answered = self.at(workdays.add(asked_day, paused), 15, 18)
        if answered > self.now:
            return 0, asked_day
        self.add(
            "action",
            (
                self.ids.take("action"),
                case.id,
                CaseAction.Kind.CORRECTED.value,
                owner,
                None,
                answered,
                "",
                json.dumps({"paused_days": paused}),
            ),
        )
        return paused, None

    def _warned(self, case: Case, due: datetime.date | None, paused: int) -> int:
        """The warning level `cases_warn` would have reached by now on an open case."""
        if due is None:
            return 0
        limit = case.item.limit_days
        used = max(self.world.workdays.between(case.start, self.today) - paused, 0)
        percent = 100 if limit == 0 else round(100 * used / limit)
        return max((level for level in (*WARNING_LEVELS, 100) if percent >= level), default=0)

    def _verification(self, case: Case, issue: Issue | None) -> None:
        """告知承诺核查 of a commitment approval, due within the item's deadline: most confirmed
        once due, a few ordered to rectify, a few revoked (the permit 撤销, its certificate
        void), some still awaited."""
        rng, workdays, permit = self.rng, self.world.workdays, case.permit
        assert permit is not None
        due = workdays.add(case.start, case.item.verification_days)
        checked_day = workdays.add(case.start, rng.randint(1, max(1, case.item.verification_days)))
        checked = self.at(checked_day, 9, 17)
        draw = rng.random()
        outcome = Verification.Outcome.PENDING
        if checked <= self.now and (due < self.today or draw < 0.3):
            outcome = Verification.Outcome.CONFIRMED
            if draw >= 0.97:
                outcome = Verification.Outcome.PENDING  # overdue check
            elif draw >= 0.94 and self.certificates.revoke(issue, permit, checked, self.now):
                outcome = Verification.Outcome.REVOKED
            elif draw >= 0.86:
                outcome = Verification.Outcome.RECTIFY
        done = outcome != Verification.Outcome.PENDING
        self.add(
            "verification",
            (
                self.ids.take("verification"),
                case.id,
                due,
                outcome.value,
                checked_day + datetime.timedelta(days=30)
                if outcome == Verification.Outcome.RECTIFY
                else None,
                FINDINGS.get(outcome, ""),
                (permit.ended_at if outcome == Verification.Outcome.REVOKED else checked)
                if done
                else None,
                case.reviewer if done else None,
            ),
        )


@dataclass
class Holder:
    """The enterprise (市场主体) of one application; `current_person` changes on a reissue."""

    id: int
    uscc: str
    name: str
    person: str
    premises: str
    current_person: str = ""

    def __post_init__(self) -> None:
        self.current_person = self.current_person or self.person


POPULAR = {
    "restaurant": 6,
    "convenience_store": 4,
    "coffee_shop": 3,
    "small_grocery": 3,
    "beauty_salon": 3,
    "bakery": 2,
    "gym": 2,
    "pharmacy": 2,
    "hotel": 2,
    "ecommerce": 2,
}


def _popularity(offering: Offering) -> int:
    return POPULAR.get(offering.industry.code, 1)
