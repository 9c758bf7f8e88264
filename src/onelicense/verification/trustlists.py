"""The trust list: every district key that signs QR codes and e-seals, signed by the city root;
and the import of another region's trust list (天津、河北) for mutual recognition (互认).

Document (see documents.py for the signature)::

    {"payload": {
        "type": "OneLicenseTrustList", "version": 1,
        "issuer": "北京市政务服务和数据管理局", "region": "110000",
        "issued_at": "2026-11-28T08:00:00Z", "next_update": "2026-11-29T08:00:00Z",
        "root": {"kid", "algorithm", "public_key_pem", "certificate_pem"},
        "keys": [{"kid", "region", "region_name", "signer_name", "algorithm",
                  "public_key_pem", "certificate_pem",
                  "status": "active" | "rotated" | "retired", "created_at", "retired_at"}]},
     "alg": "ES256", "kid": "<root kid>", "signature": "<base64url r‖s>"}

A key is ``active`` while it signs, ``rotated`` once a newer key signs (what it signed still
verifies) and ``retired`` when it must no longer be trusted. Verifiers pin the root
(``expected_root_pem``) out of band; a list that merely signs itself proves nothing.
"""

import datetime
import hashlib
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.utils import timezone

from onelicense.accounts.models import User
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record
from onelicense.licences.keys import root_key, signer_for, verifier_for
from onelicense.licences.models import SigningKey
from onelicense.verification.documents import (
    document_parts,
    document_sign,
    document_verify,
    timestamp,
    timestamp_read,
)
from onelicense.verification.errors import MESSAGES, VerificationError
from onelicense.verification.models import ForeignIssuer, ForeignIssuerKey
from onelicense.verification.selectors import KEYS, signer_name

TYPE = "OneLicenseTrustList"
ISSUER = "北京市政务服务和数据管理局"
REGION = "110000"
NEXT_UPDATE = datetime.timedelta(hours=24)
DER, SPKI = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
KEY_FIELDS = ("kid", "region", "signer_name", "algorithm", "public_key_pem", "status")


def _key_status(key: SigningKey) -> str:
    if key.retired_at is not None:
        return "retired"
    return "active" if key.active else "rotated"


def _key_entry(key: SigningKey) -> dict[str, Any]:
    assert key.district is not None
    return {
        "kid": key.kid,
        "region": key.district.code,
        "region_name": key.district.name,
        "signer_name": signer_name(key.district.name),
        "algorithm": key.algorithm,
        "public_key_pem": key.public_key_pem,
        "certificate_pem": key.certificate_pem,
        "status": _key_status(key),
        "created_at": timestamp(key.created_at),
        "retired_at": timestamp(key.retired_at) if key.retired_at else None,
    }


