"""Reads of the verification path: the trusted keys (cached per process) and the certificate
with everything the live page shows, in one narrow query (the path every scan takes)."""

import datetime
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Case, TextField, Value, When, Window
from django.db.models.functions import Cast, RowNumber
from django.db.models.lookups import GreaterThan

from onelicense.core.queries import CompiledRead
from onelicense.licences.keys import Verifier, verifier_for
from onelicense.licences.models import Certificate, SigningKey
from onelicense.licences.services import certificate_status_derive
from onelicense.verification.models import ForeignIssuerKey


@dataclass(frozen=True)
class TrustedKey:
    """A key that may sign QR codes: one of our districts', or an imported foreign issuer's."""

    kid: str
    algorithm: str
    verifier: Verifier
    signer_name: str  # 北京市朝阳区政务服务管理局, 天津市和平区…
    region: str  # the district's code, or the foreign issuer's region
    retired_at: datetime.datetime | None
    foreign_issuer: str = ""  # the foreign issuer's name; empty for our own keys

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


def signer_name(district_name: str) -> str:
    return f"北京市{district_name}政务服务管理局"


class _KeyTable:
    """Every trusted key by kid, loaded whole (two queries) and kept for a while.

    Keys are few and change rarely, and parsing a public key costs more than checking a
    signature; so each process keeps them. A saved key clears the table of the process that
    saved it (apps.ready connects the signal); other processes see the change within
    ONELICENSE_VERIFY_KEY_TTL seconds (default 300), and an unknown kid reloads the table at
    most every few seconds, so that a new key is found without letting random kids cost a
    query each.
    """

    MISS_RELOAD = 5.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, TrustedKey] = {}
        self._loaded = float("-inf")

    def clear(self) -> None:
        with self._lock:
            self._keys, self._loaded = {}, float("-inf")

    def find(self, kid: str) -> TrustedKey | None:
        ttl = float(getattr(settings, "ONELICENSE_VERIFY_KEY_TTL", 300))
        age = time.monotonic() - self._loaded
        if age > ttl or (kid not in self._keys and age > self.MISS_RELOAD):
            self._load()
        return self._keys.get(kid)

    def _load(self) -> None:
        keys: dict[str, TrustedKey] = {}
        for key in SigningKey.objects.filter(district__isnull=False).select_related("district"):
            assert key.district is not None
            keys[key.kid] = TrustedKey(
                kid=key.kid,
                algorithm=key.algorithm,
                verifier=verifier_for(key.algorithm, key.public_key_pem),
                signer_name=signer_name(key.district.name),
                region=key.district.code,
                retired_at=key.retired_at,
            )
        for other in ForeignIssuerKey.objects.select_related("issuer"):
            keys.setdefault(
                other.kid,
                TrustedKey(
                    kid=other.kid,
                    algorithm=other.algorithm,
                    verifier=verifier_for(other.algorithm, other.public_key_pem),
                    signer_name=other.signer_name,
                    region=other.issuer.region,
                    retired_at=other.retired_at,
                    foreign_issuer=other.issuer.name,
                ),
            )
        with self._lock:
            self._keys, self._loaded = keys, time.monotonic()


KEYS = _KeyTable()


def trusted_key_find(kid: str) -> TrustedKey | None:
    return KEYS.find(kid)


def trusted_keys_forget(**kwargs: object) -> None:
    """Signal receiver: a key was saved or deleted; reload on the next lookup."""
    KEYS.clear()


class ItemStatus(NamedTuple):
    """One licensed item of a certificate with its permit as it stands now. A tuple: the live
    read makes one per item on every scan."""

    item: str
    department: str
    permit_name: str
    permit_number: str
    status: str
    valid_from: datetime.date
    valid_until: datetime.date | None


@dataclass(frozen=True)
class LiveCertificate:
    """What the verification path reads of one certificate version: its columns and the items
    it lists as licensed with their permits, in one query. (Its 未许可事项 have no permit; the
    face lists them.)"""

    id: int
    number: str
    version: int
    identifier: str
    key_id: str
    status_list: str
    status_index: int
    issued_at: datetime.datetime
    face: dict[str, Any]
    face_digest: str
    replaced_by_id: int | None
    voided_at: datetime.datetime | None
    void_reason: str
    token_mac: str  # the issued token's MAC; empty when none was stored
    items: tuple[ItemStatus, ...]  # in the certificate's order

    @property
    def status(self) -> str:
        return certificate_status_derive(
            replaced=self.replaced_by_id is not None,
            permit_statuses=[item.status for item in self.items],
        )


_COLUMNS = (
    "id",
    "number",
    "version",
    "identifier",
    "key_id",
    "status_list",
    "status_index",
    "issued_at",
    "face_digest",
    "replaced_by_id",
    "voided_at",
    "void_reason",
    "token_mac",
)
_ENTRY_COLUMNS = (
    "entries__order",
    "entries__id",
    "entries__item__name",
    "entries__permit__name",
    "entries__permit__number",
    "entries__permit__status",
    "entries__permit__department__name",
    "entries__permit__valid_from",
    "entries__permit__valid_until",
)


def _live(rows: list[dict[str, Any]]) -> LiveCertificate | None:
    if not rows:
        return None
    first = rows[0]
    face_text = next(row["face_text"] for row in rows if row["face_text"] is not None)
    licensed = sorted(
        (row for row in rows if row["entries__permit__number"] is not None),
        key=lambda row: (row["entries__order"], row["entries__id"]),
    )
    return LiveCertificate(
        **{column: first[column] for column in _COLUMNS},
        face=json.loads(face_text),
        items=tuple(
            ItemStatus(
                row["entries__item__name"],
                row["entries__permit__department__name"],
                row["entries__permit__name"],
                row["entries__permit__number"],
                row["entries__permit__status"],
                row["entries__permit__valid_from"],
                row["entries__permit__valid_until"],
            )
            for row in licensed
        ),
    )


# The face as its text, on one row only: the query answers one row per entry, and the face
# (the widest column by far) would be printed by the database and decoded here once per entry.
# ROW_NUMBER() picks the row; `_live` decodes the face once (what JSONField does: json.loads,
# no decoder). As text, it also reads the same in PostgreSQL's binary format.
_FACE_ONCE = Case(
    When(GreaterThan(Window(RowNumber()), 1), then=Value(None)),
    default=Cast("face", output_field=TextField()),
    output_field=TextField(),
)

_LIVE = CompiledRead(
    lambda number, version: (
        Certificate.objects.filter(number=number, version=version)
        .order_by()
        .values(*_COLUMNS, *_ENTRY_COLUMNS, face_text=_FACE_ONCE)
    ),
    binary=True,
    number="\x00number\x00",
    version=32_123,  # in the column's range: Django answers an out-of-range value without SQL
)


def certificate_for_token(*, number: str, version: int) -> LiveCertificate | None:
    """The certificate version a token names, with its entries' permits as they stand: one
    query on the unique (number, version) index, whatever the number of items, compiled once
    per process (every scan takes this path)."""
    return _live(_LIVE.rows(number=number, version=version))


def certificate_current(*, number: str) -> LiveCertificate | None:
    """The newest version of a certificate number, read as `certificate_for_token` reads it."""
    version = certificate_latest_version(number=number)
    return None if version is None else certificate_for_token(number=number, version=version)


def certificate_latest_version(*, number: str) -> int | None:
    return (
        Certificate.objects.filter(number=number)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
