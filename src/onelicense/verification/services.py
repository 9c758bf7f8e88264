"""Verification of a certificate's QR token against the register: what the live page, the API
and (for the signature part) the offline verifier conclude.

A token is checked in this order, and the first failure is the answer:

1. it parses (``token_malformed``);
2. its kid names a trusted key: one of our districts' (``key_unknown``), not retired
   (``key_retired``), or an imported foreign issuer's (then it is recognised, 互认, and the
   register is not consulted: the certificate is theirs);
3. its signature is good under that key (``token_forged``);
4. the certificate number and version exist (``certificate_not_found``);
5. the token's kid, status list entry and issue time are the certificate's (``token_mismatch``);
6. the certificate's face hashes to the digest recorded at issue, and the token carries it
   (``face_mismatch``).

Steps 3 and 4 have a shortcut for our own keys, which spares the ECDSA check (~45 µs of CPU,
a fifth of a scan's). The certificate the token's body names is read first; when the MAC stored
with it (``token_mac``, made with the server's secret: `licences.tokens.token_mac`) is the
presented token's, the token is the very one the platform issued. A MAC is only ever stored for
a token whose signature is good (at issue, or by the migration that added them, after checking
it), so step 3 would pass: the claims are read without it. The secret is not in the database,
so writing the register does not let a token through this way. In every other case — no MAC
stored, another MAC (another token, or a changed secret), no such certificate, a number or
version the register cannot hold — steps 3 and 4 run as listed and the answer is theirs; a
forged token costs the read, nothing else.

Then the status is derived from the live permits: valid, void (作废) or replaced (换发).
Nothing is written: a verification is a read.
"""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language

from onelicense.licences.models import Certificate, Permit
from onelicense.licences.services import face_digest_matches
from onelicense.licences.tokens import (
    Claims,
    ParsedToken,
    TokenError,
    claims_read,
    claims_verify,
    token_mac,
    token_parse,
)
from onelicense.verification import selectors
from onelicense.verification.errors import MESSAGES, VerificationError
from onelicense.verification.selectors import ItemStatus, LiveCertificate, TrustedKey

MAX_TOKEN_LENGTH = 2000
MAX_VERSION = 32767  # Certificate.version is a PositiveSmallIntegerField


@dataclass
class Verification:
    """What a token proved. `code` is empty only when the certificate is valid now."""

    checked_at: datetime.datetime
    code: str = ""
    message: str = ""
    status: str = ""  # Certificate.Status, once the token checked out
    key: TrustedKey | None = None
    claims: Claims | None = None
    certificate: LiveCertificate | None = None
    current_version: int | None = None
    items: list[ItemStatus] = field(default_factory=list)
    unlicensed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.status == Certificate.Status.VALID

    @property
    def suspended(self) -> list[str]:
        """The items whose permit is suspended (暂扣): the certificate stays valid, but these
        activities are not allowed meanwhile."""
        return [row.item for row in self.items if row.status == Permit.Status.SUSPENDED]

    @property
    def recognised_from(self) -> str:
        """The foreign issuer of a mutually recognised certificate (互认); empty for ours."""
        return self.key.foreign_issuer if self.key else ""

    @property
    def issued_at(self) -> datetime.datetime | None:
        if self.certificate is not None:
            return self.certificate.issued_at
        if self.claims is not None:
            return datetime.datetime.fromtimestamp(self.claims.issued_at, tz=datetime.UTC)
        return None

    @property
    def face(self) -> dict[str, Any]:
        return self.certificate.face if self.certificate else {}


def status_labels() -> dict[str, str]:
    """Each permit status's name in the active language, for the live page (the API answer
    has no use for them): worked out once per language."""
    return _status_labels(get_language())


@lru_cache(maxsize=16)
def _status_labels(language: str | None) -> dict[str, str]:
    return {status.value: str(status.label) for status in Permit.Status}


