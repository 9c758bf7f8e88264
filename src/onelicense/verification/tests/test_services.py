"""token_verify: the live status of a genuine token, and one code for each way a token fails."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onelicense.licences import services as licences
from onelicense.licences.keys import district_key, key_retire, key_rotate
from onelicense.licences.models import Certificate, Permit, SigningKey
from onelicense.verification.services import token_from_text, token_verify
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
    assert [row.status_label for row in result.items if row.permit_number == permit.number] == [
        "暂扣"
    ]


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


def renewed(certificate, admin) -> Certificate:
    """换发 after a permit's validity is extended: the face changes, nothing is voided."""
    permit = Permit.objects.filter(application=certificate.application).earliest("id")
    licences.permit_change(
        permit=permit,
        actor=None,
        operation="renew",
        reason="延续",
        valid_until=datetime.date(2099, 12, 31),
    )
    return licences.certificate_reissue(certificate=certificate, admin=admin, reason="有效期延续")


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


FAILURES = {
    "signature flipped": (_flip_signature, "token_forged"),
    "payload swapped": (_other_payload, "token_forged"),
    "truncated": (lambda c, t: t[: len(t) // 2], "token_malformed"),
    "payload byte flipped": (lambda c, t: ("A" if t[0] != "A" else "B") + t[1:], "token_malformed"),
    "garbage": (lambda c, t: "hello", "token_malformed"),
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
}


@pytest.mark.parametrize("case", FAILURES)
def test_each_bad_token_has_its_own_code_and_writes_nothing(certificate, token, case):
    make, code = FAILURES[case]
    bad = make(certificate, token)
    with CaptureQueriesContext(connection) as queries:
        result = token_verify(bad)
    assert (result.code, result.valid, result.certificate) == (code, False, None)
    assert result.message and result.status == ""
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)


def test_a_retired_key_is_refused(certificate, token):
    assert token_verify(token).valid  # the key table is now cached
    key_retire(key=SigningKey.objects.get(kid=certificate.key_id))
    result = token_verify(token)
    assert result.code == "key_retired" and "签名密钥已停用" in result.message


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
