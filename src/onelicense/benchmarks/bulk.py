"""Bulk data for the serving benchmarks: N 综合许可凭证 with 4N 单项证件, made fast.

Every certificate is a 餐饮店's in one of the 17 districts (round robin), issued on a working
day of the batch's year, listing four permits — 食品经营许可证, 消防安全检查合格证, 烟草专卖零售
许可证, the 牌匾标识 filing — with its enterprise (市场主体) and a completed application
(minimal: number, dates, the four form fields the face repeats). The rows are what the services
would have written: the face has the shape `licences.services._face` gives it and
`face_digest` is its SHA-256 (the live check recomputes it), the identifier's GB/T 36904 check
character is right, the status-list indexes come from each district's counter (one for the
certificate, the next four for its permits) and the counters are moved past them. About 1% of
the permits are suspended (暂扣: the certificate stays valid and the page says so). Left out:
permit events, item cases, application items, PDFs — nothing the verification path reads.

Tokens are signed (with each district's active key) for a sample of certificates only, and
stored in their `token` column with their MAC (`token_mac`, as issue stores it), for the load
test to pick from; a later run needs no private key. PostgreSQL: COPY from Python rows through
psycopg 3, foreign-key triggers off for the load (`session_replication_role = replica`; the
rows are consistent by construction), then VACUUM ANALYZE. Other databases (SQLite): batched
INSERTs, for a small N only.

A marker row (SerialCounter ``bench:bulk:<n>``, `last` = the batch's first certificate id)
makes a second run reuse the batch. Each new batch takes an earlier year (2024, 2023, …), so
its numbers never meet another batch's.
"""

import datetime
import hashlib
import json
import re
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.utils import DatabaseError
from psycopg.copy import QueuedLibpqWriter
from stdnum.cn import uscc as stdnum_uscc

from onelicense.accounts.models import Department, District, User
from onelicense.applications.models import Application, Enterprise
from onelicense.applications.samples import GIVEN, STREETS, SURNAMES, TRADE
from onelicense.approvals.clock import months_later
from onelicense.catalogue.models import ApprovalItem, Industry
from onelicense.catalogue.selectors import department_name, review_body_name, version_current
from onelicense.licences.identifiers import (
    ROOT,
    certificate_type_code,
    identifier_make,
    identifier_valid,
    issuer_uscc,
)
from onelicense.licences.keys import Signer, district_key, key_rotate, signer_for
from onelicense.licences.models import (
    Certificate,
    CertificateEntry,
    Permit,
    SerialCounter,
    SigningKey,
)
from onelicense.licences.services import face_digest
from onelicense.licences.tokens import Claims, token_mac, token_make

MARKER = "bench:bulk:"
INDUSTRY = "restaurant"
ITEMS = (
    "food_business_licence",
    "fire_safety_check",
    "tobacco_retail_licence",
    "outdoor_sign_filing",
)
PER_CERTIFICATE = len(ITEMS)
FIRST_YEAR = 2024
DAYS = 350  # issued within the first 357 days, so every number carries the batch's year
SUSPENDED_EVERY = 97  # about 1% of the permits are suspended
SQLITE_MAX = 20_000
INDEX_REBUILD_FROM = 50_000  # smaller batches go into the indexes as they are
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
ANSWERS = json.dumps(
    {"area": 200, "chain": False, "investment": 50, "alcohol": True, "tobacco": True},
    separators=(",", ":"),
)
TRADES = ("餐饮管理", "餐饮", "美食", "小吃", "火锅", "饮食文化", "餐饮服务", "面馆")


@dataclass(frozen=True)
class Batch:
    """A generated batch: `n` certificates with ids from `first_id`."""

    n: int
    first_id: int
    generated: bool  # False when an earlier run's batch was reused
    seconds: float

    def token_sample(self, limit: int) -> list[tuple[str, str]]:
        """(certificate number, token) of the certificates given a token, up to `limit`."""
        rows = (
            Certificate.objects.filter(id__gte=self.first_id, id__lt=self.first_id + self.n)
            .exclude(token="")
            .order_by("id")
            .values_list("number", "token")[:limit]
        )
        return list(rows)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def batch_size(requested: int, *, explicit: bool) -> tuple[int, str]:
    """The number of certificates to generate, and a note when it is not what was asked."""
    if is_postgres():
        return (requested if explicit else 1_000_000), ""
    size = min(requested if explicit else SQLITE_MAX, SQLITE_MAX)
    return size, (
        f"（{connection.vendor} 上只生成少量数据：{size:,} 张凭证；"
        "百万级数据请设置 DATABASE_URL 使用 PostgreSQL）"
    )


