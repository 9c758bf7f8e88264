"""Reads of parallel review: a department's inbox, one case with its slice of the plan, the
department's colleagues and leads.

A reviewer sees the cases of their own department only, and a department belongs to one
district (or is a city-level body), so the department is the whole scope.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.applications.forms import element_text
from onelicense.applications.models import ApplicationItem, Commitment, MaterialFile
from onelicense.applications.selectors import application_plan
from onelicense.approvals.clock import WARNING_LEVELS, ClockState, clock_state, months_later
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.approvals.services import SUSPENSION_KINDS
from onelicense.catalogue import rules
from onelicense.catalogue.codec.spec import IDENTITY_ELEMENTS
from onelicense.catalogue.models import ApprovalItem, InfoElement, Material
from onelicense.catalogue.pdf import answer_text, remedies_text
from onelicense.catalogue.plan import Plan
from onelicense.catalogue.selectors import review_body_name
from onelicense.core.calendar import WorkingCalendar
from onelicense.core.errors import DomainError

PAGE_SIZE = 50
OPEN = (
    ItemCase.Status.PENDING,
    ItemCase.Status.IN_REVIEW,
    ItemCase.Status.CORRECTION,
    ItemCase.Status.SUSPENDED,
)
VERIFICATION_OPEN = (Verification.Outcome.PENDING, Verification.Outcome.RECTIFY)


class Tab:
    TODO = "todo"
    MINE = "mine"
    DONE = "done"
    VERIFY = "verify"


TABS = {
    Tab.TODO: _("待办"),
    Tab.MINE: _("我的"),
    Tab.DONE: _("已办结"),
    Tab.VERIFY: _("核查"),
}
TAB_STATUSES = {
    Tab.TODO: OPEN,
    Tab.MINE: OPEN,
    Tab.DONE: ItemCase.DECIDED,
    Tab.VERIFY: (),
}


# --- Scope -------------------------------------------------------------------------------------


def department_cases(reviewer: User) -> QuerySet[ItemCase]:
    """Every case of the reviewer's department; nothing for anyone who is not a reviewer."""
    if reviewer.role != User.Role.REVIEWER or reviewer.department_id is None:
        return ItemCase.objects.none()
    return ItemCase.objects.filter(department_id=reviewer.department_id)


