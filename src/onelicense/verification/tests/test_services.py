"""token_verify: the live status of a genuine token, and one code for each way a token fails."""

import base64
import dataclasses
import datetime
import json
import zlib

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from onelicense.licences import services as licences
from onelicense.licences.keys import (
    Es256Verifier,
    district_key,
    key_retire,
    key_rotate,
    signer_for,
)
from onelicense.licences.models import Certificate, Permit, SigningKey
from onelicense.licences.tests.helpers import renewed
from onelicense.licences.tokens import token_mac
from onelicense.verification.services import status_labels, token_from_text, token_verify
from onelicense.verification.tests.conftest import token_of


def test_a_fresh_certificate_is_valid_with_every_permit_live(certificate, token):
    result = token_verify(token)
    assert result.valid and result.code == "" and result.status == "valid"
    assert (
        result.certificate
        and result.certificate.id == certificate.pk
        and result.current_version == 1
    )
    assert [row.permit_number for row in result.items] == [
        row["number"] for row in certificate.face["licensed"]
    ]
    assert {row.status for row in result.items} == {"valid"}
    assert result.unlicensed == []


def test_a_suspended_permit_shows_while_the_certificate_stays_valid(certificate, token):
    permit = Permit.objects.filter(application=certificate.application).earliest("id")
    licences.permit_change(permit=permit, actor=None, operation="suspend", reason="限期整改")
    result = token_verify(token)
    assert result.valid
    assert [row.status for row in result.items if row.permit_number == permit.number] == [
        Permit.Status.SUSPENDED
    ]
    assert status_labels()[Permit.Status.SUSPENDED] == "暂扣"


def test_a_revoked_permit_voids_the_same_token(certificate, token):
    permit = Permit.objects.get(
        application=certificate.application, item__code="tobacco_retail_licence"
    )
    licences.permit_change(
        permit=permit,
        actor=None,
        operation="revoke",
        reason="违法经营",
        legal_basis="《烟草专卖法》第三十二条",
    )
    result = token_verify(token)
    assert not result.valid and result.status == "void" and result.code == "certificate_void"
    assert permit.name in result.message and "吊销" in result.message
    assert [row.status for row in result.items if row.permit_number == permit.number] == ["revoked"]


def test_after_reissue_the_old_token_is_replaced_and_the_new_one_valid(
    certificate, token, district_admin
):
    new = renewed(certificate, district_admin)
    old = token_verify(token)
    assert old.status == "replaced" and old.code == "certificate_replaced" and not old.valid
    assert old.current_version == 2 and old.certificate and old.certificate.id == certificate.pk
    fresh = token_verify(token_of(new))
    assert (
        fresh.valid
        and fresh.certificate
        and fresh.certificate.id == new.pk
        and fresh.current_version == 2
    )
    # Holding the old QR code is enough to see the version in force.
    followed = token_verify(token, current=True)
    assert followed.certificate and followed.certificate.id == new.pk and followed.valid


def test_a_rotated_key_still_verifies_what_it_signed(certificate, token):
    key_rotate(district=certificate.district)
    assert token_verify(token).valid


def _flip_signature(certificate, token):
    payload, signature = token.split(".")
    flipped = "B" if signature[5] != "B" else "C"
    return f"{payload}.{signature[:5]}{flipped}{signature[6:]}"


def _other_payload(certificate, token):
    other = token_of(certificate, version=certificate.version + 1)
    return other.split(".")[0] + "." + token.split(".")[1]


def _no_kid(token):
    body = zlib.compress(json.dumps({"n": "ZH1101052099000999", "v": 1}).encode())
    return base64.urlsafe_b64encode(body).decode().rstrip("=") + "." + token.split(".")[1]


