"""Permits and certificates of the generated history, as licences' services would write them.

A permit takes the next index of its department's status list when its case is approved. A
certificate is issued when the application completes: its number from the district's counter
of the issue year, its identifier with the GB/T 36904 check character, its face in
`licences.services._face`'s shape with `face_digest` its SHA-256, the next index of the
district's list, and (for all or a sample) a QR token signed with the district's key, and
its MAC. A few are later reissued (换发: the legal representative changed; version 2, version 1
replaced), a few voided (作废 and 收回: a permit 吊销 by supervision, or 撤销 after a commitment
check).
"""

import datetime
import hashlib
import json
import random
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from onelicense.applications.samples import GIVEN, SURNAMES
from onelicense.approvals.clock import months_later
from onelicense.benchmarks import bulk
from onelicense.licences.identifiers import ROOT, certificate_type_code, identifier_make
from onelicense.licences.models import Permit
from onelicense.licences.tokens import Claims, token_mac, token_make

if TYPE_CHECKING:
    from onelicense.history.rows import Case, Holder, Ids
    from onelicense.history.world import Offering, Place, World

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
Row = tuple[Any, ...]

P_REISSUE = 0.02
P_VOID = 0.01  # a permit 吊销 after an inspection
P_SUSPENDED = 0.005  # a permit 暂扣; the certificate stays valid and says so


@dataclass
class Licensed:
    """A permit (单项审批证件) of an approved case."""

    id: int
    case_id: int
    number: str
    item_id: int
    name: str
    office_id: int
    valid_from: datetime.date
    valid_until: datetime.date | None
    status_list: str
    status_index: int
    status: str = Permit.Status.VALID.value
    ended_at: datetime.datetime | None = None  # when a 撤销 or 吊销 ended it

    def row(self, app_id: int, holder_id: int, now: datetime.datetime) -> Row:
        return (
            self.id,
            self.number,
            self.case_id,
            app_id,
            self.item_id,
            self.name,
            self.office_id,
            holder_id,
            self.valid_from,
            self.valid_until,
            self.status,
            self.status_list,
            self.status_index,
            "{}",
            self.ended_at or now,
        )


@dataclass
class Issue:
    """A certificate to write, with what later happened to it."""

    app_id: int
    offering: "Offering"
    place: "Place"
    holder: "Holder"
    cases: list["Case"]
    issued_at: datetime.datetime
    reissued_at: datetime.datetime | None = None
    first_person: str = ""
    voided_at: datetime.datetime | None = None
    void_reason: str = ""


