"""What every generated row has in common: districts, offerings, items, departments, the
people who act, the signing keys and the working-day calendar, loaded once before a run."""

import bisect
import datetime
import json
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password

from onelicense.accounts.models import Department, District, User
from onelicense.applications.samples import GIVEN, SURNAMES
from onelicense.benchmarks import bulk
from onelicense.benchmarks.plan import answer_sets
from onelicense.catalogue.models import ApprovalItem, DistrictOffering, Industry
from onelicense.catalogue.plan import plan_compute
from onelicense.catalogue.selectors import department_name, review_body_name, version_current
from onelicense.core.calendar import WorkingCalendar
from onelicense.licences.identifiers import CITY_LIST, issuer_uscc
from onelicense.licences.keys import Signer, signer_for
from onelicense.licences.models import SigningKey

VARIANTS = 6  # answer sets per industry: which items apply varies with them
APPLICANTS = 200  # online applicants' accounts the history spreads over
# Beijing's districts are not the same size: 朝阳 and 海淀 see the most applications.
DISTRICT_WEIGHTS = {
    "110101": 5,
    "110102": 6,
    "110105": 14,
    "110106": 8,
    "110107": 3,
    "110108": 12,
    "110109": 2,
    "110111": 6,
    "110112": 7,
    "110113": 6,
    "110114": 7,
    "110115": 6,
    "110116": 3,
    "110117": 3,
    "110118": 2,
    "110119": 2,
}
OTHER_WEIGHT = 5  # the economic-technological area and any district not listed


@dataclass(frozen=True)
class Item:
    """An approval item as the history uses it: ids, limits and what a permit says."""

    id: int
    code: str
    name: str
    kind_id: int
    city: bool  # decided by the city-level body, not the district's
    limit_days: int
    statutory_days: int
    commitment: bool
    verification_days: int
    months: int | None
    permit_name: str
    commitment_text: str
    legal_basis: str
    model: ApprovalItem = field(compare=False, repr=False)


@dataclass(frozen=True)
class Variant:
    """One answer set of an industry and the items the plan gives for it."""

    answers: str  # the canonical JSON of the answers
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Offering:
    district: District
    industry: Industry
    live_from: datetime.date
    window_only: bool
    online_share: float
    industry_id: int


@dataclass
class Place:
    """A district: its people, key, lists and the offices deciding its items."""

    district: District
    district_id: int
    code: str
    weight: int
    clerk_id: int
    admin_id: int
    kid: str
    signer: Signer
    issuer: str
    offerings: list[Offering] = field(default_factory=list)
    uscc_prefix: str = ""  # 91 + district code + MC + batch digit; six digits follow
    uscc_sum: int = 0  # the prefix's weighted sum
    identifier_state: int = -1  # MOD 37,36 state after the certificate type and issuer