def _body(certificate, *, signed, **changes):
    """A token over the certificate's claims with some changed (None: left out), signed with
    its key or carrying another token's signature; for what token_make never writes."""
    body = {
        "n": certificate.number,
        "v": certificate.version,
        "k": certificate.key_id,
        "h": certificate.face_digest[:32],
        "t": int(certificate.issued_at.timestamp()),
        "s": certificate.status_list,
        "x": certificate.status_index,
    } | changes
    payload = zlib.compress(json.dumps({k: v for k, v in body.items() if v is not None}).encode())
    if signed:
        signature = signer_for(SigningKey.objects.get(kid=certificate.key_id)).sign(payload)
    else:
        signature = base64.urlsafe_b64decode(certificate.token.split(".")[1] + "==")
    encode = base64.urlsafe_b64encode
    return f"{encode(payload).decode().rstrip('=')}.{encode(signature).decode().rstrip('=')}"


FAILURES = {
    "signature flipped": (_flip_signature, "token_forged"),
    "payload swapped": (_other_payload, "token_forged"),
    "truncated": (lambda c, t: t[: len(t) // 2], "token_malformed"),
    "payload byte flipped": (lambda c, t: ("A" if t[0] != "A" else "B") + t[1:], "token_malformed"),
    "garbage": (lambda c, t: "hello", "token_malformed"),
    "no key id": (lambda c, t: _no_kid(t), "token_malformed"),
    "too long": (lambda c, t: t + "A" * 2000, "token_malformed"),
    "unknown kid": (lambda c, t: token_of(c, kid="bj-110105-20990101-abcdef"), "key_unknown"),
    "no such certificate": (
        lambda c, t: token_of(c, number="ZH1101052099000999"),
        "certificate_not_found",
    ),
    "other status index": (
        lambda c, t: token_of(c, status_index=c.status_index + 100),
        "token_mismatch",
    ),
    "other digest": (lambda c, t: token_of(c, digest="0" * 64), "face_mismatch"),
    # The body's number and version are read before the signature is checked: a forged token
    # is forged whatever it names, and a genuine one without them is malformed.
    "forged, no such certificate": (
        lambda c, t: _body(c, signed=False, n="ZH1101052099000999"),
        "token_forged",
    ),
    "forged, no version": (lambda c, t: _body(c, signed=False, v=None), "token_forged"),
    "forged, version as text": (lambda c, t: _body(c, signed=False, v="1"), "token_forged"),
    "forged, version too large": (lambda c, t: _body(c, signed=False, v=2**70), "token_forged"),
    "forged, NUL in the number": (lambda c, t: _body(c, signed=False, n="ZH\x00"), "token_forged"),
    "forged, half a character": (lambda c, t: _body(c, signed=False, n="ZH\ud800"), "token_forged"),
    "signed, no version": (lambda c, t: _body(c, signed=True, v=None), "token_malformed"),
    "signed, version not a number": (lambda c, t: _body(c, signed=True, v="v1"), "token_malformed"),
}


@pytest.mark.parametrize("mac", [True, False], ids=["mac stored", "no mac"])
@pytest.mark.parametrize("case", FAILURES)
def test_each_bad_token_has_its_own_code_and_writes_nothing(certificate, case, mac):
    if not mac:
        Certificate.objects.filter(pk=certificate.pk).update(token_mac="")
    make, code = FAILURES[case]
    bad = make(certificate, certificate.token)
    with CaptureQueriesContext(connection) as queries:
        result = token_verify(bad)
    assert (result.code, result.valid, result.certificate) == (code, False, None)
    assert result.message and result.status == ""
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    if code in ("token_malformed", "key_unknown"):  # refused before the register is read
        assert not any("licences_certificate" in q["sql"] for q in queries.captured_queries)


def test_a_retired_key_is_refused(certificate, token):
    assert token_verify(token).valid  # the key table is now cached
    key_retire(key=SigningKey.objects.get(kid=certificate.key_id))
    with CaptureQueriesContext(connection) as queries:
        result = token_verify(token)
    assert result.code == "key_retired" and "签名密钥已停用" in result.message
    assert not any("licences_certificate" in q["sql"] for q in queries.captured_queries)


def test_a_face_changed_in_the_register_is_caught(certificate, token):
    face = certificate.face | {"holder": "北京冒名餐饮有限公司"}
    Certificate.objects.filter(pk=certificate.pk).update(face=face)
    result = token_verify(token)
    assert result.code == "face_mismatch" and "证面信息与签发时不一致" in result.message


def test_the_city_root_does_not_sign_qr_codes(certificate):
    from onelicense.licences.keys import root_key

    root = root_key()
    assert token_verify(token_of(certificate, kid=root.kid)).code == "key_unknown"
    assert district_key(certificate.district).kid == certificate.key_id


@pytest.mark.parametrize(
    "text",
    ["http://127.0.0.1:8000/v/abc.def", "https://x.gov.cn/v/abc.def/current?x=1", " abc.def\n"],
)
def test_the_token_is_read_from_a_url_or_bare(text):
    assert token_from_text(text) == "abc.def"


@pytest.fixture
def signature_checks(monkeypatch):
    """How many ECDSA checks the test made."""
    calls = []
    check = Es256Verifier.verify

    def counted(self, signature, data):
        calls.append(1)
        return check(self, signature, data)

    monkeypatch.setattr(Es256Verifier, "verify", counted)
    return calls


def test_the_issued_token_is_recognised_by_its_mac_without_a_signature_check(
    certificate, signature_checks, django_assert_num_queries
):
    token_verify(certificate.token)  # the key table is now loaded
    signature_checks.clear()
    with django_assert_num_queries(1):
        result = token_verify(certificate.token)
    assert result.valid and result.certificate and result.certificate.id == certificate.pk
    assert signature_checks == []


@pytest.mark.parametrize("stored", ["", "0" * 64, "令牌"], ids=["none", "another", "not hex"])
def test_without_its_mac_the_issued_token_is_valid_by_its_signature(
    certificate, signature_checks, stored
):
    Certificate.objects.filter(pk=certificate.pk).update(token_mac=stored)
    assert token_verify(certificate.token).valid
    assert len(signature_checks) == 1


def test_a_changed_secret_falls_back_to_the_signature(certificate, signature_checks):
    with override_settings(SECRET_KEY="another-secret-key-for-the-next-deployment"):
        assert token_verify(certificate.token).valid
    assert len(signature_checks) == 1


def test_a_mac_vouches_for_its_own_token_only(certificate, token, signature_checks):
    # The row holds the MAC of another genuine token of the same certificate: that token is
    # recognised by it, the issued one by its signature, a forged one not at all.
    Certificate.objects.filter(pk=certificate.pk).update(token_mac=token_mac(token))
    assert token_verify(token).valid and signature_checks == []
    assert token_verify(certificate.token).valid and len(signature_checks) == 1
    assert token_verify(_flip_signature(certificate, token)).code == "token_forged"
    assert token_verify(_flip_signature(certificate, certificate.token)).code == "token_forged"


def _answer(token, **options):
    result = token_verify(token, **options)
    return dataclasses.replace(result, checked_at=datetime.datetime.min)


@pytest.mark.parametrize("case", [*FAILURES, "genuine", "replaced", "replaced, current"])
def test_the_mac_never_changes_an_answer(certificate, district_admin, case):
    # The same token, checked with the MAC (the secret the row's was made with) and without
    # it (another secret: every stored MAC differs): the same Verification, field by field.
    options = {}
    if case in FAILURES:
        token = FAILURES[case][0](certificate, certificate.token)
    else:
        token = certificate.token
        if case != "genuine":
            renewed(certificate, district_admin)
            options["current"] = case == "replaced, current"
    fast = _answer(token, **options)
    with override_settings(SECRET_KEY="another-secret-key-for-the-next-deployment"):
        assert _answer(token, **options) == fast
