"""Writes of permits and certificates.

Permits come from decided cases; every lifecycle operation is a PermitEvent. A certificate is
one version of the district's summary of an application's items; it is never edited: a face
change makes a new version (换发) and marks the old one replaced, and a permit that ends voids
(作废) every current version listing it, recorded with its recovery (收回).
"""

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import Any

import orjson
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.approvals.clock import months_later
from onelicense.approvals.models import ItemCase
from onelicense.catalogue.models import ApprovalItem
from onelicense.catalogue.selectors import department_name, review_body_name
from onelicense.core.errors import DomainError
from onelicense.core.pipeline import pipeline_run
from onelicense.core.services import event_record
from onelicense.licences.identifiers import (
    CITY_LIST,
    certificate_type_code,
    identifier_make,
    issuer_uscc,
    serial_next,
    status_index_next,
)
from onelicense.licences.keys import district_key, signer_for
from onelicense.licences.models import Certificate, CertificateEntry, Permit, PermitEvent
from onelicense.licences.pdf import certificate_pdf
from onelicense.licences.seal import pdf_seal
from onelicense.licences.tokens import Claims, token_mac, token_make

Op = PermitEvent.Operation
S = Permit.Status

# Which operation may move a permit from which states, and to which.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    Op.SUSPEND: ((S.VALID,), S.SUSPENDED),
    Op.RESTORE: ((S.SUSPENDED,), S.VALID),
    Op.CANCEL: ((S.VALID, S.SUSPENDED), S.CANCELLED),
    Op.ANNUL: ((S.VALID, S.SUSPENDED), S.ANNULLED),
    Op.REVOKE: ((S.VALID, S.SUSPENDED), S.REVOKED),
    Op.EXPIRE: ((S.VALID, S.SUSPENDED), S.EXPIRED),
}


# -- permits ------------------------------------------------------------------------------------


def _list_code(case: ItemCase) -> str:
    return case.department.district.code if case.department.district else CITY_LIST


def permit_issue(*, case: ItemCase, actor: User | None) -> Permit:
    """The permit of an approved case (once: a second call returns it)."""
    existing = Permit.objects.filter(case=case).first()
    if existing:
        return existing
    if case.status != ItemCase.Status.APPROVED:
        raise DomainError("case_not_approved", _("事项尚未准予许可"), status=409)
    application = case.application
    assert application.enterprise is not None
    permit = Permit.objects.create(
        number=case.permit_number,
        case=case,
        application=application,
        item=case.item,
        name=case.item.permit_name or case.item.name,
        department=case.department,
        holder=application.enterprise,
        valid_from=case.permit_valid_from or timezone.localdate(),
        valid_until=case.permit_valid_until,
        status_list=_list_code(case),
        status_index=status_index_next(_list_code(case)),
    )
    PermitEvent.objects.create(permit=permit, operation=Op.ISSUE, to_status=S.VALID, actor=actor)
    return permit


@transaction.atomic
def permit_change(
    *,
    permit: Permit,
    actor: User | None,
    operation: str,
    reason: str,
    legal_basis: str = "",
    valid_until: datetime.date | None = None,
    details: dict[str, Any] | None = None,
) -> Permit:
    """One lifecycle operation, with its reason (and, for 撤销/吊销, its legal basis)."""
    permit = Permit.objects.select_for_update().get(pk=permit.pk)
    if not reason.strip():
        raise DomainError(
            "reason_required", _("请说明理由"), fields={"reason": str(_("此项必填"))}, status=422
        )
    if operation in (Op.ANNUL, Op.REVOKE) and not legal_basis.strip():
        raise DomainError(
            "legal_basis_required",
            _("撤销或吊销须写明法律依据"),
            fields={"legal_basis": str(_("此项必填"))},
            status=422,
        )
    before = permit.status
    if operation in TRANSITIONS:
        allowed, after = TRANSITIONS[operation]
        if before not in allowed:
            raise DomainError(
                "permit_wrong_state",
                _("证件当前为“%(status)s”，不能%(op)s")
                % {"status": permit.get_status_display(), "op": Op(operation).label},
                status=409,
            )
        permit.status = after
    elif operation == Op.RENEW:
        _renew(permit, valid_until)
    elif operation == Op.CHANGE:
        permit.details = permit.details | (details or {})
    else:
        raise DomainError("unknown_operation", _("未知的证件操作"), status=422)
    permit.save()
    PermitEvent.objects.create(
        permit=permit,
        operation=operation,
        from_status=before,
        to_status=permit.status,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        actor=actor,
        data={
            "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
            **(details or {}),
        },
    )
    event_record(
        actor=actor,
        verb=f"permit_{operation}",
        subject=permit.application,
        reason=reason,
        data={"permit": permit.number},
    )
    if permit.is_ended:
        _void_listing(permit, actor)
    return permit


