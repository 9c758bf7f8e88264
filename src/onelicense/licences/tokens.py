"""The QR code's token: a compact signed statement of a certificate, checkable offline.

``<payload>.<signature>``, both base64url: the payload is zlib-compressed compact JSON with the
certificate number ``n``, version ``v``, key id ``k``, a digest of the face data ``h``, the issue
time ``t`` (Unix seconds) and the status list ``s`` with the index ``x``; the signature is over
the compressed bytes (ES256 raw r‖s, or SM2 DER).
"""

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from typing import Any

from onelicense.licences.keys import Signer, Verifier


class TokenError(ValueError):
    """A token that cannot be trusted; `code` for machines, the message in Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Claims:
    number: str
    version: int
    kid: str
    digest: str
    issued_at: int
    status_list: str
    status_index: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_make(claims: Claims, signer: Signer) -> str:
    body = {
        "n": claims.number,
        "v": claims.version,
        "k": claims.kid,
        "h": claims.digest[:32],
        "t": claims.issued_at,
        "s": claims.status_list,
        "x": claims.status_index,
    }
    payload = zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 9)
    return f"{_b64(payload)}.{_b64(signer.sign(payload))}"


def token_kid(token: str) -> str:
    """The key id, read before the signature is checked (to find the key)."""
    return str(_parse(token)[2]["k"])


def _parse(token: str) -> tuple[bytes, bytes, dict[str, Any]]:
    try:
        payload_text, signature_text = token.strip().split(".")
        payload, signature = _unb64(payload_text), _unb64(signature_text)
        body = json.loads(zlib.decompress(payload))
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except (ValueError, binascii.Error, zlib.error, UnicodeDecodeError) as exc:
        raise TokenError("token_malformed", "二维码内容不完整或已损坏，无法识别") from exc
    return payload, signature, body


def token_read(token: str, verifier: Verifier) -> Claims:
    """The claims, once the signature is found good; TokenError otherwise."""
    payload, signature, body = _parse(token)
    if not verifier.verify(signature, payload):
        raise TokenError("token_forged", "签名验证失败：该二维码不是本平台签发的，或内容被篡改")
    try:
        return Claims(
            str(body["n"]),
            int(body["v"]),
            str(body["k"]),
            str(body["h"]),
            int(body["t"]),
            str(body["s"]),
            int(body["x"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenError("token_malformed", "二维码内容不完整或已损坏，无法识别") from exc
