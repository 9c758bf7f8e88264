"""The QR token: parsed once, read for its kid, then checked; the same codes either way."""

import base64
import json
import zlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings

from onelicense.licences.keys import Es256, Es256Verifier
from onelicense.licences.tokens import (
    Claims,
    TokenError,
    claims_read,
    claims_verify,
    token_mac,
    token_make,
    token_parse,
    token_read,
)

CLAIMS = Claims("ZH1101052026000001", 2, "bj-110105-test", "ab" * 16, 1_767_225_600, "110105", 7)


def _keypair() -> tuple[Es256, Es256Verifier]:
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Es256(private), Es256Verifier(public.decode())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signed(body: object, signer: Es256) -> str:
    """A token over any JSON body, signed as token_make signs."""
    payload = zlib.compress(json.dumps(body).encode())
    return f"{_b64(payload)}.{_b64(signer.sign(payload))}"


def test_a_parsed_token_reads_as_token_read_does():
    signer, verifier = _keypair()
    token = token_make(CLAIMS, signer)
    parsed = token_parse(token)
    assert parsed.kid == CLAIMS.kid
    assert claims_verify(parsed, verifier) == token_read(token, verifier) == CLAIMS


@pytest.mark.parametrize(
    "token",
    [
        "hello",
        "a.b.c",
        f"{_b64(b'not zlib')}.{_b64(b'x')}",
        f"{_b64(zlib.compress(b'[1, 2]'))}.{_b64(b'x')}",  # JSON, but not an object
        f"{_b64(zlib.compress(b'{'))}.{_b64(b'x')}",
        f"{_b64(zlib.compress(b'[' * 100_000))}.{_b64(b'x')}",  # nested deeper than json reads
    ],
)
def test_what_does_not_parse_is_malformed_before_any_key_is_looked_up(token):
    _, verifier = _keypair()
    for read in (token_parse, lambda t: token_parse(t).kid, lambda t: token_read(t, verifier)):
        with pytest.raises(TokenError) as caught:
            read(token)
        assert (caught.value.code, caught.value.message) == (
            "token_malformed",
            "二维码内容不完整或已损坏，无法识别",
        )


def test_the_signature_is_checked_before_the_claims_are_read():
    signer, verifier = _keypair()
    other, _ = _keypair()
    incomplete = {"k": CLAIMS.kid, "n": CLAIMS.number}
    with pytest.raises(TokenError) as forged:
        claims_verify(token_parse(_signed(incomplete, other)), verifier)
    with pytest.raises(TokenError) as malformed:
        claims_verify(token_parse(_signed(incomplete, signer)), verifier)
    assert (forged.value.code, malformed.value.code) == ("token_forged", "token_malformed")
    assert forged.value.message == "签名验证失败：该二维码不是本平台签发的，或内容被篡改"


@pytest.mark.parametrize("body", [{"n": "x"}, {"k": 7}, {"k": ""}])
def test_a_token_without_a_key_id_is_malformed(body):
    signer, _ = _keypair()
    with pytest.raises(TokenError) as caught:
        _ = token_parse(_signed(body, signer)).kid
    assert caught.value.code == "token_malformed"


def test_claims_read_is_claims_verify_without_the_signature():
    signer, _ = _keypair()
    _, other = _keypair()
    parsed = token_parse(token_make(CLAIMS, signer))
    assert claims_read(parsed) == CLAIMS
    with pytest.raises(TokenError) as forged:
        claims_verify(parsed, other)
    with pytest.raises(TokenError) as malformed:
        claims_read(token_parse(_signed({"k": CLAIMS.kid, "n": CLAIMS.number}, signer)))
    assert (forged.value.code, malformed.value.code) == ("token_forged", "token_malformed")


def test_a_token_mac_depends_on_the_token_and_the_secret():
    signer, _ = _keypair()
    token, again = token_make(CLAIMS, signer), token_make(CLAIMS, signer)  # ECDSA: two tokens
    mac = token_mac(token)
    assert len(mac) == 64 and mac == token_mac(token) != token_mac(again)
    with override_settings(SECRET_KEY="another-secret-key-for-the-next-deployment"):
        assert token_mac(token) != mac