def _renew(permit: Permit, valid_until: datetime.date | None) -> None:
    if permit.status not in (S.VALID, S.SUSPENDED):
        raise DomainError("permit_wrong_state", _("已终止的证件不能延续"), status=409)
    if valid_until is None or (permit.valid_until and valid_until <= permit.valid_until):
        raise DomainError(
            "invalid_validity",
            _("延续后的有效期须晚于原有效期"),
            fields={"valid_until": str(_("须晚于原有效期"))},
            status=422,
        )
    permit.valid_until = valid_until


def _void_listing(permit: Permit, actor: User | None) -> None:
    """作废 and 收回 every current certificate that lists this permit as licensed."""
    now = timezone.now()
    for certificate in Certificate.objects.select_for_update().filter(
        entries__permit=permit, replaced_by=None, voided_at=None
    ):
        certificate.voided_at = now
        certificate.recovered_at = now
        certificate.void_reason = str(
            _("%(permit)s已%(status)s")
            % {"permit": permit.name, "status": permit.get_status_display()}
        )
        certificate.save(update_fields=["voided_at", "recovered_at", "void_reason"])
        pipeline_run("ONELICENSE_ON_CERTIFICATE", certificate=certificate, operation="void")
        event_record(
            actor=actor,
            verb="certificate_voided",
            subject=certificate.application,
            reason=certificate.void_reason,
            data={"certificate": certificate.number, "version": certificate.version},
        )


def permits_expire(*, today: datetime.date | None = None) -> int:
    """失效 by itself on the day after a permit's last valid day (a worker job)."""
    today = today or timezone.localdate()
    count = 0
    for permit in Permit.objects.filter(status__in=(S.VALID, S.SUSPENDED), valid_until__lt=today):
        permit_change(permit=permit, actor=None, operation=Op.EXPIRE, reason=str(_("有效期届满")))
        count += 1
    return count


