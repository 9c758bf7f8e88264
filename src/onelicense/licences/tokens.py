"""The QR code's token: a compact signed statement of a certificate, checkable offline.

``<payload>.<signature>``, both base64url: the payload is zlib-compressed compact JSON with the
certificate number ``n``, version ``v``, key id ``k``, a digest of the face data ``h``, the issue
time ``t`` (Unix seconds) and the status list ``s`` with the index ``x``; the signature is over
the compressed bytes (ES256 raw r‖s, or SM2 DER).

Beside an issued token the register keeps its `token_mac`, a keyed MAC made with the server's
secret (never in the database): a token whose MAC matches the one stored is the very token the
platform issued, so the verification path may read its claims without checking the signature
again (`verification.services`).
"""

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from typing import Any

from django.utils.crypto import salted_hmac

from onelicense.licences.keys import Signer, Verifier

MALFORMED = "二维码内容不完整或已损坏，无法识别"


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


@dataclass(frozen=True, slots=True)
class ParsedToken:
    """A token split and decoded, its signature not yet checked: parsed once, then read for
    its kid (to find the key) and checked with that key."""

    payload: bytes
    signature: bytes
    body: dict[str, Any]

    @property
    def kid(self) -> str:
        """The key id, read before the signature is checked (to find the key)."""
        kid = self.body.get("k")
        if not isinstance(kid, str) or not kid:
            raise TokenError("token_malformed", MALFORMED)
        return kid


def token_parse(token: str) -> ParsedToken:
    """Base64url, inflate and JSON; TokenError `token_malformed` when any of them fails."""
    try:
        payload_text, signature_text = token.strip().split(".")
        payload, signature = _unb64(payload_text), _unb64(signature_text)
        body = json.loads(zlib.decompress(payload))
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except (ValueError, binascii.Error, zlib.error, UnicodeDecodeError, RecursionError) as exc:
        raise TokenError("token_malformed", MALFORMED) from exc
    return ParsedToken(payload, signature, body)


def claims_verify(parsed: ParsedToken, verifier: Verifier) -> Claims:
    """The claims of a parsed token, once the signature is found good; TokenError otherwise."""
    if not verifier.verify(parsed.signature, parsed.payload):
        raise TokenError("token_forged", "签名验证失败：该二维码不是本平台签发的，或内容被篡改")
    return claims_read(parsed)


def claims_read(parsed: ParsedToken) -> Claims:
    """The claims of a parsed token, its signature unchecked: for a token known to be genuine
    (checked, or matched by its MAC); TokenError `token_malformed` when one is missing or of
    the wrong type."""
    body = parsed.body
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
        raise TokenError("token_malformed", MALFORMED) from exc


def token_read(token: str, verifier: Verifier) -> Claims:
    """The claims, once the signature is found good; TokenError otherwise."""
    return claims_verify(token_parse(token), verifier)


TOKEN_MAC_SALT = "onelicense.licences.token_mac"


def token_mac(token: str) -> str:
    """The token's MAC under the server's secret (SECRET_KEY, which the database does not
    hold): stored beside the token at issue, it shows a presented token to be the one issued
    without checking its signature. A changed secret makes every stored MAC differ, and
    verification falls back to the signature."""
    return salted_hmac(TOKEN_MAC_SALT, token, algorithm="sha256").hexdigest()
