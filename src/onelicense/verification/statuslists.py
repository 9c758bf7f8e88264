"""Status lists: the live state of every permit and certificate of one list, two bits each,
compressed and signed — so that a verifier can cache it and check a QR code offline, and the
issuer never learns which certificate was checked (W3C Bitstring Status List, statusSize 2).

A list is a district's (its code, e.g. 110105) or the city-level bodies' (110000); permits and
certificates share its index sequence, so each index is one permit or one certificate version.

======  =========================================  ==========================================
bits    permit (单项审批证件)                        certificate version (综合许可凭证)
======  =========================================  ==========================================
``00``  valid 有效                                  valid 有效
``01``  suspended 暂扣                              — (not used)
``10``  ended: 撤销、注销、失效、吊销                 replaced 已换发: a newer version is in force
``11``  — (not used)                               void 已作废: a permit it lists has ended
======  =========================================  ==========================================

Index ``i`` is bits ``2i`` and ``2i+1`` counted from the most significant bit of the first
byte: ``(data[i // 4] >> (6 - 2 * (i % 4))) & 0b11``. Indexes never given out read ``00``.
The list is at least 131,072 entries (herd privacy, as the W3C recommends), gzip-compressed
and base64url-encoded (no padding) in ``encoded_list``; the document is signed by the
district's active key (the city root's for 110000, or for a district without a key yet) as
documents.py describes, with ``issued_at`` and
``ttl`` (seconds) saying how long a verifier may rely on it.
"""

import base64
import binascii
import datetime
import gzip
import zlib
from typing import Any

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone

from onelicense.accounts.models import District
from onelicense.core.errors import DomainError
from onelicense.licences.identifiers import CITY_LIST
from onelicense.licences.keys import root_key, signer_for
from onelicense.licences.models import Certificate, CertificateEntry, Permit, SigningKey
from onelicense.verification.documents import document_sign, timestamp
from onelicense.verification.errors import MESSAGES, VerificationError
from onelicense.verification.selectors import signer_name
from onelicense.verification.trustlists import ISSUER

TYPE = "OneLicenseStatusList"
MIN_SIZE = 131_072
VALID, SUSPENDED, ENDED, VOID = 0b00, 0b01, 0b10, 0b11
PERMIT_VALUES = {VALID: "valid", SUSPENDED: "suspended", ENDED: "ended"}
CERTIFICATE_VALUES = {VALID: "valid", ENDED: "replaced", VOID: "void"}


def _values(list_code: str) -> QuerySet[Any, tuple[int, int]]:
    """(index, 2-bit value) of every permit and certificate of the list: one query."""
    permits = (
        Permit.objects.filter(status_list=list_code)
        .annotate(
            bits=Case(
                When(status=Permit.Status.VALID, then=Value(VALID)),
                When(status=Permit.Status.SUSPENDED, then=Value(SUSPENDED)),
                default=Value(ENDED),
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values_list("status_index", "bits")
    )
    # Void as certificate_status derives it: a permit it lists as licensed has ended.
    ended = CertificateEntry.objects.filter(
        certificate=OuterRef("pk"), permit__status__in=Permit.ENDED
    )
    certificates = (
        Certificate.objects.filter(status_list=list_code)
        .annotate(
            bits=Case(
                When(replaced_by__isnull=False, then=Value(ENDED)),
                When(Exists(ended), then=Value(VOID)),
                default=Value(VALID),
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values_list("status_index", "bits")
    )
    return permits.union(certificates, all=True)


def bitstring(values: list[tuple[int, int]]) -> bytearray:
    top = max((index for index, _ in values), default=0)
    size = max(MIN_SIZE, -(-(top + 1) // MIN_SIZE) * MIN_SIZE)
    data = bytearray(size // 4)
    for index, bits in values:
        if bits:
            data[index // 4] |= bits << (6 - 2 * (index % 4))
    return data


def status_at(data: bytes | bytearray, index: int) -> int:
    if not 0 <= index < len(data) * 4:
        raise VerificationError("document_malformed")
    return (data[index // 4] >> (6 - 2 * (index % 4))) & 0b11


def encode(data: bytes | bytearray) -> str:
    return base64.urlsafe_b64encode(gzip.compress(bytes(data), mtime=0)).rstrip(b"=").decode()


def decode(text: str) -> bytes:
    try:
        return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, OSError, EOFError, zlib.error) as exc:
        raise VerificationError("document_malformed") from exc


def _active_key(district: District) -> SigningKey | None:
    return SigningKey.objects.filter(
        district=district, algorithm=SigningKey.Algorithm.ES256, active=True
    ).first()


def ttl() -> int:
    return int(getattr(settings, "ONELICENSE_STATUS_LIST_TTL", 300))


def status_list_build(list_code: str, *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The signed status list of a district (or of the city bodies, 110000)."""
    now = now or timezone.now()
    key, issuer = root_key(), ISSUER
    if list_code != CITY_LIST:
        district = District.objects.filter(code=list_code).first()
        if district is None:
            raise DomainError("status_list_unknown", MESSAGES["status_list_unknown"], status=404)
        issuer = signer_name(district.name)
        # A district that has issued nothing yet has no key; a public GET makes none.
        key = _active_key(district) or key
    data = bitstring(list(_values(list_code)))
    payload = {
        "type": TYPE,
        "version": 1,
        "list": list_code,
        "issuer": issuer,
        "bits": 2,
        "size": len(data) * 4,
        "encoding": "gzip+base64url",
        "encoded_list": encode(data),
        "issued_at": timestamp(now),
        "ttl": ttl(),
        "statuses": {
            "permit": {f"{v:02b}": name for v, name in PERMIT_VALUES.items()},
            "certificate": {f"{v:02b}": name for v, name in CERTIFICATE_VALUES.items()},
        },
    }
    return document_sign(payload, kid=key.kid, signer=signer_for(key))