@transaction.atomic
def permit_regrant(
    *,
    application: Application,
    item: ApprovalItem,
    reviewer: User,
    number: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    reason: str,
) -> Permit:
    """重新许可: a new permit for an item whose previous permit ended (e.g. granted again after
    a 撤销 was remedied); the certificate then shows it once reissued (换发)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    previous = Permit.objects.filter(application=application, item=item).order_by("-id").first()
    if previous is None:
        raise DomainError("permit_not_found", _("该事项没有可重新许可的证件"), status=404)
    if reviewer.role != User.Role.REVIEWER or reviewer.department_id != previous.department_id:
        raise DomainError("forbidden", _("只能办理本部门、本区的事项"), status=403)
    if not previous.is_ended:
        raise DomainError("permit_not_ended", _("该事项的证件仍然有效，无需重新许可"), status=409)
    number = number.strip()
    missing = {
        k: str(_("此项必填")) for k, v in (("number", number), ("reason", reason)) if not v.strip()
    }
    if missing:
        raise DomainError("required", _("请填写必填项"), fields=missing, status=422)
    if Permit.objects.filter(number=number).exists():
        raise DomainError(
            "permit_number_taken",
            _("证件编号已被使用"),
            fields={"number": str(_("请换一个编号"))},
            status=409,
        )
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(
            "invalid_validity",
            _("有效期截止日期不能早于起始日期"),
            fields={"valid_until": str(_("不能早于起始日期"))},
            status=422,
        )
    permit = Permit.objects.create(
        number=number,
        application=application,
        item=previous.item,
        name=previous.name,
        department=previous.department,
        holder=previous.holder,
        valid_from=valid_from,
        valid_until=valid_until,
        status_list=previous.status_list,
        status_index=status_index_next(previous.status_list),
    )
    PermitEvent.objects.create(
        permit=permit,
        operation=Op.ISSUE,
        to_status=S.VALID,
        reason=reason.strip(),
        actor=reviewer,
        data={"replaces": previous.number},
    )
    event_record(
        actor=reviewer,
        verb="permit_regranted",
        subject=application,
        reason=reason.strip(),
        data={"permit": permit.number, "replaces": previous.number},
    )
    return permit


# -- certificates -------------------------------------------------------------------------------


def certificate_status(certificate: Certificate) -> str:
    """Derived, never stored: see `certificate_status_derive`."""
    return certificate_status_derive(
        replaced=certificate.replaced_by_id is not None,
        permit_statuses=[e.permit.status for e in certificate.entries.all() if e.permit],
    )


def certificate_status_derive(*, replaced: bool, permit_statuses: Iterable[str]) -> str:
    """A certificate version's status from the statuses of the permits it lists as licensed:
    replaced once a newer version exists, void once any of them has ended, valid otherwise."""
    if replaced:
        return Certificate.Status.REPLACED
    if any(status in Permit.ENDED for status in permit_statuses):
        return Certificate.Status.VOID
    return Certificate.Status.VALID


def _require_district_admin(application: Application, admin: User) -> None:
    if admin.role != User.Role.DISTRICT_ADMIN or admin.district_id != application.district_id:
        raise DomainError("forbidden", _("只有本区政务服务管理局可以颁发凭证"), status=403)


def _face(application: Application, entries: list[tuple[Any, Permit | None]]) -> dict[str, Any]:
    form, district = application.form_data, application.district
    items = []
    for item, permit in entries:
        office = department_name(item.department, item.level, district)
        row: dict[str, Any] = {
            "item": item.name,
            "department": office,
            "review_body": review_body_name(item, district),
        }
        if permit is not None:
            row |= {
                "permit": permit.name,
                "number": permit.number,
                "valid_from": permit.valid_from.isoformat(),
                "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
            }
        items.append(row)
    return {
        "holder": form["enterprise_name"],
        "uscc": form["uscc"],
        "legal_representative": form["legal_representative"],
        "premises": form["premises_address"],
        "industry": application.industry.name,
        "district": district.name,
        "issuer": f"北京市{district.name}政务服务管理局",
        "licensed": [row for row in items if "number" in row],
        "unlicensed": [row for row in items if "number" not in row],
    }


def _face_without_version(face: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in face.items() if k not in ("number", "version", "issued_on")}


def face_digest(face: dict[str, Any]) -> str:
    """SHA-256 of the face's canonical JSON: keys sorted, no spaces, UTF-8 (what json.dumps
    writes with these options: the definition, recorded at issue)."""
    canonical = json.dumps(face, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def face_digest_matches(face: dict[str, Any], digest: str) -> bool:
    """Whether the face hashes to `digest` (`face_digest`), checked on every scan.

    orjson writes the canonical JSON of text, integers, null, lists and objects — all a face
    holds — byte for byte as json.dumps does, about ten times faster. Where the two writers
    could differ (floats, integers beyond 64 bits) orjson's bytes match no recorded digest, and
    the answer is json.dumps's: equal bytes are the same JSON value, so a match by either
    writer is a match of the face recorded at issue."""
    try:
        canonical = orjson.dumps(face, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return face_digest(face) == digest
    return hashlib.sha256(canonical).hexdigest() == digest or face_digest(face) == digest


def _entries(application: Application) -> list[tuple[Any, Permit | None]]:
    """Each item of the application with its current valid or suspended permit, if any."""
    permits = {
        p.item_id: p
        for p in Permit.objects.filter(
            application=application, status__in=(S.VALID, S.SUSPENDED)
        ).order_by("id")
    }
    return [
        (ai.item, permits.get(ai.item_id))
        for ai in application.items.select_related("item__department")
    ]


@transaction.atomic
def certificate_request(*, application: Application, applicant: User) -> None:
    """申请先行颁发凭证: the applicant asks for the certificate before every item is decided;
    recorded as an event that puts the application on the district's workbench."""
    # The selectors import this module (certificate_status), so this import waits for the call.
    from onelicense.licences.selectors import REQUESTED, certificate_request_check

    application = Application.objects.select_for_update().get(pk=application.pk)
    certificate_request_check(application)
    event_record(actor=applicant, verb=REQUESTED, subject=application)