class Workdays:
    """Working days over a span, from one read of the calendar: `add` answers what
    `core.calendar.working_days_add` would, without a query per call."""

    def __init__(self, start: datetime.date, end: datetime.date) -> None:
        calendar = WorkingCalendar(start, end)
        self.start, self.end = start, end
        self.days: list[datetime.date] = []
        self.first_uncertain = end + datetime.timedelta(days=1)
        day = start
        while day <= end:
            working, sure = calendar.is_working_day(day)
            if working:
                self.days.append(day)
            if not sure and day < self.first_uncertain:
                self.first_uncertain = day
            day += datetime.timedelta(days=1)

    def add(self, day: datetime.date, n: int) -> datetime.date:
        """The day `n` working days after `day` end (the day itself not counted)."""
        if n == 0:
            return day
        index = bisect.bisect_right(self.days, day) + n - 1
        if index >= len(self.days):
            raise ValueError(f"history calendar ends before {day} + {n} working days")
        return self.days[index]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`."""
        if end <= start:
            return 0
        return bisect.bisect_right(self.days, end) - bisect.bisect_right(self.days, start)

    def is_working(self, day: datetime.date) -> bool:
        index = bisect.bisect_left(self.days, day)
        return index < len(self.days) and self.days[index] == day

    def certain(self, day: datetime.date) -> bool:
        return day < self.first_uncertain


class World:
    """Everything constant in a run, read from the database once."""

    def __init__(self, *, seed: int, start: datetime.date, today: datetime.date) -> None:
        self.version = version_current()
        self.workdays = Workdays(
            start - datetime.timedelta(days=10), today + datetime.timedelta(days=400)
        )
        self.districts = list(District.objects.order_by("order", "code"))
        departments = Department.objects.select_related("kind").order_by("id")
        self.offices = {(d.kind_id, d.district_id): d for d in departments}
        self.reviewers = _reviewers(list(self.offices.values()))
        self.applicants = _applicants()
        self.places = [_place(d) for d in self.districts]
        items = {
            i.pk: _item(i)
            for i in ApprovalItem.objects.filter(version=self.version).select_related("department")
        }
        self.variants = _variants(self.version, items, random.Random(seed))
        by_id = {p.district.pk: p for p in self.places}
        industries = {i.code: i for i in Industry.objects.filter(version=self.version)}
        offerings = DistrictOffering.objects.filter(live_from__lte=today).order_by(
            "district__order", "district__code", "industry_code"
        )
        for row in offerings:
            industry = industries.get(row.industry_code)
            if industry is None or industry.code not in self.variants:
                continue
            window_only = row.online_depth == Industry.OnlineDepth.WINDOW
            online = 0.85 if row.online_depth == Industry.OnlineDepth.FULL else 0.6
            by_id[row.district_id].offerings.append(
                Offering(
                    by_id[row.district_id].district,
                    industry,
                    row.live_from,
                    window_only,
                    online,
                    industry.pk,
                )
            )
        self.places = [p for p in self.places if p.offerings]
        if not self.places:
            raise ValueError("没有已上线的行业：请先为各区开通行业（DistrictOffering）")
        self._faces: dict[tuple[int, int], dict[str, str]] = {}
        self._offices: dict[tuple[int, int], tuple[int, str, int]] = {}

    def office(self, item: Item, place: Place) -> tuple[int, str, int]:
        """The implementing body as approvals' `_department_for` chooses it — its id, the
        status list of its permits, its reviewer — cached per item and district."""
        key = (item.id, place.district_id)
        found = self._offices.get(key)
        if found is None:
            office = self.offices[(item.kind_id, None if item.city else place.district_id)]
            status_list = office.district.code if office.district else CITY_LIST
            found = self._offices[key] = (office.pk, status_list, self.reviewers[office.pk])
        return found

    def face_row(self, item: Item, district: District) -> dict[str, str]:
        """The constant part of an item's row on a certificate's face (licences' `_face`)."""
        key = (item.id, district.pk)
        if key not in self._faces:
            model = item.model
            self._faces[key] = {
                "item": model.name,
                "department": department_name(model.department, model.level, district),
                "review_body": review_body_name(model, district),
            }
        return self._faces[key]


def _item(item: ApprovalItem) -> Item:
    kind = item.department
    return Item(
        id=item.pk,
        code=item.code,
        name=item.name,
        kind_id=kind.pk,
        city=item.level == ApprovalItem.Level.CITY or not kind.district_level,
        limit_days=item.promised_limit_days,
        statutory_days=item.statutory_limit_days,
        commitment=item.commitment_allowed and item.verification_days is not None,
        verification_days=item.verification_days or 0,
        months=item.permit_validity_months,
        permit_name=item.permit_name or item.name,
        commitment_text=item.commitment_text or f"本人承诺符合{item.name}的许可条件。",
        legal_basis=item.legal_basis,
        model=item,
    )


def _variants(version: Any, items: dict[int, Item], rng: random.Random) -> dict[str, list[Variant]]:
    """Per industry, VARIANTS answer sets (the plan benchmark's realistic answers) planned with
    the city's parameter values; answer sets that apply no item are dropped."""
    result: dict[str, list[Variant]] = {}
    for industry in Industry.objects.filter(version=version).order_by("order", "code"):
        variants = []
        for answers, _ in answer_sets(industry, [], rng, VARIANTS):
            plan = plan_compute(industry=industry, answers=answers, district=None)
            chosen = tuple(items[gi.item.pk] for gi in plan.items)
            if chosen:
                text = json.dumps(plan.answers, ensure_ascii=False, sort_keys=True, default=str)
                variants.append(Variant(text, chosen))
        if variants:
            result[industry.code] = variants
    return result


def _users(wanted: dict[str, dict[str, Any]]) -> dict[str, int]:
    """The history's own accounts (no usable password), made once and reused."""
    found = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "id"))
    missing = [name for name in wanted if name not in found]
    if missing:
        password = make_password(None)
        User.objects.bulk_create(
            User(username=name, password=password, **wanted[name]) for name in missing
        )
        found = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "id"))
    return found


def _reviewers(offices: list[Department]) -> dict[int, int]:
    """A reviewer per department: who claims, decides and verifies its cases."""
    wanted = {
        f"history_reviewer_{o.pk}": {
            "role": User.Role.REVIEWER,
            "department": o,
            "display_name": f"{o.name}审批员",
        }
        for o in offices
    }
    ids = _users(wanted)
    return {o.pk: ids[f"history_reviewer_{o.pk}"] for o in offices}


def _applicants() -> list[int]:
    rng = random.Random(1)
    wanted = {
        f"history_applicant_{k:03d}": {
            "role": User.Role.APPLICANT,
            "display_name": SURNAMES[rng.randrange(len(SURNAMES))]
            + GIVEN[rng.randrange(len(GIVEN))],
        }
        for k in range(APPLICANTS)
    }
    ids = _users(wanted)
    return [ids[name] for name in sorted(ids)]


def _place(district: District) -> Place:
    staff = _users(
        {
            f"history_clerk_{district.code}": {
                "role": User.Role.CLERK,
                "district": district,
                "display_name": f"{district.name}综合窗口",
            },
            f"history_admin_{district.code}": {
                "role": User.Role.DISTRICT_ADMIN,
                "district": district,
                "display_name": f"{district.name}政务服务管理局",
            },
        }
    )
    kid = bulk._signing_kid(district)
    return Place(
        district=district,
        district_id=district.pk,
        code=district.code,
        weight=DISTRICT_WEIGHTS.get(district.code, OTHER_WEIGHT),
        clerk_id=staff[f"history_clerk_{district.code}"],
        admin_id=staff[f"history_admin_{district.code}"],
        kid=kid,
        signer=signer_for(SigningKey.objects.get(kid=kid)),
        issuer=issuer_uscc(district),
    )
