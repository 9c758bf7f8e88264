"""Reads of permits and certificates for the staff's and the applicant's pages.

The district admin sees the district's certificates (待颁发, 已颁发, 已作废), one certificate
with its versions, and the district's signing keys; a reviewer sees the department's permits.
Each list is a fixed number of queries, whatever its length; a certificate's status is derived
(`services.certificate_status`) from entries prefetched with their permits.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.applications.models import Application, Enterprise
from onelicense.applications.selectors import application_for_user, application_timeline
from onelicense.approvals.models import ItemCase
from onelicense.core.errors import DomainError
from onelicense.core.models import Event
from onelicense.licences.models import (
    Certificate,
    CertificateEntry,
    Permit,
    PermitEvent,
    SigningKey,
)
from onelicense.licences.services import certificate_status

PAGE_SIZE = 50
LIVE = (Permit.Status.VALID, Permit.Status.SUSPENDED)
REQUESTED = "certificate_requested"
CERTIFICATE_VERBS = (REQUESTED, "certificate_issued", "certificate_reissued", "certificate_voided")


class Tab:
    PENDING = "pending"
    ISSUED = "issued"
    VOID = "void"


TABS = {Tab.PENDING: _("待颁发"), Tab.ISSUED: _("已颁发"), Tab.VOID: _("已作废")}


# --- Access --------------------------------------------------------------------------------------


def _is_admin_of(user: User, district_id: int) -> bool:
    return user.role == User.Role.DISTRICT_ADMIN and user.district_id == district_id


def certificate_for_admin(admin: User, pk: int) -> Certificate:
    """The one access helper of the workbench: a certificate of the admin's district, else 404
    (another district's certificate is not known to exist)."""
    certificate = (
        _with_entries(Certificate.objects.select_related("application", "district", "issued_by"))
        .filter(pk=pk)
        .first()
    )
    if certificate is None or not _is_admin_of(admin, certificate.district_id):
        raise DomainError("certificate_not_found", _("未找到该凭证"), status=404)
    return certificate


def application_for_issue(admin: User, code: str) -> Application:
    """An application of the admin's district to issue a certificate for, else 404."""
    application = Application.objects.filter(code=code).first()
    if application is None or not _is_admin_of(admin, application.district_id):
        raise DomainError("application_not_found", _("未找到该申请"), status=404)
    return application


def certificate_for_applicant(user: User | AnonymousUser, pk: int) -> Certificate:
    """A certificate of one of the applicant's own applications, else 404."""
    certificate = Certificate.objects.select_related("application").filter(pk=pk).first()
    if certificate is None or getattr(user, "role", None) != User.Role.APPLICANT:
        raise DomainError("certificate_not_found", _("未找到该凭证"), status=404)
    try:
        application_for_user(user, str(certificate.application.code))
    except DomainError as exc:
        raise DomainError("certificate_not_found", _("未找到该凭证"), status=404) from exc
    return certificate


def application_for_owner(user: User | AnonymousUser, code: str) -> Application:
    """One of the applicant's own applications (not staff's view of it), else 404."""
    if getattr(user, "role", None) != User.Role.APPLICANT:
        raise DomainError("application_not_found", _("未找到该申请"), status=404)
    return application_for_user(user, code)


def permit_for_reviewer(reviewer: User, pk: int) -> Permit:
    """A permit of the reviewer's department, else 404."""
    permit = (
        department_permits(reviewer)
        .select_related("application", "item", "department", "holder")
        .filter(pk=pk)
        .first()
    )
    if permit is None:
        raise DomainError("permit_not_found", _("未找到该证件"), status=404)
    return permit


def key_for_admin(admin: User, kid: str) -> SigningKey:
    key = SigningKey.objects.filter(kid=kid, district__isnull=False).first()
    if key is None or key.district_id is None or not _is_admin_of(admin, key.district_id):
        raise DomainError("key_not_found", _("未找到该密钥"), status=404)
    return key


# --- The early certificate (先行颁发) ------------------------------------------------------------


def _requested() -> Exists:
    return Exists(
        Event.objects.filter(
            subject_type=Application._meta.label_lower,
            subject_id=Cast(OuterRef("pk"), output_field=CharField()),
            verb=REQUESTED,
        )
    )


def certificate_request_check(application: Application) -> None:
    """Whether the applicant may ask for a certificate before every item is decided: only
    while the application is in review, once, and not when a certificate exists."""
    if application.status != Application.Status.ACCEPTED:
        raise DomainError(
            "application_not_in_review",
            _("只有已受理、尚在审批中的申请可以申请先行颁发凭证"),
            status=409,
        )
    if Certificate.objects.filter(application=application).exists():
        raise DomainError("certificate_exists", _("该申请已颁发凭证"), status=409)
    asked = Application.objects.filter(pk=application.pk).filter(_requested()).exists()
    if asked:
        raise DomainError(
            "certificate_already_requested",
            _("已申请先行颁发凭证，请等待区政务服务管理局颁发"),
            status=409,
        )


def certificate_requested(application: Application) -> bool:
    return Application.objects.filter(pk=application.pk).filter(_requested()).exists()


def certificate_request_allowed(application: Application) -> bool:
    """Whether to offer 申请先行颁发凭证 (the progress page's button)."""
    try:
        certificate_request_check(application)
    except DomainError:
        return False
    return True


def certificate_current_of(application: Application) -> Certificate | None:
    """The application's current certificate version (valid or void), if one was issued."""
    return Certificate.objects.filter(application=application, replaced_by=None).first()


# --- The workbench -------------------------------------------------------------------------------


def _with_entries(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    entries = CertificateEntry.objects.select_related("permit", "item")
    return certificates.prefetch_related(Prefetch("entries", queryset=entries))


def _current() -> Exists:
    return Exists(Certificate.objects.filter(application=OuterRef("pk"), replaced_by=None))


def _pending(district_id: int) -> QuerySet[Application]:
    """Completed with something licensed, or accepted and asked for early, and no current
    certificate yet."""
    licensed = Exists(Permit.objects.filter(application=OuterRef("pk"), status__in=LIVE))
    completed = Q(status=Application.Status.COMPLETED) & licensed
    early = Q(status=Application.Status.ACCEPTED) & _requested()
    return (
        Application.objects.filter(district_id=district_id)
        .filter(completed | early)
        .exclude(_current())
    )


@dataclass(frozen=True)
class Unlicensed:
    """An item that would be listed as 未许可事项, and why (its case's status)."""

    name: str
    status: str
    case_status: str


@dataclass(frozen=True)
class PendingRow:
    application: Application
    licensed: list[Permit]
    unlicensed: list[Unlicensed]

    @property
    def early(self) -> bool:
        return self.application.status == Application.Status.ACCEPTED


@dataclass(frozen=True)
class CertificateRow:
    certificate: Certificate
    status: str
    # Licensed items changed since it was issued (granted, or granted again): 换发 is due.
    reissue_due: bool = False

    @property
    def status_label(self) -> str:
        return str(Certificate.Status(self.status).label)


@dataclass(frozen=True)
class WorkbenchTab:
    key: str
    label: str
    count: int
    current: bool


@dataclass(frozen=True)
class Workbench:
    tab: str
    query: str
    tabs: list[WorkbenchTab]
    page: Page[Any]
    rows: list[PendingRow] | list[CertificateRow]


def _search_applications(rows: QuerySet[Application], query: str) -> QuerySet[Application]:
    if not query:
        return rows
    return rows.filter(
        Q(number__icontains=query)
        | Q(form_data__enterprise_name__icontains=query)
        | Q(enterprise__uscc__iexact=query)
    )


def _search_certificates(rows: QuerySet[Certificate], query: str) -> QuerySet[Certificate]:
    if not query:
        return rows
    return rows.filter(
        Q(number__icontains=query)
        | Q(holder__name__icontains=query)
        | Q(holder__uscc__iexact=query)
        | Q(application__number__icontains=query)
    )


def _issued(district_id: int) -> QuerySet[Certificate]:
    return Certificate.objects.filter(district_id=district_id, replaced_by=None)


def _void(district_id: int) -> QuerySet[Certificate]:
    return Certificate.objects.filter(district_id=district_id, voided_at__isnull=False)


def _pending_rows(applications: Iterable[Application]) -> list[PendingRow]:
    rows = []
    for application in applications:
        permits = {p.item_id: p for p in application.live_permits}  # type: ignore[attr-defined]
        cases = sorted(application.cases.all(), key=lambda c: c.application_item.order)
        rows.append(
            PendingRow(
                application=application,
                licensed=[permits[c.item_id] for c in cases if c.item_id in permits],
                unlicensed=[
                    Unlicensed(c.item.name, c.get_status_display(), c.status)
                    for c in cases
                    if c.item_id not in permits
                ],
            )
        )
    return rows


def _reissue_due(certificate: Certificate, live: list[Permit]) -> bool:
    """The items licensed now differ from those on the face, and none of its ended permits
    is still without a successor (换发 would be refused then: the certificate stays void)."""
    entries = list(certificate.entries.all())
    live_items = {p.item_id for p in live}
    ended = {e.item_id for e in entries if e.permit is not None and e.permit.is_ended}
    if ended - live_items:
        return False
    return {p.pk for p in live} != {e.permit_id for e in entries if e.permit_id is not None}


def _certificate_rows(certificates: Iterable[Certificate]) -> list[CertificateRow]:
    rows = []
    for certificate in certificates:
        status = certificate_status(certificate)
        live = certificate.application.live_permits  # type: ignore[attr-defined]
        due = status != Certificate.Status.REPLACED and _reissue_due(certificate, live)
        rows.append(CertificateRow(certificate, status, due))
    return rows


def _pending_tab(district: int, query: str, page: str | None) -> tuple[Page[Any], list[PendingRow]]:
    live = Permit.objects.filter(status__in=LIVE).order_by("id")
    cases = ItemCase.objects.select_related("item", "application_item")
    applications = (
        _search_applications(_pending(district), query)
        .select_related("industry", "enterprise")
        .prefetch_related(
            Prefetch("permits", queryset=live, to_attr="live_permits"),
            Prefetch("cases", queryset=cases),
        )
        .order_by("-completed_at", "-decided_at", "-id")
    )
    paginated: Page[Any] = Paginator(applications, PAGE_SIZE).get_page(page)
    return paginated, _pending_rows(paginated.object_list)


def _certificate_tab(
    district: int, tab: str, query: str, page: str | None
) -> tuple[Page[Any], list[CertificateRow]]:
    live = Permit.objects.filter(status__in=LIVE).order_by("id")
    base = _issued(district) if tab == Tab.ISSUED else _void(district)
    order = ("-issued_at", "-id") if tab == Tab.ISSUED else ("-voided_at", "-id")
    certificates = (
        _with_entries(_search_certificates(base, query))
        .select_related("holder", "application", "replaced_by")
        .prefetch_related(Prefetch("application__permits", queryset=live, to_attr="live_permits"))
        .order_by(*order)
    )
    paginated: Page[Any] = Paginator(certificates, PAGE_SIZE).get_page(page)
    return paginated, _certificate_rows(paginated.object_list)


def workbench(*, admin: User, tab: str, query: str, page: str | None) -> Workbench:
    """One tab of the district's certificates, and every tab's count: 7 queries."""
    assert admin.district_id is not None
    district = admin.district_id
    counts = {
        Tab.PENDING: _search_applications(_pending(district), query).count(),
        Tab.ISSUED: _search_certificates(_issued(district), query).count(),
        Tab.VOID: _search_certificates(_void(district), query).count(),
    }
    rows: list[PendingRow] | list[CertificateRow]
    if tab == Tab.PENDING:
        paginated, rows = _pending_tab(district, query, page)
    else:
        paginated, rows = _certificate_tab(district, tab, query, page)
    tabs = [WorkbenchTab(key, str(label), counts[key], key == tab) for key, label in TABS.items()]
    return Workbench(tab=tab, query=query, tabs=tabs, page=paginated, rows=rows)


# --- One certificate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryLine:
    """An item on the certificate: as printed on its face, with its permit's live status."""

    item: str
    department: str
    review_body: str  # 复议机关, as printed
    permit: Permit | None


@dataclass(frozen=True)
class CertificateSheet:
    certificate: Certificate
    status: str
    licensed: list[EntryLine]
    unlicensed: list[EntryLine]
    versions: list[CertificateRow]
    reissue_due: bool
    events: list[Event]

    @property
    def status_label(self) -> str:
        return str(Certificate.Status(self.status).label)

    @property
    def is_current(self) -> bool:
        return self.certificate.replaced_by_id is None


def certificate_sheet(certificate: Certificate) -> CertificateSheet:
    face = certificate.face
    printed = {row["item"]: row for row in [*face["licensed"], *face["unlicensed"]]}
    lines = [
        EntryLine(
            item=entry.item.name,
            department=printed.get(entry.item.name, {}).get("department", ""),
            review_body=printed.get(entry.item.name, {}).get("review_body", ""),
            permit=entry.permit,
        )
        for entry in certificate.entries.all()
    ]
    versions = list(
        _with_entries(Certificate.objects.filter(number=certificate.number))
        .select_related("issued_by", "replaced_by")
        .order_by("-version")
    )
    live = list(Permit.objects.filter(application_id=certificate.application_id, status__in=LIVE))
    status = certificate_status(certificate)
    events = application_timeline(certificate.application).filter(
        Q(verb__in=CERTIFICATE_VERBS), Q(verb=REQUESTED) | Q(data__certificate=certificate.number)
    )
    return CertificateSheet(
        certificate=certificate,
        status=status,
        licensed=[line for line in lines if line.permit is not None],
        unlicensed=[line for line in lines if line.permit is None],
        versions=[CertificateRow(v, certificate_status(v)) for v in versions],
        reissue_due=status != Certificate.Status.REPLACED and _reissue_due(certificate, live),
        events=list(events),
    )


# --- Signing keys --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRow:
    key: SigningKey
    signed: int

    @property
    def state(self) -> str:
        if self.key.is_retired:
            return str(_("已停用"))
        return str(_("当前使用")) if self.key.active else str(_("已轮换"))


def district_keys(district_id: int) -> list[KeyRow]:
    """The district's keys, newest first, each with the number of certificates it signed."""
    signed = (
        Certificate.objects.filter(key_id=OuterRef("kid"))
        .order_by()
        .values("key_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    keys = SigningKey.objects.filter(district_id=district_id).annotate(
        signed=Coalesce(Subquery(signed, output_field=IntegerField()), Value(0))
    )
    return [KeyRow(key, key.signed) for key in keys]


def key_retire_check(key: SigningKey) -> None:
    """Only a key already rotated out is retired here: the active key signs what is issued
    next, so it is replaced first (轮换), then retired."""
    if key.is_retired:
        raise DomainError("key_retired", _("该密钥已停用"), status=409)
    if key.active:
        raise DomainError("key_active", _("当前使用的密钥不能停用，请先轮换密钥"), status=409)


def key_signed_current(key: SigningKey) -> int:
    """Current, not void certificates the key signed: they stop verifying once it is retired."""
    return Certificate.objects.filter(key_id=key.kid, replaced_by=None, voided_at=None).count()


# --- Permits of a department ---------------------------------------------------------------------


def department_permits(reviewer: User) -> QuerySet[Permit]:
    """The permits of the reviewer's department; nothing for anyone else."""
    if reviewer.role != User.Role.REVIEWER or reviewer.department_id is None:
        return Permit.objects.none()
    return Permit.objects.filter(department_id=reviewer.department_id)


def permit_page(reviewer: User, *, status: str, query: str, page: str | None) -> Page[Any]:
    """The department's permits, latest changed first; 2 queries."""
    rows = department_permits(reviewer).select_related("holder", "application")
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(
            Q(number__icontains=query)
            | Q(holder__name__icontains=query)
            | Q(holder__uscc__iexact=query)
            | Q(application__number__icontains=query)
        )
    return Paginator(rows.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class PermitSheet:
    permit: Permit
    events: list[PermitEvent]
    listings: list[CertificateRow]

    @property
    def voids(self) -> list[Certificate]:
        """The certificates that ending this permit voids (作废) and recovers (收回)."""
        return [
            row.certificate
            for row in self.listings
            if row.certificate.replaced_by_id is None and row.certificate.voided_at is None
        ]


def permit_sheet(permit: Permit) -> PermitSheet:
    listed = _with_entries(
        Certificate.objects.filter(entries__permit=permit).select_related("replaced_by")
    ).order_by("-issued_at", "-id")
    return PermitSheet(
        permit=permit,
        events=list(permit.events.select_related("actor").order_by("-created_at", "-id")),
        listings=[CertificateRow(c, certificate_status(c)) for c in listed],
    )


# --- Holders, for supervision --------------------------------------------------------------------

HOLDER_ACTIONS = (
    PermitEvent.Operation.SUSPEND,
    PermitEvent.Operation.ANNUL,
    PermitEvent.Operation.REVOKE,
)


def holder_permits(enterprise_id: int) -> QuerySet[Permit]:
    """An enterprise's permits with their department, district and industry; 1 query."""
    return (
        Permit.objects.filter(holder_id=enterprise_id)
        .select_related("department__district", "department__kind", "item", "application__industry")
        .order_by("id")
    )


def holder_permit_actions(enterprise_id: int) -> QuerySet[PermitEvent]:
    """The suspensions, annulments and revocations of an enterprise's permits, oldest first."""
    return (
        PermitEvent.objects.filter(permit__holder_id=enterprise_id, operation__in=HOLDER_ACTIONS)
        .select_related("permit")
        .order_by("created_at", "id")
    )


def holder_find(*, uscc: str = "", certificate_number: str = "") -> Enterprise | None:
    """The permit holder known by its USCC or by the number of a certificate it holds."""
    if uscc:
        return Enterprise.objects.filter(uscc=uscc.strip().upper(), permits__isnull=False).first()
    if certificate_number:
        certificate = (
            Certificate.objects.filter(number=certificate_number.strip())
            .select_related("holder")
            .first()
        )
        return certificate.holder if certificate else None
    return None


def holders_in_district(district_id: int) -> QuerySet[Enterprise]:
    """Enterprises holding a live permit of a department of the district."""
    return (
        Enterprise.objects.filter(
            permits__department__district_id=district_id, permits__status__in=LIVE
        )
        .distinct()
        .order_by("uscc")
    )