def batch_ensure(n: int, *, out: TextIO, sample: int = 20_000) -> Batch:
    """The batch of `n` certificates: reused when a marker says it exists, else generated."""
    marker = SerialCounter.objects.filter(code=f"{MARKER}{n}").first()
    if marker is not None:
        out.write(f"沿用已生成的数据：{n:,} 张凭证、{PER_CERTIFICATE * n:,} 个单项证件\n")
        return Batch(n, marker.last, generated=False, seconds=0.0)
    out.write(
        f"生成数据：{n:,} 张凭证、{PER_CERTIFICATE * n:,} 个单项证件、{n:,} 个市场主体与申请"
        f"（{connection.vendor}）……\n"
    )
    out.flush()
    start = time.perf_counter()
    first_id = _generate(n, sample, out)
    if is_postgres():
        step = time.perf_counter()
        _vacuum()
        out.write(f"  VACUUM ANALYZE：{time.perf_counter() - step:.1f} s\n")
    seconds = time.perf_counter() - start
    out.write(f"  数据生成共用 {seconds:.1f} s\n")
    return Batch(n, first_id, generated=True, seconds=seconds)


# -- the plan of a batch --------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """One item of the certificate in one district: what its permit and face row say."""

    item_id: int
    department_id: int
    months: int | None
    face: dict[str, str]  # item, department, review_body, permit (the face row's constants)
    _ends: dict[datetime.date, datetime.date | None] = field(default_factory=dict, compare=False)
    _texts: dict[str, str | None] = field(default_factory=dict, compare=False)

    def valid_until_date(self, start: datetime.date) -> datetime.date | None:
        """The permit's last valid day when it runs from `start` (None: no end)."""
        if start not in self._ends:
            self._ends[start] = months_later(start, self.months) if self.months else None
        return self._ends[start]

    def valid_until(self, start: str) -> str | None:
        """The same, ISO dates in and out."""
        if start not in self._texts:
            end = self.valid_until_date(datetime.date.fromisoformat(start))
            self._texts[start] = end.isoformat() if end else None
        return self._texts[start]


@dataclass(frozen=True)
class _Place:
    """One district's share of the batch, and what every row of it has in common."""

    district: District
    district_id: int
    code: str  # the district's code
    admin_id: int  # the bench's district admin: who issued, who accepted
    kid: str
    issuer: str
    slots: tuple[_Slot, ...]
    count: int  # certificates of the batch in this district
    status_base: int  # the status list's last index before the batch
    serial_base: int  # the certificate numbers' last serial before the batch
    uscc_prefix: str  # 91 + district code + MA + batch digit; six digits follow
    uscc_sum: int  # the prefix's weighted sum
    identifier_prefix: str  # 1.2.156.3005.2.<type>.<issuer>.
    identifier_state: int  # MOD 37,36 after type + issuer + district code + year
    face: "_Template"


# The check characters, computed from a state kept after each place's constant prefix: the
# library functions cost ~15 µs a call, a third of a certificate's whole row. Checked against
# them on the first row of every place and then every CHECK_EVERY rows.
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CHECK_EVERY = 1009


def _mod37_36(text: str, state: int = 18) -> int:
    """ISO 7064 MOD 37,36 (as stdnum computes it): the running state after `text`."""
    for ch in text:
        state = (((state or 36) * 2) % 37 + _ALNUM.index(ch)) % 36
    return state


def _mod37_36_char(state: int) -> str:
    return _ALNUM[(1 - ((state or 36) * 2) % 37) % 36]


def _uscc_sum(text: str) -> int:
    return sum(_USCC_ALPHABET.index(ch) * w for ch, w in zip(text, _USCC_WEIGHTS, strict=False))


# The weighted sums of the last six digits, three at a time.
_USCC_HIGH = [
    sum(int(c) * w for c, w in zip(f"{n:03d}", _USCC_WEIGHTS[11:14], strict=True))
    for n in range(1000)
]
_USCC_LOW = [
    sum(int(c) * w for c, w in zip(f"{n:03d}", _USCC_WEIGHTS[14:17], strict=True))
    for n in range(1000)
]


