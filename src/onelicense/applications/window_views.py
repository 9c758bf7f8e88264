"""The district's comprehensive window (一窗受理): the workbench, the check page, the decisions,
the materials' files and the printed receipt or refusal.

Only the district's clerks and district admins use the window (`window_staff`); the receipt,
the refusal and the files are also the owning applicant's (`_application_for_reader`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.applications import pdf, services
from onelicense.applications.models import (
    Application,
    ApplicationItem,
    MaterialDeferral,
    MaterialFile,
)
from onelicense.applications.selectors import (
    application_for_user,
    application_plan,
    application_timeline,
    applications_at_window,
)
from onelicense.applications.window_forms import (
    AcceptForm,
    DeferredAcceptForm,
    RefuseForm,
    WindowSearchForm,
    form_errors_add,
)
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.models import Industry, InfoElement, Material, Question
from onelicense.catalogue.pdf import days_text
from onelicense.catalogue.plan import Plan
from onelicense.core.calendar import working_days_between
from onelicense.core.errors import DomainError
from onelicense.core.models import Event
from onelicense.core.services import event_record

View = Callable[..., HttpResponse]
WINDOW_ROLES = (User.Role.CLERK, User.Role.DISTRICT_ADMIN)
Status = Application.Status
TABS = {
    Status.SUBMITTED: _("待受理"),
    Status.ACCEPTED: _("已受理"),
    Status.REFUSED: _("不予受理"),
    Status.WITHDRAWN: _("已撤回"),
}
# An application the departments have finished (已办结) was accepted: it stays in that tab.
TAB_STATUSES: dict[str, list[str]] = {
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.ACCEPTED: [Status.ACCEPTED, Status.COMPLETED],
    Status.REFUSED: [Status.REFUSED],
    Status.WITHDRAWN: [Status.WITHDRAWN],
}
ACCEPTED_STATUSES = (Status.ACCEPTED, Status.COMPLETED)
PAGE_SIZE = 50
# 行政许可法 §32(1)(四): incomplete materials are to be told at once or within five (working)
# days; the workbench marks applications that have waited that long.
LONG_WAIT_WORKING_DAYS = 5
PERSONAL_TYPES = (InfoElement.Type.ID_NUMBER,)
EVENT_LABELS = {
    "application_created": _("创建申请"),
    "material_uploaded": _("上传材料"),
    "material_removed": _("删除材料"),
    "commitment_signed": _("签署告知承诺书"),
    "application_submitted": _("提交申请"),
    "application_withdrawn": _("撤回申请"),
    "application_accepted": _("受理"),
    "application_refused": _("不予受理"),
    "application_amended": _("补正申请表"),
    "application_completed": _("办结"),
    "personal_data_viewed": _("查看完整个人信息"),
}


# --- Access ----------------------------------------------------------------------------------


def window_staff(view: View) -> View:
    """Clerks and district admins only: anonymous users log in, anyone else gets a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "role", None) not in WINDOW_ROLES:
            return render(request, "window/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # window_staff let only window staff in
    return request.user


def _application_at_window(request: HttpRequest, code: object) -> Application:
    """A submitted (or later) application of the clerk's own district; else 404."""
    try:
        application = application_for_user(_staff(request), str(code))
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if application.is_draft:
        raise Http404(_("未找到该申请"))
    return application


def _application_for_reader(request: HttpRequest, code: object) -> Application:
    """For the receipt, the refusal and the files: the owning applicant or the district's staff;
    a city-wide account is not the district's staff and gets 404 like everyone else."""
    user = request.user
    try:
        application = application_for_user(user, str(code))
    except DomainError as exc:
        raise Http404(exc.message) from exc
    assert isinstance(user, User)
    if user.is_staff_member and user.scope_district != application.district:
        raise Http404(_("未找到该申请"))
    return application


# --- The workbench -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    status: str
    label: str
    count: int
    current: bool


def _window_rows(clerk: User, status: str, query: str) -> QuerySet[Application]:
    """A tab's rows, or with a query every status's matches; withdrawn drafts never reached
    the window and are left out."""
    rows = applications_at_window(clerk).exclude(number=None).select_related("enterprise")
    if query:
        return rows.filter(
            Q(number__icontains=query)
            | Q(form_data__enterprise_name__icontains=query)
            | Q(enterprise__name__icontains=query)
            | Q(enterprise__uscc__iexact=query)
        )
    rows = rows.filter(status__in=TAB_STATUSES[status])
    return rows if status == Status.SUBMITTED else rows.order_by("-decided_at", "-submitted_at")


def _tabs(clerk: User, current: str | None) -> list[Tab]:
    counts = dict(
        applications_at_window(clerk)
        .exclude(number=None)
        .order_by()  # an ordering would split the groups
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        Tab(s, str(label), sum(counts.get(each, 0) for each in TAB_STATUSES[s]), s == current)
        for s, label in TABS.items()
    ]


def _waits(rows: list[Application]) -> dict[int, int]:
    """Working days each waiting application has waited, computed once per submission day."""
    today = timezone.localdate()
    days: dict[datetime.date, int] = {}
    waits = {}
    for row in rows:
        if row.status == Status.SUBMITTED and row.submitted_at:
            day = timezone.localdate(row.submitted_at)
            if day not in days:
                days[day] = working_days_between(day, today)
            waits[row.pk] = days[day]
    return waits


def _offered_industries(clerk: User) -> list[Industry]:
    if clerk.district is None:
        return []
    try:
        live = catalogue.offerings_of(clerk.district)
        return [industry for industry in catalogue.industry_list() if industry.code in live]
    except DomainError:
        return []  # no catalogue published yet


@never_cache
@window_staff
def workbench(request: HttpRequest) -> HttpResponse:
    clerk = _staff(request)
    search = WindowSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    status = request.GET.get("status", "")
    status = status if status in TABS else Status.SUBMITTED
    page = Paginator(_window_rows(clerk, status, query), PAGE_SIZE).get_page(request.GET.get("p"))
    rows = list(page.object_list)
    waits = _waits(rows)
    context = {
        "search": search,
        "query": query,
        "status": status,
        "tabs": _tabs(clerk, None if query else status),
        "page": page,
        "rows": [(row, waits.get(row.pk)) for row in rows],
        "long_wait": LONG_WAIT_WORKING_DAYS,
        "district": clerk.district,
        "industries": _offered_industries(clerk),
    }
    return render(request, "window/workbench.html", context)


# --- The check page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One label and its value as shown; `personal` values are masked until revealed."""

    label: str
    value: str
    personal: bool = False

    @property
    def masked(self) -> str:
        return mask(self.value)


@dataclass(frozen=True)
class MaterialRow:
    material: Material
    item_names: list[str]
    files: list[MaterialFile]
    required: bool
    deferrable: bool
    deferral: MaterialDeferral | None

    @property
    def missing(self) -> bool:
        return self.required and not self.files


@dataclass(frozen=True)
class ItemRow:
    entry: ApplicationItem
    department: str
    signed: bool

    @property
    def statutory(self) -> str:
        return days_text(self.entry.item.statutory_limit_days)

    @property
    def promised(self) -> str:
        return days_text(self.entry.item.promised_limit_days)


@dataclass(frozen=True)
class Step:
    """One line of the timeline: consecutive events of one kind by one person are one line."""

    event: Event
    label: str
    count: int
    details: list[str]


@dataclass(frozen=True)
class CheckSheet:
    """Everything the clerk checks, shaped for the page."""

    application: Application
    enterprise: list[Line]
    answers: list[Line]
    items: list[ItemRow]
    sections: list[tuple[str, list[Line]]]
    materials: list[MaterialRow]
    commitments: list[Any]
    timeline: list[Step]

    @property
    def missing(self) -> list[MaterialRow]:
        return [row for row in self.materials if row.missing]

    @property
    def deferrable_missing(self) -> list[MaterialRow]:
        return [row for row in self.missing if row.deferrable]

    @property
    def blocking(self) -> list[MaterialRow]:
        """Missing materials that no deferral can cover: the application cannot be accepted."""
        return [row for row in self.missing if not row.deferrable]

    @property
    def has_personal(self) -> bool:
        lines = [*self.enterprise, *(line for _label, lines in self.sections for line in lines)]
        return any(line.personal for line in lines)

    @property
    def material_labels(self) -> dict[str, str]:
        return {row.material.code: row.material.name for row in self.materials}


def mask(value: str) -> str:
    """All but the last four characters hidden: 11010519491231002X → **************002X."""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def _yes_no(value: object) -> str:
    return str(_("是")) if value else str(_("否"))


def _answer_text(question: Question, answer: Any) -> str:
    if answer is None or answer == "" or answer == []:
        return "—"
    if question.type == Question.Type.BOOLEAN:
        return _yes_no(answer)
    labels = {option.code: option.label for option in question.options.all()}
    if question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        chosen = answer if isinstance(answer, list) else [answer]
        return "、".join(str(labels.get(code, code)) for code in chosen)
    return f"{answer} {question.unit}".strip()


def _plain_number(value: Any) -> str:
    """Numbers as written (400, not the 4E+2 a normalised Decimal may have been stored as)."""
    try:
        return f"{Decimal(str(value)):f}"
    except InvalidOperation:
        return str(value)


def _element_text(element: InfoElement, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if element.type == InfoElement.Type.BOOLEAN:
        return _yes_no(value)
    if element.type in (InfoElement.Type.INTEGER, InfoElement.Type.DECIMAL):
        value = _plain_number(value)
    choices = {c["code"]: c["label"] for c in (element.validation or {}).get("choices", [])}
    if choices:
        chosen = value if isinstance(value, list) else [value]
        return "、".join(str(choices.get(code, code)) for code in chosen)
    return f"{value} {element.unit}".strip()


def _materials(application: Application, plan: Plan) -> list[MaterialRow]:
    files: dict[int, list[MaterialFile]] = {}
    for record in application.material_files.select_related("material"):
        files.setdefault(record.material_id, []).append(record)
    deferrals = {d.material_id: d for d in application.deferrals.all()}
    rows = []
    for merged in plan.materials:
        links = [gm for gi in plan.items for gm in gi.materials if gm.material == merged.material]
        material = merged.material
        rows.append(
            MaterialRow(
                material=material,
                item_names=merged.item_names,
                files=files.get(material.pk, []),
                required=any(gm.required for gm in links),
                # The service refuses a deferral if any item needs the material at once.
                deferrable=all(gm.deferrable for gm in links),
                deferral=deferrals.get(material.pk),
            )
        )
    return rows


def _steps(application: Application, plan: Plan) -> list[Step]:
    names = {m.material.code: m.material.name for m in plan.materials}
    steps: list[Step] = []
    for event in application_timeline(application):
        detail = names.get(str(event.data.get("material", "")), "")
        last = steps[-1] if steps else None
        if last and last.event.verb == event.verb and last.event.actor_id == event.actor_id:
            details = [*last.details, detail] if detail else last.details
            steps[-1] = Step(event, last.label, last.count + 1, details)
        else:
            label = str(EVENT_LABELS.get(event.verb, event.verb))
            steps.append(Step(event, label, 1, [detail] if detail else []))
    return steps


def check_sheet(application: Application) -> CheckSheet:
    plan = application_plan(application)
    form = application.form_data
    id_number = str(form.get("legal_rep_id_number") or "")
    signed = {c.item_id: c for c in application.commitments.select_related("item")}
    entries = application.items.select_related("item__department")
    return CheckSheet(
        application=application,
        # As applied for: the Enterprise row holds the latest name under the same USCC.
        enterprise=[
            Line(str(_("名称")), application.enterprise_name),
            Line(str(_("统一社会信用代码")), application.uscc),
            Line(str(_("法定代表人（负责人）")), str(form.get("legal_representative") or "")),
            Line(str(_("身份证件号码")), id_number or "—", personal=bool(id_number)),
        ],
        answers=[Line(a.question.text, _answer_text(a.question, a.answer)) for a in plan.questions],
        items=[
            ItemRow(
                entry,
                catalogue.department_name(
                    entry.item.department, entry.item.level, application.district
                ),
                entry.item_id in signed,
            )
            for entry in entries
        ],
        sections=[
            (
                section.label,
                [
                    Line(
                        f.element.label,
                        _element_text(f.element, form.get(f.element.code)),
                        personal=f.element.type in PERSONAL_TYPES and f.element.code in form,
                    )
                    for f in section.fields
                ],
            )
            for section in plan.sections
        ],
        materials=_materials(application, plan),
        commitments=list(signed.values()),
        timeline=_steps(application, plan),
    )


def _check_page(
    request: HttpRequest,
    application: Application,
    *,
    sheet: CheckSheet | None = None,
    bound: dict[str, forms.Form] | None = None,
    reveal: bool = False,
    status: int = 200,
) -> HttpResponse:
    sheet = sheet or check_sheet(application)
    actions: dict[str, forms.Form] = {
        "accept": AcceptForm(),
        "deferred": DeferredAcceptForm(materials=list(sheet.material_labels.items())),
        "refuse": RefuseForm(),
    } | (bound or {})
    deferred = actions["deferred"]
    chosen = deferred["deferred"].value() or [] if deferred.is_bound else []
    context = {
        "application": application,
        "sheet": sheet,
        "reveal": reveal,
        "is_accepted": application.status in ACCEPTED_STATUSES,
        "forms": actions,
        "failed": next(iter(bound or {}), ""),
        "failed_form": next(iter((bound or {}).values()), None),
        "deferral_days": services.DEFERRAL_WORKING_DAYS,
        "can_decide": _staff(request).role == User.Role.CLERK
        and application.status == Status.SUBMITTED,
        "deferred_chosen": chosen,
    }
    response = render(request, "window/check.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page carries personal data
    return response


@never_cache
@window_staff
def check(request: HttpRequest, code: object) -> HttpResponse:
    return _check_page(request, _application_at_window(request, code))


@require_POST
@window_staff
def reveal(request: HttpRequest, code: object) -> HttpResponse:
    """显示完整信息: each look at the full ID number is an event of the audit trail."""
    application = _application_at_window(request, code)
    event_record(
        actor=_staff(request),
        verb="personal_data_viewed",
        subject=application,
        data={"fields": ["legal_rep_id_number"]},
    )
    return _check_page(request, application, reveal=True)


# --- Decisions (POST, then redirect back with a banner) ---------------------------------------


def _decide(
    request: HttpRequest,
    sheet: CheckSheet,
    name: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], Application],
    done: str,
) -> HttpResponse:
    """Validate the form and call the one service. A DomainError shows its messages on the page
    and nothing has changed; success redirects back to the page with a banner (PRG)."""
    application = sheet.application
    if not form.is_valid():
        return _check_page(request, application, sheet=sheet, bound={name: form}, status=422)
    try:
        decided = act(form.cleaned_data)
    except DomainError as exc:
        field = "deferred" if name == "deferred" else None
        form_errors_add(form, exc, field=field, labels=sheet.material_labels)
        bound = {name: form}
        return _check_page(request, application, sheet=sheet, bound=bound, status=exc.status)
    messages.success(request, done % {"number": decided.number})
    return redirect("window:check", application.code)


@require_POST
@window_staff
def accept(request: HttpRequest, code: object) -> HttpResponse:
    sheet = check_sheet(_application_at_window(request, code))
    return _decide(
        request,
        sheet,
        "accept",
        AcceptForm(request.POST),
        lambda data: services.application_accept(
            application=sheet.application, clerk=_staff(request)
        ),
        str(_("已受理申请 %(number)s。请打印受理通知书交申请人。")),
    )


@require_POST
@window_staff
def accept_deferred(request: HttpRequest, code: object) -> HttpResponse:
    """容缺受理: the service decides which materials may follow (the catalogue's `deferrable`)."""
    sheet = check_sheet(_application_at_window(request, code))
    return _decide(
        request,
        sheet,
        "deferred",
        DeferredAcceptForm(request.POST, materials=list(sheet.material_labels.items())),
        lambda data: services.application_accept(
            application=sheet.application, clerk=_staff(request), deferred=data["deferred"]
        ),
        str(_("已容缺受理申请 %(number)s。请打印受理通知书，并告知申请人补交期限。")),
    )


@require_POST
@window_staff
def refuse(request: HttpRequest, code: object) -> HttpResponse:
    sheet = check_sheet(_application_at_window(request, code))
    return _decide(
        request,
        sheet,
        "refuse",
        RefuseForm(request.POST),
        lambda data: services.application_refuse(
            application=sheet.application,
            clerk=_staff(request),
            reason=data["reason"],
            legal_basis=data["legal_basis"],
        ),
        str(_("已对申请 %(number)s 作出不予受理决定。请打印不予受理决定书交申请人。")),
    )


# --- Files and documents ---------------------------------------------------------------------


def _disposition(kind: str, ascii_name: str, name: str) -> str:
    """RFC 6266/5987: an ASCII name for old clients, the Chinese one for the rest."""
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
def material_file(request: HttpRequest, code: object, file_id: int) -> FileResponse:
    """A material's file as uploaded, with the content type read from it at upload."""
    application = _application_for_reader(request, code)
    record = get_object_or_404(application.material_files, pk=file_id)
    response = FileResponse(record.file.open("rb"), content_type=record.content_type)
    kind = "attachment" if request.GET.get("download") == "1" else "inline"
    suffix = record.get_content_type_display().lower()
    response["Content-Disposition"] = _disposition(
        kind, f"material-{record.pk}.{suffix}", record.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_response(content: bytes, ascii_name: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = _disposition("inline", ascii_name, name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def receipt(request: HttpRequest, code: object) -> HttpResponse:
    """受理通知书, once the application is accepted."""
    application = _application_for_reader(request, code)
    if application.status not in ACCEPTED_STATUSES:
        raise Http404(_("该申请尚未受理，没有受理通知书"))
    number = application.number or ""
    return _pdf_response(
        pdf.receipt_pdf(application), f"receipt-{number}.pdf", f"受理通知书-{number}.pdf"
    )


@login_required
def refusal(request: HttpRequest, code: object) -> HttpResponse:
    """不予受理决定书, once the application is refused."""
    application = _application_for_reader(request, code)
    if application.status != Status.REFUSED:
        raise Http404(_("该申请未被不予受理"))
    number = application.number or ""
    return _pdf_response(
        pdf.refusal_pdf(application), f"refusal-{number}.pdf", f"不予受理决定书-{number}.pdf"
    )