@dataclass
class CertificateMaker:
    world: "World"
    ids: "Ids"
    sign_every: int
    status_last: dict[str, int]  # status list code → its last index given out
    serial_last: dict[tuple[str, int], int]  # (district code, year) → last certificate serial
    issued: int = 0
    signed: int = 0
    type_code: str = field(default_factory=certificate_type_code)

    def _index(self, code: str) -> int:
        self.status_last[code] += 1
        return self.status_last[code]

    def permit(
        self,
        case: "Case",
        app_id: int,
        number: str,
        holder_id: int,
        place: "Place",
        rng: random.Random,
    ) -> Licensed:
        assert case.decided_at is not None
        start = case.decided_at.astimezone(BEIJING).date()
        item = case.item
        code = case.status_list
        permit = Licensed(
            id=self.ids.take("permit"),
            case_id=case.id,
            number=f"{number}-{case.order + 1:02d}",
            item_id=item.id,
            name=item.permit_name,
            office_id=case.office_id,
            valid_from=start,
            valid_until=months_later(start, item.months) if item.months else None,
            status_list=code,
            status_index=self._index(code),
        )
        if rng.random() < P_SUSPENDED:
            permit.status = Permit.Status.SUSPENDED.value
        return permit

    def plan(self, issue: Issue, rng: random.Random, now: datetime.datetime) -> Issue:
        """Decide what happens to the certificate after its issue: reissued, voided, or neither."""
        draw = rng.random()
        later = issue.issued_at + datetime.timedelta(
            days=rng.randint(10, 200), hours=rng.randint(0, 6)
        )
        if later > now:
            return issue
        if draw < P_REISSUE:
            issue.reissued_at = later
            issue.first_person = issue.holder.person
            person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            issue.holder.current_person = person
        elif draw < P_REISSUE + P_VOID:
            permits = [c.permit for c in issue.cases if c.permit is not None]
            permit = rng.choice(permits)
            permit.status, permit.ended_at = Permit.Status.REVOKED.value, later
            issue.voided_at, issue.void_reason = later, f"{permit.name}已吊销"
        return issue

    def revoke(
        self,
        issue: Issue | None,
        permit: Licensed,
        checked: datetime.datetime,
        now: datetime.datetime,
    ) -> bool:
        """撤销 after a commitment check: the permit ends, the certificate listing it is void.
        Only on a certificate nothing else has happened to, and after its issue."""
        if permit.status != Permit.Status.VALID:
            return False
        if issue is not None:
            if issue.reissued_at or issue.voided_at:
                return False
            checked = max(checked, issue.issued_at + datetime.timedelta(days=1))
            if checked > now:
                return False
            issue.voided_at, issue.void_reason = checked, f"{permit.name}已撤销"
        permit.status, permit.ended_at = Permit.Status.ANNULLED.value, checked
        return True

    def write(self, issue: Issue, add: Any) -> None:
        """The certificate's rows (and its second version's, if reissued) and their entries."""
        place = issue.place
        code = place.district.code
        year = issue.issued_at.astimezone(BEIJING).year
        key = (code, year)
        self.serial_last[key] = self.serial_last.get(key, 0) + 1
        number = f"ZH{code}{year}{self.serial_last[key]:06d}"
        first = self.ids.take("certificate")
        if issue.reissued_at is None:
            add("certificate", self._row(issue, first, number, 1, issue.issued_at, None))
            self._entries(issue, first, add)
            return
        second = self.ids.take("certificate")
        person = issue.holder.current_person
        issue.holder.current_person = issue.first_person
        add("certificate", self._row(issue, first, number, 1, issue.issued_at, second))
        issue.holder.current_person = person
        add("certificate", self._row(issue, second, number, 2, issue.reissued_at, None))
        self._entries(issue, first, add)
        self._entries(issue, second, add)

    def _identifier(self, place: "Place", number: str, version: int) -> str:
        """identifier_make's, from a check state kept after the constant type and issuer (the
        library call costs more than the rest of the row); checked against it now and then."""
        if place.identifier_state < 0:
            place.identifier_state = bulk._mod37_36(f"{self.type_code}{place.issuer}")
        tail = f"{number.removeprefix('ZH')}.{version:03d}"
        check = bulk._mod37_36_char(bulk._mod37_36(tail.replace(".", ""), place.identifier_state))
        identifier = f"{ROOT}.{self.type_code}.{place.issuer}.{tail}.{check}"
        if self.issued % bulk.CHECK_EVERY == 0:
            expected = identifier_make(
                type_code=self.type_code,
                issuer=place.issuer,
                serial=number.removeprefix("ZH"),
                version=version,
            )
            if identifier != expected:
                raise RuntimeError(f"history: identifier {identifier} is not {expected}")
        return identifier

    def _entries(self, issue: Issue, certificate: int, add: Any) -> None:
        for case in sorted(issue.cases, key=lambda c: c.order):
            permit = case.permit.id if case.permit is not None else None
            add("entry", (self.ids.take("entry"), certificate, case.item.id, permit, case.order))

    def _row(
        self,
        issue: Issue,
        pk: int,
        number: str,
        version: int,
        issued_at: datetime.datetime,
        replaced_by: int | None,
    ) -> Row:
        place, holder = issue.place, issue.holder
        district = place.district
        licensed, unlicensed = [], []
        for case in sorted(issue.cases, key=lambda c: c.order):
            base = self.world.face_row(case.item, district)
            permit = case.permit
            if permit is None:
                unlicensed.append(base)
                continue
            row: dict[str, str | None] = {
                **base,
                "permit": permit.name,
                "number": permit.number,
                "valid_from": permit.valid_from.isoformat(),
                "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
            }
            licensed.append(row)
        face = {
            "holder": holder.name,
            "uscc": holder.uscc,
            "legal_representative": holder.current_person,
            "premises": holder.premises,
            "industry": issue.offering.industry.name,
            "district": district.name,
            "issuer": f"北京市{district.name}政务服务管理局",
            "licensed": licensed,
            "unlicensed": unlicensed,
            "number": number,
            "version": version,
            "issued_on": issued_at.astimezone(BEIJING).date().isoformat(),
        }
        text = json.dumps(face, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()
        index = self._index(district.code)
        token = mac = ""
        if self.issued % self.sign_every == 0:
            claims = Claims(
                number, version, place.kid, digest, int(issued_at.timestamp()), district.code, index
            )
            token = token_make(claims, place.signer)
            mac = token_mac(token)
            self.signed += 1
        self.issued += 1
        current = replaced_by is None
        return (
            pk,
            number,
            version,
            self._identifier(place, number, version),
            issue.app_id,
            place.district_id,
            issue.offering.industry_id,
            holder.id,
            text,
            digest,
            issued_at,
            place.admin_id,
            place.kid,
            token,
            mac,
            "",
            replaced_by,
            issue.voided_at if current else None,
            issue.void_reason if current else "",
            issue.voided_at if current else None,
            district.code,
            index,
        )
