"""Reads of the verification path: the trusted keys (cached per process) and the certificate
with everything the live page shows, in a fixed number of queries."""

import datetime
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from onelicense.licences.keys import Verifier, verifier_for
from onelicense.licences.models import Certificate, CertificateEntry, SigningKey
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


def _certificates() -> QuerySet[Certificate]:
    """Certificates with their issuer, their successor and their entries' live permits."""
    entries = CertificateEntry.objects.select_related("item", "permit__department")
    return Certificate.objects.select_related("district", "replaced_by").prefetch_related(
        Prefetch("entries", queryset=entries)
    )


def certificate_for_token(*, number: str, version: int) -> Certificate | None:
    """The certificate version a token names, as the live page shows it: two queries,
    whatever the number of items."""
    return _certificates().filter(number=number, version=version).first()


def certificate_current(*, number: str) -> Certificate | None:
    """The newest version of a certificate number, read as `certificate_for_token` reads it."""
    return _certificates().filter(number=number).order_by("-version").first()


def certificate_latest_version(*, number: str) -> int | None:
    return (
        Certificate.objects.filter(number=number)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