def trust_list_build(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Our trust list, signed now by the city root (two queries and one signature)."""
    now = now or timezone.now()
    root = root_key()
    keys = SigningKey.objects.filter(district__isnull=False).select_related("district")
    payload = {
        "type": TYPE,
        "version": 1,
        "issuer": ISSUER,
        "region": REGION,
        "issued_at": timestamp(now),
        "next_update": timestamp(now + NEXT_UPDATE),
        "root": {
            "kid": root.kid,
            "algorithm": root.algorithm,
            "public_key_pem": root.public_key_pem,
            "certificate_pem": root.certificate_pem,
        },
        "keys": [_key_entry(k) for k in keys.order_by("district__code", "created_at", "id")],
    }
    return document_sign(payload, kid=root.kid, signer=signer_for(root))


def public_key_der(pem: str) -> bytes:
    """The SubjectPublicKeyInfo of a public key or certificate PEM (to compare roots)."""
    data = pem.strip().encode()
    try:
        if b"CERTIFICATE" in data:
            return x509.load_pem_x509_certificate(data).public_key().public_bytes(DER, SPKI)
        return serialization.load_pem_public_key(data).public_bytes(DER, SPKI)
    except ValueError:  # not a key cryptography reads (an SM2 key): compare the text itself
        return b"".join(data.split())


def root_fingerprint(pem: str) -> str:
    """SHA-256 of the root's public key, as people compare it on the phone: AB:CD:…"""
    digest = hashlib.sha256(public_key_der(pem)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _shape(payload: dict[str, Any]) -> dict[str, Any]:
    root, keys = payload.get("root"), payload.get("keys")
    ok = (
        payload.get("type") == TYPE
        and isinstance(root, dict)
        and all(isinstance(root.get(f), str) for f in ("kid", "algorithm", "public_key_pem"))
        and isinstance(keys, list)
        and all(
            isinstance(k, dict) and all(isinstance(k.get(f), str) for f in KEY_FIELDS) for k in keys
        )
        and isinstance(payload.get("issuer"), str)
        and isinstance(payload.get("region"), str)
    )
    if not ok:
        raise VerificationError("document_malformed")
    timestamp_read(payload.get("issued_at"))
    return payload


def trust_list_check(document: object, *, root_pem: str | None = None) -> dict[str, Any]:
    """The payload of a trust list whose signature is good under its root — and, with
    `root_pem`, whose root is that one. VerificationError otherwise."""
    payload, kid, _signature = document_parts(document)
    root = _shape(payload)["root"]
    if root_pem is not None and public_key_der(root_pem) != public_key_der(root["public_key_pem"]):
        raise VerificationError("root_mismatch")
    if kid != root["kid"]:
        raise VerificationError("document_forged")
    return document_verify(document, verifier_for(root["algorithm"], root["public_key_pem"]))


@transaction.atomic
def trust_list_import(
    document: object, *, expected_root_pem: str, source: str = "", actor: User | None = None
) -> ForeignIssuer:
    """互认: store another region's issuers' keys, once its list is found signed by the root
    agreed out of band. A newer import replaces the region's keys; an older one is refused."""
    try:
        payload = trust_list_check(document, root_pem=expected_root_pem)
    except VerificationError as exc:
        raise DomainError(exc.code, exc.message, status=422) from exc
    kids = [entry["kid"] for entry in payload["keys"]]
    clash = SigningKey.objects.filter(kid__in=[*kids, payload["root"]["kid"]]).exists()
    clash = (
        clash
        or ForeignIssuerKey.objects.filter(kid__in=kids)
        .exclude(issuer__region=payload["region"])
        .exists()
    )
    if payload["region"] == REGION or clash:
        raise DomainError("kid_conflict", MESSAGES["kid_conflict"], status=409)
    issued_at = timestamp_read(payload["issued_at"])
    existing = ForeignIssuer.objects.select_for_update().filter(region=payload["region"]).first()
    if existing and issued_at < existing.list_issued_at:
        raise DomainError("trust_list_outdated", MESSAGES["trust_list_outdated"], status=409)
    issuer, _created = ForeignIssuer.objects.update_or_create(
        region=payload["region"],
        defaults={
            "name": payload["issuer"],
            "root_kid": payload["root"]["kid"],
            "root_public_key_pem": payload["root"]["public_key_pem"],
            "root_certificate_pem": payload["root"].get("certificate_pem") or "",
            "source": source,
            "list_issued_at": issued_at,
            "next_update": _optional_time(payload.get("next_update")),
        },
    )
    issuer.keys.exclude(kid__in=kids).delete()
    for entry in payload["keys"]:
        retired_at = None
        if entry["status"] == "retired":
            retired_at = _optional_time(entry.get("retired_at")) or issued_at
        ForeignIssuerKey.objects.update_or_create(
            kid=entry["kid"],
            defaults={
                "issuer": issuer,
                "signer_name": entry["signer_name"],
                "algorithm": entry["algorithm"],
                "public_key_pem": entry["public_key_pem"],
                "certificate_pem": entry.get("certificate_pem") or "",
                "retired_at": retired_at,
            },
        )
    event_record(
        actor=actor,
        verb="trust_list_imported",
        subject=issuer,
        data={"region": issuer.region, "keys": len(kids), "source": source},
    )
    transaction.on_commit(KEYS.clear)
    return issuer


def _optional_time(text: object) -> datetime.datetime | None:
    return timestamp_read(text) if text else None