def _uscc(place: "_Place", j: int) -> str:
    total = place.uscc_sum + _USCC_HIGH[j // 1000 % 1000] + _USCC_LOW[j % 1000]
    return f"{place.uscc_prefix}{j:06d}{_USCC_ALPHABET[(31 - total) % 31]}"


class _Template:
    """A face's canonical JSON (sorted keys, no spaces, UTF-8) with holes for the values that
    change from row to row: `json.dumps` of the whole face costs ~30 µs, filling this ~4."""

    HOLE = re.compile('"\ue000(\\d+)\ue001"')

    def __init__(self, face: dict[str, Any]) -> None:
        text = json.dumps(face, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        pieces = self.HOLE.split(text)
        self.parts = pieces[0::2]
        self.holes = [int(n) for n in pieces[1::2]]

    @staticmethod
    def hole(n: int) -> str:
        return f"\ue000{n}\ue001"

    def fill(self, values: Sequence[str | None]) -> str:
        """The JSON with each hole's value: strings the generator made (no quote, backslash
        or control character in them) or None."""
        out = [self.parts[0]]
        for hole, part in zip(self.holes, self.parts[1:], strict=True):
            value = values[hole]
            out.append("null" if value is None else f'"{value}"')
            out.append(part)
        return "".join(out)


# The face's holes: the enterprise's four fields, the number, the issue day, then for each
# permit its number, first and last valid day.
_HOLDER, _USCC, _PERSON, _PREMISES, _NUMBER, _ISSUED_ON, _PERMITS = range(7)


def _face_template(district: District, industry: Industry, slots: list[_Slot]) -> _Template:
    hole = _Template.hole
    licensed = [
        slot.face
        | {
            "number": hole(_PERMITS + 3 * k),
            "valid_from": hole(_PERMITS + 3 * k + 1),
            "valid_until": hole(_PERMITS + 3 * k + 2),
        }
        for k, slot in enumerate(slots)
    ]
    # The shape of licences.services._face, with the number, version and issue day added.
    return _Template(
        {
            "holder": hole(_HOLDER),
            "uscc": hole(_USCC),
            "legal_representative": hole(_PERSON),
            "premises": hole(_PREMISES),
            "industry": industry.name,
            "district": district.name,
            "issuer": f"北京市{district.name}政务服务管理局",
            "licensed": licensed,
            "unlicensed": [],
            "number": hole(_NUMBER),
            "version": 1,
            "issued_on": hole(_ISSUED_ON),
        }
    )


class _Plan:
    """Everything a row needs, computed from its position `i` alone (no random state), so
    that each table's pass agrees with the others."""

    def __init__(self, n: int, year: int, batch: int, ids: dict[str, int]) -> None:
        self.n, self.year, self.batch, self.ids = n, year, batch, ids
        self.industry = Industry.objects.get(version=version_current(), code=INDUSTRY)
        self.applicant = _bench_user("bench_bulk_applicant", None)
        self.now = datetime.datetime.now(datetime.UTC)
        self.places = _places(self)
        self._days: dict[datetime.date, tuple[str, str]] = {}

    def place(self, i: int) -> tuple[_Place, int]:
        """The district of certificate `i`, and `j`, its position among that district's."""
        return self.places[i % len(self.places)], i // len(self.places)

    def day(self, place: _Place, j: int) -> tuple[datetime.date, int]:
        """The application's submission day and its serial that day (days fill in order)."""
        index = j * DAYS // place.count
        first = -(-index * place.count // DAYS)
        return datetime.date(self.year, 1, 2) + datetime.timedelta(days=index), j - first + 1

    def issued_at(self, i: int, day: datetime.date) -> datetime.datetime:
        seconds = 9 * 3600 + (i * 7919) % (8 * 3600)
        local = datetime.datetime.combine(day + datetime.timedelta(days=7), datetime.time())
        return (local + datetime.timedelta(seconds=seconds)).replace(tzinfo=BEIJING)

    def enterprise(self, i: int, place: _Place, j: int) -> tuple[str, str, str, str]:
        """(name, USCC, legal representative, premises), varied by position."""
        h = (i * 2_654_435_761) & 0xFFFFFFFF
        name = f"北京{TRADE[h % len(TRADE)]}{TRADES[(h >> 8) % len(TRADES)]}有限公司"
        if j % 3:
            name += f"第{j % 900 + 1}分店"
        person = SURNAMES[h % len(SURNAMES)] + GIVEN[(h >> 5) % len(GIVEN)]
        if h & 0x400:
            person += GIVEN[(h >> 11) % len(GIVEN)]
        street = STREETS[(h >> 13) % len(STREETS)]
        premises = f"北京市{place.district.name}{street}{(h >> 17) % 300 + 1}号"
        return name, _uscc(place, j), person, premises

    def day_text(self, day: datetime.date) -> tuple[str, str]:
        """The day as 20240102 and as 2024-01-02 (formatting a date costs more than a row)."""
        texts = self._days.get(day)
        if texts is None:
            texts = self._days[day] = (f"{day:%Y%m%d}", day.isoformat())
        return texts

    def application_number(self, place: _Place, day: datetime.date, serial: int) -> str:
        return f"{place.code}{self.day_text(day)[0]}{serial:04d}"

    def identifier(self, place: _Place, serial: int) -> str:
        tail = f"{serial:06d}"
        check = _mod37_36_char(_mod37_36(tail + "001", place.identifier_state))
        return f"{place.identifier_prefix}{place.district.code}{self.year}{tail}.001.{check}"


def _bench_user(username: str, district: District | None) -> User:
    role = User.Role.DISTRICT_ADMIN if district else User.Role.APPLICANT
    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": role, "district": district}
    )
    return user


def _places(plan: _Plan) -> list[_Place]:
    districts = list(District.objects.order_by("order", "code"))
    items = {i.code: i for i in ApprovalItem.objects.filter(version=plan.industry.version)}
    missing = [code for code in ITEMS if code not in items]
    if missing:
        raise ValueError(f"现行目录中没有这些事项：{'、'.join(missing)}")
    type_code = certificate_type_code()
    places = []
    for d, district in enumerate(districts):
        slots = []
        for code in ITEMS:
            item = items[code]
            kind = item.department
            city = item.level == ApprovalItem.Level.CITY or not kind.district_level
            office = Department.objects.get(kind=kind, district=None if city else district)
            slots.append(
                _Slot(
                    item_id=item.pk,
                    department_id=office.pk,
                    months=item.permit_validity_months,
                    face={
                        "item": item.name,
                        "department": department_name(kind, item.level, district),
                        "review_body": review_body_name(item, district),
                        "permit": item.permit_name or item.name,
                    },
                )
            )
        issuer = issuer_uscc(district)
        places.append(
            _Place(
                district=district,
                district_id=district.pk,
                code=district.code,
                admin_id=_bench_user(f"bench_bulk_{district.code}", district).pk,
                kid=_signing_kid(district),
                issuer=f"北京市{district.name}政务服务管理局",
                slots=tuple(slots),
                count=-(-(plan.n - d) // len(districts)),
                status_base=_counter(f"status:{district.code}").last,
                serial_base=_counter(f"certificate:{district.code}:{plan.year}").last,
                uscc_prefix=f"91{district.code}MA{plan.batch}",
                uscc_sum=_uscc_sum(f"91{district.code}MA{plan.batch}"),
                identifier_prefix=f"{ROOT}.{type_code}.{issuer}.",
                identifier_state=_mod37_36(f"{type_code}{issuer}{district.code}{plan.year}"),
                face=_face_template(district, plan.industry, slots),
            )
        )
    return places


def _check_row(plan: _Plan, place: _Place, j: int, identifier: str, face: str, digest: str) -> None:
    """The fast paths against the library functions and json.dumps, on a sample of rows."""
    number = f"ZH{place.district.code}{plan.year}{place.serial_base + j + 1:06d}"
    expected = identifier_make(
        type_code=certificate_type_code(),
        issuer=issuer_uscc(place.district),
        serial=number.removeprefix("ZH"),
        version=1,
    )
    parsed = json.loads(face)
    body = parsed["uscc"][:-1]
    if (
        identifier != expected
        or not identifier_valid(identifier)
        or face_digest(parsed) != digest
        or parsed["uscc"] != body + str(stdnum_uscc.calc_check_digit(body))
    ):
        raise RuntimeError(f"bench bulk: row {number} differs from what the services would write")


# -- the tables -----------------------------------------------------------------------------

# Each table's columns in the order its rows give them, with how a non-PostgreSQL database
# takes a value of each: "dt" datetime, "date", "uuid"; anything else as it is.
_ENTERPRISE = (
    Enterprise,
    ("id", "uscc", "name", "legal_representative", "updated_at"),
    (None, None, None, None, "dt"),
)
_APPLICATION = (
    Application,
    (
        "id",
        "code",
        "number",
        "industry_id",
        "district_id",
        "channel",
        "status",
        "applicant_id",
        "filed_by_id",
        "created_by_id",
        "consent",
        "client_key",
        "routes",
        "answers",
        "form_data",
        "enterprise_id",
        "created_at",
        "updated_at",
        "submitted_at",
        "decided_at",
        "decided_by_id",
        "promised_date",
        "promised_date_certain",
        "completed_at",
        "refusal_reason",
        "refusal_basis",
    ),
    (None, "uuid", *[None] * 14, "dt", "dt", "dt", "dt", None, "date", None, "dt", None, None),
)
_CERTIFICATE = (
    Certificate,
    (
        "id",
        "number",
        "version",
        "identifier",
        "application_id",
        "district_id",
        "industry_id",
        "holder_id",
        "face",
        "face_digest",
        "issued_at",
        "issued_by_id",
        "key_id",
        "token",
        "token_mac",
        "pdf",
        "replaced_by_id",
        "voided_at",
        "void_reason",
        "recovered_at",
        "status_list",
        "status_index",
    ),
    (*[None] * 10, "dt", *[None] * 11),
)
_PERMIT = (
    Permit,
    (
        "id",
        "number",
        "case_id",
        "application_id",
        "item_id",
        "name",
        "department_id",
        "holder_id",
        "valid_from",
        "valid_until",
        "status",
        "status_list",
        "status_index",
        "details",
        "updated_at",
    ),
    (*[None] * 8, "date", "date", None, None, None, None, "dt"),
)
_ENTRY = (
    CertificateEntry,
    ("id", "certificate_id", "item_id", "permit_id", "order"),
    (None,) * 5,
)
Table = tuple[type[models.Model], tuple[str, ...], tuple[str | None, ...]]
TABLES: tuple[Table, ...] = (_ENTERPRISE, _APPLICATION, _CERTIFICATE, _PERMIT, _ENTRY)


def _check_columns(tables: Sequence[Table] = TABLES) -> None:
    """Fail loudly when a model gained or lost a column since this was written."""
    for model, columns, kinds in tables:
        actual = {f.column for f in model._meta.concrete_fields}
        if set(columns) != actual or len(columns) != len(kinds):
            missing, extra = actual - set(columns), set(columns) - actual
            raise RuntimeError(
                f"bench bulk: {model._meta.db_table} columns changed "
                f"(missing {sorted(missing)}, unknown {sorted(extra)})"
            )


def _enterprises(plan: _Plan) -> Iterator[tuple[Any, ...]]:
    base = plan.ids["enterprise"]
    for i in range(plan.n):
        place, j = plan.place(i)
        name, code, person, _ = plan.enterprise(i, place, j)
        yield (base + i, code, name, person, plan.now)


def _applications(plan: _Plan) -> Iterator[tuple[Any, ...]]:
    base, ent = plan.ids["application"], plan.ids["enterprise"]
    online, completed = Application.Channel.ONLINE.value, Application.Status.COMPLETED.value
    industry, applicant = plan.industry.pk, plan.applicant.pk
    for i in range(plan.n):
        place, j = plan.place(i)
        day, serial = plan.day(place, j)
        name, code, person, premises = plan.enterprise(i, place, j)
        form = (
            f'{{"enterprise_name":"{name}","uscc":"{code}",'
            f'"legal_representative":"{person}","premises_address":"{premises}"}}'
        )
        submitted = datetime.datetime.combine(day, datetime.time(10), tzinfo=BEIJING)
        done = plan.issued_at(i, day) - datetime.timedelta(hours=1)
        yield (
            base + i,
            uuid.uuid4(),
            plan.application_number(place, day, serial),
            industry,
            place.district_id,
            online,
            completed,
            applicant,
            None,
            applicant,
            "",
            None,
            "{}",
            ANSWERS,
            form,
            ent + i,
            submitted - datetime.timedelta(days=1),
            done,
            submitted,
            submitted + datetime.timedelta(hours=3),
            place.admin_id,
            day + datetime.timedelta(days=20),
            True,
            done,
            "",
            "",
        )


def _permit_status(row: int) -> str:
    """Every SUSPENDED_EVERY-th permit (counting all of the batch's) is suspended."""
    suspended = row % SUSPENDED_EVERY == SUSPENDED_EVERY - 1
    return (Permit.Status.SUSPENDED if suspended else Permit.Status.VALID).value


def _certificates(plan: _Plan, signers: dict[int, Signer], every: int) -> Iterator[tuple[Any, ...]]:
    base, app, ent = plan.ids["certificate"], plan.ids["application"], plan.ids["enterprise"]
    industry = plan.industry.pk
    for i in range(plan.n):
        place, j = plan.place(i)
        day, serial = plan.day(place, j)
        issued = plan.issued_at(i, day)
        start = plan.day_text(issued.date())[1]
        application = plan.application_number(place, day, serial)
        name, code, person, premises = plan.enterprise(i, place, j)
        number = f"ZH{place.code}{plan.year}{place.serial_base + j + 1:06d}"
        values: list[str | None] = [name, code, person, premises, number, start]
        for k, slot in enumerate(place.slots):
            values += [f"{application}-0{k + 1}", start, slot.valid_until(start)]
        face = place.face.fill(values)
        digest = hashlib.sha256(face.encode()).hexdigest()
        identifier = plan.identifier(place, place.serial_base + j + 1)
        if j % CHECK_EVERY == 0:
            _check_row(plan, place, j, identifier, face, digest)
        index = place.status_base + (PER_CERTIFICATE + 1) * j + 1
        token = mac = ""
        if i % every == 0:
            claims = Claims(
                number, 1, place.kid, digest, int(issued.timestamp()), place.code, index
            )
            token = token_make(claims, signers[place.district_id])
            mac = token_mac(token)
        yield (
            base + i,
            number,
            1,
            identifier,
            app + i,
            place.district_id,
            industry,
            ent + i,
            face,
            digest,
            issued,
            place.admin_id,
            place.kid,
            token,
            mac,
            "",
            None,
            None,
            "",
            None,
            place.code,
            index,
        )


def _permits(plan: _Plan) -> Iterator[tuple[Any, ...]]:
    base, app, ent = plan.ids["permit"], plan.ids["application"], plan.ids["enterprise"]
    statuses = [_permit_status(r) for r in range(SUSPENDED_EVERY)]
    for i in range(plan.n):
        place, j = plan.place(i)
        day, serial = plan.day(place, j)
        start = plan.issued_at(i, day).date()
        application = plan.application_number(place, day, serial)
        first = place.status_base + (PER_CERTIFICATE + 1) * j + 2
        for k, slot in enumerate(place.slots):
            row = PER_CERTIFICATE * i + k
            yield (
                base + row,
                f"{application}-0{k + 1}",
                None,
                app + i,
                slot.item_id,
                slot.face["permit"],
                slot.department_id,
                ent + i,
                start,
                slot.valid_until_date(start),
                statuses[row % SUSPENDED_EVERY],
                place.code,
                first + k,
                "{}",
                plan.now,
            )


def _entries(plan: _Plan) -> Iterator[tuple[Any, ...]]:
    base, cert, permit = plan.ids["entry"], plan.ids["certificate"], plan.ids["permit"]
    for i in range(plan.n):
        place, _ = plan.place(i)
        for k, slot in enumerate(place.slots):
            row = PER_CERTIFICATE * i + k
            yield (base + row, cert + i, slot.item_id, permit + row, k)


# -- writing --------------------------------------------------------------------------------


def _write(table: Table, rows: Iterator[tuple[Any, ...]]) -> int:
    model, columns, kinds = table
    name = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if is_postgres():
            # The queued writer sends from a thread: the rows are made while the server takes
            # the previous ones, on the other core.
            writer = QueuedLibpqWriter(cursor.cursor)
            with cursor.copy(f"COPY {name} ({names}) FROM STDIN", writer=writer) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        adapt = _adapters(kinds)
        sql = f"INSERT INTO {name} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append([f(v) if f else v for f, v in zip(adapt, row, strict=True)])
            if len(batch) == 2000:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _adapters(kinds: tuple[str | None, ...]) -> list[Callable[[Any], Any] | None]:
    ops = connection.ops
    by_kind: dict[str | None, Callable[[Any], Any] | None] = {
        None: None,
        "dt": ops.adapt_datetimefield_value,
        "date": ops.adapt_datefield_value,
        "uuid": lambda value: value.hex,
    }
    return [by_kind[kind] for kind in kinds]


def _next_id(model: type[models.Model]) -> int:
    top = model._default_manager.aggregate(top=models.Max("id"))["top"]
    return int(top or 0) + 1


def _counter(code: str) -> SerialCounter:
    SerialCounter.objects.get_or_create(code=code)
    return SerialCounter.objects.select_for_update().get(code=code)


def _signing_kid(district: District) -> str:
    """The district's active key, usable here: a key whose private half is not in this data
    folder's key store (made by a run with another ONELICENSE_DATA_DIR) is rotated."""
    key = district_key(district)
    try:
        signer_for(key)
    except FileNotFoundError:
        key = key_rotate(district=district)
    return key.kid


def _generate(n: int, sample: int, out: TextIO) -> int:
    _check_columns()
    batch = SerialCounter.objects.filter(code__startswith=MARKER).count()
    if batch > 9:
        raise ValueError("已有 10 批基准数据：请换一个新的数据库")
    year = FIRST_YEAR - batch
    with transaction.atomic():
        indexes: list[tuple[str, str]] = []
        if is_postgres():
            _fast_load_session()
            if n >= INDEX_REBUILD_FROM:
                indexes = _secondary_indexes_drop()
        ids = {
            "enterprise": _next_id(Enterprise),
            "application": _next_id(Application),
            "certificate": _next_id(Certificate),
            "permit": _next_id(Permit),
            "entry": _next_id(CertificateEntry),
        }
        plan = _Plan(n, year, batch, ids)
        signers = {
            p.district_id: signer_for(SigningKey.objects.get(kid=p.kid)) for p in plan.places
        }
        every = max(1, n // max(1, sample))
        passes: list[tuple[Table, Iterator[tuple[Any, ...]]]] = [
            (_ENTERPRISE, _enterprises(plan)),
            (_APPLICATION, _applications(plan)),
            (_CERTIFICATE, _certificates(plan, signers, every)),
            (_PERMIT, _permits(plan)),
            (_ENTRY, _entries(plan)),
        ]
        for table, rows in passes:
            step = time.perf_counter()
            count = _write(table, rows)
            seconds = time.perf_counter() - step
            out.write(
                f"  {table[0]._meta.db_table:<28} {count:>10,} 行 {seconds:6.1f} s"
                f"（{count / max(seconds, 1e-9):,.0f} 行/s）\n"
            )
            out.flush()
        if indexes:
            step = time.perf_counter()
            _indexes_create(indexes)
            out.write(f"  重建 {len(indexes)} 个二级索引：{time.perf_counter() - step:.1f} s\n")
        for place in plan.places:
            SerialCounter.objects.filter(code=f"status:{place.district.code}").update(
                last=place.status_base + (PER_CERTIFICATE + 1) * place.count
            )
            SerialCounter.objects.filter(code=f"certificate:{place.district.code}:{year}").update(
                last=place.serial_base + place.count
            )
        _reset_sequences()
        SerialCounter.objects.create(code=f"{MARKER}{n}", last=ids["certificate"])
    return ids["certificate"]


def _secondary_indexes_drop(tables: Sequence[Table] = TABLES) -> list[tuple[str, str]]:
    """Drop the indexes no constraint stands on (foreign keys, status, LIKE), to build them
    once after the load: 12 indexes kept up row by row make a permit's COPY 4× slower. In the
    load's transaction, so a failure puts them back."""
    names = [t[0]._meta.db_table for t in tables]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [names],
        )
        found = [(str(name), str(sql)) for name, sql in cursor.fetchall()]
        for name, _ in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return found


def _indexes_create(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, sql in indexes:
            cursor.execute(sql)


def _fast_load_session() -> None:
    """Foreign-key triggers off for this transaction (superuser only; else they run)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")


def _reset_sequences(tables: Sequence[Table] = TABLES) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [t[0] for t in tables])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _vacuum(tables: Sequence[Table] = TABLES) -> None:
    """Set hint bits and the visibility map, and give the planner the new row counts; inside a
    transaction (a test's), where VACUUM cannot run, the row counts only (ANALYZE)."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model, _, _ in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def database_label() -> str:
    db = settings.DATABASES["default"]
    return f"{connection.vendor} {db.get('NAME')}"