def _claims(token: str) -> tuple[TrustedKey, Claims, LiveCertificate | None]:
    """Steps 1–4: the trusted key, the claims it signed and, for our own key, the certificate
    they name (None: not in the register)."""
    if len(token) > MAX_TOKEN_LENGTH:  # a real one is ~200 characters; spare the inflater
        raise VerificationError("token_malformed")
    try:
        parsed = token_parse(token)  # once: the kid finds the key, the key checks the rest
        key = selectors.trusted_key_find(parsed.kid)
        if key is None:
            raise VerificationError("key_unknown")
        if key.is_retired:
            raise VerificationError("key_retired")
        if key.foreign_issuer:
            return key, claims_verify(parsed, key.verifier), None
        return key, *_registered(token, parsed, key)
    except TokenError as exc:
        raise VerificationError(exc.code) from exc


def _registered(
    token: str, parsed: ParsedToken, key: TrustedKey
) -> tuple[Claims, LiveCertificate | None]:
    """Steps 3–4 for our own key, with the MAC shortcut (see the module's docstring)."""
    named = _named(parsed)
    certificate = None
    if named is not None:
        certificate = selectors.certificate_for_token(number=named[0], version=named[1])
        if certificate is not None and _issued(certificate, token):
            return claims_read(parsed), certificate
    claims = claims_verify(parsed, key.verifier)
    if named != (claims.number, claims.version):  # not read yet, or not by these
        certificate = selectors.certificate_for_token(number=claims.number, version=claims.version)
    return claims, certificate


def _named(parsed: ParsedToken) -> tuple[str, int] | None:
    """The certificate number and version an unchecked body names, when they are values the
    register can hold (printable text, a version number): anything else is never sent to the
    database before the signature is found good."""
    number, version = parsed.body.get("n"), parsed.body.get("v")
    if not isinstance(number, str) or not number.isprintable():
        return None
    if type(version) is not int or not 0 < version <= MAX_VERSION:
        return None
    return number, version


def _issued(certificate: LiveCertificate, token: str) -> bool:
    """The token is the one issued for this certificate: its MAC is the one stored."""
    return bool(certificate.token_mac) and constant_time_compare(
        certificate.token_mac, token_mac(token)
    )


def _check(certificate: LiveCertificate, claims: Claims) -> None:
    """Steps 5–6: the token belongs to this certificate and its face is as issued."""
    if (
        certificate.key_id != claims.kid
        or certificate.status_list != claims.status_list
        or certificate.status_index != claims.status_index
        or int(certificate.issued_at.timestamp()) != claims.issued_at
    ):
        raise VerificationError("token_mismatch")
    recorded = certificate.face_digest
    if not recorded.startswith(claims.digest) or not face_digest_matches(
        certificate.face, recorded
    ):
        raise VerificationError("face_mismatch")


def _state(result: Verification, certificate: LiveCertificate) -> Verification:
    """Fill in a genuine certificate's live status, items and 未许可事项."""
    result.certificate = certificate
    result.status = certificate.status
    result.items = list(certificate.items)
    result.unlicensed = list(certificate.face.get("unlicensed", []))
    if result.status == Certificate.Status.VOID:
        result.code = "certificate_void"
        result.message = certificate.void_reason or str(MESSAGES["certificate_void"])
    elif result.status == Certificate.Status.REPLACED:
        result.code, result.message = "certificate_replaced", str(MESSAGES["certificate_replaced"])
        result.current_version = selectors.certificate_latest_version(number=certificate.number)
    else:
        result.current_version = certificate.version
    return result


def token_verify(token: str, *, current: bool = False) -> Verification:
    """Check a QR token and read the certificate's live status (see the module's steps).

    With `current`, a genuine token of a replaced version answers with the newest version
    of the same certificate: holding any version's QR code is enough to see the current one.
    """
    result = Verification(checked_at=timezone.now())
    try:
        result.key, result.claims, certificate = _claims(token)
        if result.key.foreign_issuer:
            result.status = Certificate.Status.VALID
            return result
        if certificate is None:
            raise VerificationError("certificate_not_found")
        _check(certificate, result.claims)
    except VerificationError as exc:
        result.code, result.message = exc.code, exc.message
        return result
    if current and certificate.replaced_by_id is not None:
        newest = selectors.certificate_current(number=certificate.number)
        certificate = newest or certificate
    return _state(result, certificate)


def token_from_text(text: str) -> str:
    """The token in what a QR code holds: the verification URL (…/v/<token>) or the token."""
    text = text.strip()
    if "/v/" in text:
        text = text.rsplit("/v/", 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].split("/", 1)[0]