@transaction.atomic
def certificate_issue(*, application: Application, admin: User, early: bool = False) -> Certificate:
    """颁发: when every item is decided — or earlier at the applicant's request (`early`), the
    undecided and refused items then listed as 未许可事项."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("district", "enterprise", "industry")
        .get(pk=application.pk)
    )
    _require_district_admin(application, admin)
    if Certificate.objects.filter(application=application, replaced_by=None).exists():
        raise DomainError(
            "certificate_exists", _("该申请已颁发凭证，如证面信息变化请换发"), status=409
        )
    allowed = [Application.Status.COMPLETED] + ([Application.Status.ACCEPTED] if early else [])
    if application.status not in allowed:
        raise DomainError(
            "application_not_completed", _("尚有事项未作出决定，不能颁发凭证"), status=409
        )
    entries = _entries(application)
    if not any(permit for _, permit in entries):
        raise DomainError("nothing_licensed", _("没有准予许可的事项，不能颁发凭证"), status=409)
    certificate = _certificate_create(application, admin, entries, version=1, previous=None)
    pipeline_run("ONELICENSE_ON_CERTIFICATE", certificate=certificate, operation="issue")
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, admin: User, reason: str) -> Certificate:
    """换发: a new version when the face changes (an unlicensed item granted, a permit
    replaced after re-approval, the holder's data changed); the old version is replaced."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    application = certificate.application
    _require_district_admin(application, admin)
    if certificate.replaced_by_id is not None:
        raise DomainError("certificate_replaced", _("该版本已被换发"), status=409)
    if not reason.strip():
        raise DomainError(
            "reason_required",
            _("请说明换发原因"),
            fields={"reason": str(_("此项必填"))},
            status=422,
        )
    entries = _entries(application)
    ended = {
        entry.item_id: entry.item.name
        for entry in certificate.entries.select_related("permit", "item")
        if entry.permit is not None and entry.permit.is_ended
    }
    relicensed = {item.pk for item, permit in entries if permit is not None}
    if set(ended) - relicensed:
        names = "、".join(name for pk, name in ended.items() if pk not in relicensed)
        raise DomainError(
            "certificate_void",
            _("凭证已作废：%(items)s须重新获得许可后方可换发") % {"items": names},
            status=409,
        )
    if _face(application, entries) == _face_without_version(certificate.face):
        raise DomainError("face_unchanged", _("证面信息没有变化，无需换发"), status=409)
    new = _certificate_create(
        application,
        admin,
        entries,
        version=certificate.version + 1,
        previous=certificate,
        reason=reason,
    )
    certificate.replaced_by = new
    certificate.save(update_fields=["replaced_by"])
    # After the link: the later steps see the new version as the one that replaces this one.
    pipeline_run("ONELICENSE_ON_CERTIFICATE", certificate=new, operation="reissue")
    return new


def _certificate_create(
    application: Application,
    admin: User,
    entries: list[tuple[Any, Permit | None]],
    *,
    version: int,
    previous: Certificate | None,
    reason: str = "",
) -> Certificate:
    district = application.district
    assert application.enterprise is not None  # set on submission
    key = district_key(district)
    now = timezone.now()
    number = previous.number if previous else _certificate_number(application, now)
    face = _face(application, entries)
    face |= {"number": number, "version": version, "issued_on": timezone.localdate(now).isoformat()}
    digest = face_digest(face)
    certificate = Certificate(
        number=number,
        version=version,
        identifier=identifier_make(
            type_code=certificate_type_code(),
            issuer=issuer_uscc(district),
            serial=number.removeprefix("ZH"),
            version=version,
        ),
        application=application,
        district=district,
        industry=application.industry,
        holder=application.enterprise,
        face=face,
        face_digest=digest,
        issued_at=now,
        issued_by=admin,
        key_id=key.kid,
        status_list=district.code,
        status_index=status_index_next(district.code),
    )
    token = token_make(
        Claims(
            number,
            version,
            key.kid,
            digest,
            int(now.timestamp()),
            district.code,
            certificate.status_index,
        ),
        signer_for(key),
    )
    certificate.token, certificate.token_mac = token, token_mac(token)
    pdf = pdf_seal(certificate_pdf(certificate, verify_url(token)), key)
    # The row is written once, whole: the PDF is stored first and the row names it.
    certificate.pdf.save(f"{number}-v{version}.pdf", ContentFile(pdf), save=False)
    certificate.save(force_insert=True)
    CertificateEntry.objects.bulk_create(
        CertificateEntry(certificate=certificate, item=item, permit=permit, order=i)
        for i, (item, permit) in enumerate(entries)
    )
    verb = "certificate_reissued" if previous else "certificate_issued"
    event_record(
        actor=admin,
        verb=verb,
        subject=application,
        reason=reason,
        data={"certificate": number, "version": version, "identifier": certificate.identifier},
    )
    return certificate


def certificate_pdf_ensure(*, certificate: Certificate) -> Certificate:
    """The certificate with its sealed PDF, made now if it was never made: certificates written
    in bulk (the generated history, an import) carry their face and QR token but no file. The
    PDF is drawn from them as at issue and sealed with the district's current key; two
    downloads at once make it once (the row is locked)."""
    if certificate.pdf:
        return certificate
    if not certificate.token:
        raise DomainError(
            "certificate_pdf_unavailable", _("该凭证没有二维码令牌，无法生成 PDF"), status=404
        )
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update()
            .select_related("district")
            .get(pk=certificate.pk)
        )
        if not locked.pdf:
            key = district_key(locked.district)
            pdf = pdf_seal(certificate_pdf(locked, verify_url(locked.token)), key)
            locked.pdf.save(f"{locked.number}-v{locked.version}.pdf", ContentFile(pdf), save=False)
            locked.save(update_fields=["pdf"])
    return locked


def _certificate_number(application: Application, now: datetime.datetime) -> str:
    district = application.district
    year = timezone.localdate(now).year
    serial = serial_next(f"certificate:{district.code}:{year}")
    return f"ZH{district.code}{year}{serial:06d}"


def verify_url(token: str) -> str:
    return f"{settings.ONELICENSE_PUBLIC_URL.rstrip('/')}/v/{token}"


def permit_validity_end(start: datetime.date, months: int | None) -> datetime.date | None:
    return months_later(start, months) if months else None