def case_for_reviewer(reviewer: User, pk: int) -> ItemCase:
    """The one access helper: a case of the reviewer's department, else 404 (not 403, so that
    another department's or district's case is not known to exist)."""
    case = (
        department_cases(reviewer)
        .select_related(
            "application__industry__version",
            "application__district",
            "application__enterprise",
            "application_item",
            "item__department",
            "department",
            "assignee",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise DomainError("item_case_not_found", _("未找到该审批事项"), status=404)
    return case


def department_colleagues(department_id: int) -> QuerySet[User]:
    """The department's active reviewers, who may be given a case (分派)."""
    return User.objects.filter(
        role=User.Role.REVIEWER, department_id=department_id, is_active=True
    ).order_by("username")


def department_leads(department_id: int) -> QuerySet[User]:
    """The department's leads, who may approve an extension (延期, 行政许可法 §42)."""
    return department_colleagues(department_id).filter(is_lead=True)


# --- The clock of many cases --------------------------------------------------------------------


def clock_states(cases: Sequence[ItemCase], today: datetime.date) -> dict[int, ClockState]:
    """`clock_state` of many cases, reading the calendar once for the whole span instead of
    twice per case; the arithmetic is clock_state's (a test holds the two equal)."""
    if not cases:
        return {}
    ends = {case.pk: case.paused_since or today for case in cases}
    first = min(case.started_on for case in cases)
    last = max(first, *ends.values())
    calendar = WorkingCalendar(first, last)
    counted: dict[datetime.date, int] = {first: 0}
    day, total = first, 0
    while day < last:
        day += datetime.timedelta(days=1)
        total += calendar.is_working_day(day)[0]
        counted[day] = total

    def at(day: datetime.date) -> int:
        return counted[min(max(day, first), last)]

    states = {}
    for case in cases:
        limit = case.limit_days + case.extension_days
        between = max(at(ends[case.pk]) - at(case.started_on), 0)
        used = max(between - case.paused_days, 0)
        percent = 100 if limit == 0 else min(round(100 * used / limit), 999)
        states[case.pk] = ClockState(used, limit, percent, case.is_overdue(today))
    return states


def time_band(case: ItemCase, clock: ClockState | None) -> str:
    """overdue, 80, 60 or "" for a running case; paused or decided otherwise."""
    if case.is_decided or clock is None:
        return "decided"
    if case.is_paused:
        return "paused"
    if clock.overdue:
        return "overdue"
    for level in sorted(WARNING_LEVELS, reverse=True):
        if clock.percent >= level:
            return str(level)
    return ""


# --- The inbox ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilter:
    tab: str = Tab.TODO
    status: str = ""
    item: str = ""
    query: str = ""


@dataclass(frozen=True)
class InboxRow:
    case: ItemCase
    clock: ClockState | None

    @property
    def band(self) -> str:
        return time_band(self.case, self.clock)

    @property
    def bar_percent(self) -> int:
        return min(self.clock.percent, 100) if self.clock else 0


@dataclass(frozen=True)
class InboxTab:
    key: str
    label: str
    count: int
    current: bool


@dataclass(frozen=True)
class InboxPage:
    filter: InboxFilter
    counts: dict[str, int]
    page: Page[Any]
    rows: list[Any] = field(default_factory=list)

    @property
    def tabs(self) -> list[InboxTab]:
        return [
            InboxTab(key, str(label), self.counts[key], key == self.filter.tab)
            for key, label in TABS.items()
        ]

    @property
    def filtered(self) -> bool:
        return bool(self.filter.status or self.filter.item or self.filter.query)


def _filtered(reviewer: User, inbox: InboxFilter) -> QuerySet[ItemCase]:
    rows = department_cases(reviewer)
    if inbox.item:
        rows = rows.filter(item__code=inbox.item)
    if inbox.query:
        rows = rows.filter(
            Q(application__number__icontains=inbox.query)
            | Q(application__form_data__enterprise_name__icontains=inbox.query)
            | Q(application__enterprise__name__icontains=inbox.query)
        )
    return rows


def inbox_counts(reviewer: User, inbox: InboxFilter) -> dict[str, int]:
    """Each tab's number of cases under the item filter and the search, in one query."""
    decided = Q(status__in=ItemCase.DECIDED)
    return _filtered(reviewer, inbox).aggregate(
        **{
            Tab.TODO: Count("id", filter=~decided),
            Tab.MINE: Count("id", filter=~decided & Q(assignee=reviewer)),
            Tab.DONE: Count("id", filter=decided),
            Tab.VERIFY: Count("id", filter=Q(verification__outcome__in=VERIFICATION_OPEN)),
        }
    )


def _urgency(row: InboxRow) -> tuple[int, datetime.date, int]:
    """Overdue first, then at 80% and 60% of the time, then the rest by due date; cases whose
    clock stands still (no due date) after those that run."""
    case = row.case
    order = {"overdue": 0, "80": 1, "60": 2, "": 3, "paused": 4}
    day = case.due_date or case.paused_since or datetime.date.max
    return (order.get(row.band, 5), day, case.pk)


def inbox_page(
    reviewer: User, inbox: InboxFilter, *, page: str | None, today: datetime.date
) -> InboxPage:
    """One page of a tab. Open cases are few per department and sorted by urgency in Python
    (it needs the working-day clock); decided cases and checks are paged in the database."""
    rows = _filtered(reviewer, inbox).select_related(
        "application__enterprise", "item", "assignee", "verification"
    )
    counts = inbox_counts(reviewer, inbox)
    if inbox.tab == Tab.VERIFY:
        checks = Paginator(verifications_due(reviewer, inbox), PAGE_SIZE).get_page(page)
        return InboxPage(inbox, counts, checks, list(checks))
    if inbox.status in TAB_STATUSES[inbox.tab]:
        rows = rows.filter(status=inbox.status)
    if inbox.tab == Tab.DONE:
        decided = rows.filter(status__in=ItemCase.DECIDED).order_by("-decided_at", "-id")
        done = Paginator(decided, PAGE_SIZE).get_page(page)
        return InboxPage(inbox, counts, done, [InboxRow(case, None) for case in done])
    open_cases = rows.exclude(status__in=ItemCase.DECIDED)
    if inbox.tab == Tab.MINE:
        open_cases = open_cases.filter(assignee=reviewer)
    cases = list(open_cases)
    clocks = clock_states(cases, today)
    ordered = sorted((InboxRow(case, clocks[case.pk]) for case in cases), key=_urgency)
    current = Paginator(ordered, PAGE_SIZE).get_page(page)
    return InboxPage(inbox, counts, current, list(current))


def verifications_due(reviewer: User, inbox: InboxFilter | None = None) -> QuerySet[Verification]:
    """告知承诺核查 still to do (pending, or ordered to rectify), the earliest deadline first: the
    check's own deadline, or the rectification's."""
    cases = _filtered(reviewer, inbox or InboxFilter())
    return (
        Verification.objects.filter(case__in=cases, outcome__in=VERIFICATION_OPEN)
        .select_related("case__application__enterprise", "case__item", "case__assignee")
        .annotate(next_date=Coalesce("rectify_by", "due_date"))
        .order_by("next_date", "id")
    )


def inbox_items(reviewer: User) -> list[tuple[str, str]]:
    """The items the department has cases of, for the filter: (code, name), one per code
    (an item keeps its code across catalogue versions)."""
    pairs = (
        department_cases(reviewer)
        .order_by("item__code", "item__version__valid_from")
        .values_list("item__code", "item__name")
        .distinct()
    )
    return sorted(dict(pairs).items(), key=lambda pair: pair[1])


# --- One case ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    code: str = ""


@dataclass(frozen=True)
class CaseMaterial:
    material: Material
    required: bool
    condition: str
    files: list[MaterialFile]


@dataclass(frozen=True)
class ActionLine:
    action: CaseAction
    facts: list[str]


@dataclass(frozen=True)
class CaseSheet:
    """What the review page shows of one case: only what its item needs."""

    case: ItemCase
    clock: ClockState
    review_body: str
    remedies: str
    enterprise: list[Line]
    answers: list[Line]
    sections: list[tuple[str, list[Line]]]
    materials: list[CaseMaterial]
    commitment: Commitment | None
    verification: Verification | None
    actions: list[ActionLine]
    others: list[ItemCase]
    permit_suggestion: str
    valid_from: datetime.date
    valid_until: datetime.date | None

    @property
    def extension_left(self) -> int:
        return max(self.case.item.max_extension_days - self.case.extension_days, 0)

    @property
    def band(self) -> str:
        return time_band(self.case, self.clock)

    @property
    def last_correction(self) -> CaseAction | None:
        """The correction the applicant was last told of (what is awaited while paused)."""
        asked = [
            line.action for line in self.actions if line.action.kind == CaseAction.Kind.CORRECTION
        ]
        return asked[-1] if asked else None

    correction_choices: tuple[list[tuple[str, str]], list[tuple[str, str]]]


@dataclass(frozen=True)
class ItemSlice:
    """The item's own part of the plan: its materials and elements with the rules applied."""

    item: ApprovalItem
    materials: list[Any]  # GuideMaterial, or ItemMaterial when the plan no longer has the item
    elements: list[InfoElement]
    rule: rules.Rule
    review_body: str


def _slice(plan: Plan, case: ItemCase) -> ItemSlice:
    guide_item = next((gi for gi in plan.items if gi.item.pk == case.item_id), None)
    if guide_item is not None:
        return ItemSlice(
            guide_item.item,
            list(guide_item.materials),
            list(guide_item.elements),
            guide_item.link.rule,
            guide_item.review_body,
        )
    # The answers no longer make the item apply (corrected since): show all that it asks.
    item = case.item
    return ItemSlice(
        item,
        list(item.material_links.select_related("material")),
        [link.element for link in item.element_links.select_related("element")],
        None,
        review_body_name(item, case.application.district),
    )


def _concerning(plan: Plan, own: ItemSlice) -> set[str]:
    """The questions whose answers decide something about this item: whether it applies, which
    of its materials and elements are asked, or a value of its form that they fill in."""
    ruled = [own.rule, *(link.rule for link in own.item.material_links.all())]
    ruled += [link.rule for link in own.item.element_links.all()]
    codes = {code for rule in ruled for code in rules.questions_in(rule)}
    mine = {element.code for element in own.elements}
    filled = {
        asked.question.code
        for asked in plan.questions
        if asked.question.fills and asked.question.fills.code in mine
    }
    return codes | filled


Choices = list[tuple[str, str]]


def _choices(own: ItemSlice) -> tuple[Choices, Choices]:
    """What a correction may name: this item's materials, and its form's elements (as the
    applicant is told them: 申请表“座位数”)."""
    return (
        [(m.material.code, m.material.name) for m in own.materials],
        [(e.code, str(_("申请表“%(label)s”") % {"label": e.label})) for e in own.elements],
    )


def correction_choices(case: ItemCase) -> tuple[Choices, Choices]:
    return _choices(_slice(application_plan(case.application), case))


def _files(case: ItemCase, materials: Iterable[Material]) -> dict[int, list[MaterialFile]]:
    files: dict[int, list[MaterialFile]] = {}
    ids = [material.pk for material in materials]
    for record in case.application.material_files.filter(material_id__in=ids):
        files.setdefault(record.material_id, []).append(record)
    return files


# What each detail that the services record on an action says on the page.
FACTS = {
    "assignee": _("承办人：%(value)s"),
    "permit_number": _("证件编号：%(value)s"),
    "legal_basis": _("法律依据：%(value)s"),
    "missing": _("需补正：%(value)s"),
    "kind": _("事由：%(value)s"),
    "expected_end": _("预计 %(value)s 结束"),
    "days": _("延长 %(value)s 个工作日"),
    "on": _("核查日期：%(value)s"),
    "paused_days": _("扣除 %(value)s 个工作日"),
}


def _action_facts(action: CaseAction, names: dict[str, str]) -> list[str]:
    shown: dict[str, Callable[[Any], Any]] = {
        "assignee": names.get,
        "missing": "；".join,
        "kind": SUSPENSION_KINDS.get,
    }
    facts = [
        str(text % {"value": shown.get(key, str)(action.details[key])})
        for key, text in FACTS.items()
        if action.details.get(key)
    ]
    if action.approved_by:
        facts.append(str(_("批准人：%(name)s") % {"name": action.approved_by}))
    return facts


def _actions(case: ItemCase) -> list[ActionLine]:
    actions = list(case.actions.select_related("actor", "approved_by"))
    usernames = {str(a.details.get("assignee")) for a in actions if a.details.get("assignee")}
    names = {u.username: str(u) for u in User.objects.filter(username__in=usernames)}
    return [ActionLine(action, _action_facts(action, names)) for action in actions]


def permit_suggestion(case: ItemCase) -> str:
    """The number the service gives when none is typed: the application's, then the item's."""
    application_item: ApplicationItem = case.application_item
    return f"{case.application.number}-{application_item.order + 1:02d}"


def case_sheet(case: ItemCase, today: datetime.date) -> CaseSheet:
    """The case, its item, the enterprise, and the answers, elements and materials that concern
    this item (not the other departments')."""
    application = case.application
    plan = application_plan(application)
    own = _slice(plan, case)
    form = application.form_data
    identity = {
        f.element.code: f.element for f in plan.fields if f.element.code in IDENTITY_ELEMENTS
    }
    concerning = _concerning(plan, own)
    elements = [e for e in own.elements if e.code not in IDENTITY_ELEMENTS]
    sections = []
    for code, label in InfoElement.Section.choices:
        lines = [
            Line(e.label, element_text(e, form.get(e.code)) or "—", e.code)
            for e in elements
            if e.section == code
        ]
        if lines:
            sections.append((str(label), lines))
    files = _files(case, [m.material for m in own.materials])
    months = case.item.permit_validity_months
    return CaseSheet(
        case=case,
        clock=clock_state(case, today),
        review_body=own.review_body,
        remedies=remedies_text(own.review_body, application.industry.version.remedies),
        enterprise=[
            Line(element.label, element_text(element, form.get(code)) or "—", code)
            for code, element in sorted(
                identity.items(), key=lambda pair: list(IDENTITY_ELEMENTS).index(pair[0])
            )
        ],
        answers=[
            Line(asked.question.text, str(answer_text(asked.question, asked.answer)))
            for asked in plan.questions
            if asked.question.code in concerning
        ],
        sections=sections,
        materials=[
            CaseMaterial(m.material, m.required, m.condition, files.get(m.material.pk, []))
            for m in own.materials
        ],
        commitment=(
            Commitment.objects.filter(application=application, item_id=case.item_id).first()
            if case.route == ApplicationItem.Route.COMMITMENT
            else None
        ),
        verification=Verification.objects.filter(case=case).first(),
        actions=_actions(case),
        others=list(
            application.cases.exclude(pk=case.pk)
            .select_related("department", "item")
            .order_by("application_item__order")
        ),
        permit_suggestion=permit_suggestion(case),
        valid_from=today,
        valid_until=months_later(today, months) if months else None,
        correction_choices=_choices(own),
    )


def case_material_file(case: ItemCase, file_id: int) -> MaterialFile:
    """A file of one of this item's own materials; another item's is not found."""
    plan = application_plan(case.application)
    own = _slice(plan, case)
    record = case.application.material_files.filter(
        pk=file_id, material_id__in=[m.material.pk for m in own.materials]
    ).first()
    if record is None:
        raise DomainError("file_not_found", _("未找到该文件"), status=404)
    return record


def enterprise_verifications(enterprise_id: int) -> QuerySet[Verification]:
    """The decided commitment verifications (核查) of an enterprise's cases, oldest first."""
    return (
        Verification.objects.filter(case__application__enterprise_id=enterprise_id)
        .exclude(outcome=Verification.Outcome.PENDING)
        .select_related("case__item")
        .order_by("checked_at", "id")
    )
