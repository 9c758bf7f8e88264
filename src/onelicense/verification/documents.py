"""Signed JSON documents — the trust list and the status lists — and their checks.

A document is ``{"payload": {...}, "alg": "ES256", "kid": "<signer>", "signature": "<b64url>"}``.
The detached signature is over the payload's canonical JSON: UTF-8, keys sorted, no whitespace,
no ASCII escaping — ``json.dumps(payload, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))``. Payloads hold only strings, integers, booleans, null, lists and
objects with ASCII keys, so this is also their RFC 8785 (JCS) form and any JSON library can
rebuild the signed bytes. ES256 signatures are raw r‖s (64 bytes), as in JWS; SM2 ones are DER.
"""

import base64
import binascii
import datetime
import json
from typing import Any

from onelicense.licences.keys import Signer, Verifier
from onelicense.verification.errors import VerificationError


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def timestamp(moment: datetime.datetime) -> str:
    """UTC, to the second, with a Z: the one time format of signed documents."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp_read(text: object) -> datetime.datetime:
    if not isinstance(text, str):
        raise VerificationError("document_malformed")
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    except ValueError as exc:
        raise VerificationError("document_malformed") from exc


def document_sign(payload: dict[str, Any], *, kid: str, signer: Signer) -> dict[str, Any]:
    return {
        "payload": payload,
        "alg": signer.algorithm,
        "kid": kid,
        "signature": b64url(signer.sign(canonical(payload))),
    }


def document_parts(document: object) -> tuple[dict[str, Any], str, bytes]:
    """The payload, the signer's kid and the signature, before anything is trusted."""
    if not isinstance(document, dict):
        raise VerificationError("document_malformed")
    payload, kid, signature = (document.get(k) for k in ("payload", "kid", "signature"))
    if not isinstance(payload, dict) or not isinstance(kid, str) or not isinstance(signature, str):
        raise VerificationError("document_malformed")
    try:
        return payload, kid, unb64url(signature)
    except (ValueError, binascii.Error) as exc:
        raise VerificationError("document_malformed") from exc


def document_verify(document: object, verifier: Verifier) -> dict[str, Any]:
    """The payload, once the signature is found good under `verifier`."""
    payload, _kid, signature = document_parts(document)
    if not verifier.verify(signature, canonical(payload)):
        raise VerificationError("document_forged")
    return payload
