"""Offline verification: the same answers as the live page, from files, without the database."""

import datetime
import json

import pytest

from onelicense.licences import services as licences
from onelicense.licences.keys import key_retire, root_key
from onelicense.licences.models import Permit, SigningKey
from onelicense.verification.offline import cli_verify, verify_offline
from onelicense.verification.services import token_verify
from onelicense.verification.statuslists import status_list_build
from onelicense.verification.trustlists import trust_list_build


@pytest.fixture
def documents(certificate):
    return trust_list_build(), {"110105": status_list_build("110105")}


def test_a_qr_text_checks_out_like_the_live_page(
    certificate, token, documents, django_assert_num_queries
):
    trust, lists = documents
    url, root_pem = licences.verify_url(token), root_key().certificate_pem
    with django_assert_num_queries(0):
        result = verify_offline(url, trust_list=trust, status_lists=lists, root_pem=root_pem)
    assert result.ok and result.status == "valid" == token_verify(token).status
    assert result.claims and result.status_list_age is not None
    assert (result.claims.number, result.claims.version) == (certificate.number, 1)
    assert result.signer_name == certificate.face["issuer"]
    assert not result.status_list_stale and result.status_list_age < datetime.timedelta(minutes=1)


def test_a_void_certificate_reads_void_from_a_fresh_list(certificate, token):
    permit = Permit.objects.filter(application=certificate.application).earliest("id")
    licences.permit_change(
        permit=permit,
        actor=None,
        operation="annul",
        reason="虚假材料",
        legal_basis="《行政许可法》第六十九条",
    )
    result = verify_offline(
        token, trust_list=trust_list_build(), status_lists={"110105": status_list_build("110105")}
    )
    assert (result.ok, result.status, result.code) == (False, "void", "certificate_void")
    assert token_verify(token).status == "void"


def test_an_old_list_says_how_old_it_is(token, documents):
    trust, lists = documents
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
    result = verify_offline(token, trust_list=trust, status_lists=lists, now=later)
    assert result.ok and result.status_list_stale
    assert any("已过期" in line and "分钟前" in line for line in result.lines())


def test_without_a_status_list_only_the_signature_is_checked(token, documents):
    result = verify_offline(token, trust_list=documents[0])
    assert result.ok and result.status == ""
    assert any("未核对实时状态" in line for line in result.lines())
    assert any("未指定 --root" in line for line in result.lines())


def test_offline_refuses_what_online_refuses(certificate, token, documents):
    trust = documents[0]
    assert verify_offline(token[:30], trust_list=trust).code == "token_malformed"
    key_retire(key=SigningKey.objects.get(kid=certificate.key_id))
    assert verify_offline(token, trust_list=trust_list_build()).code == "key_retired"
    assert token_verify(token).code == "key_retired"


def test_a_tampered_trust_or_status_list_is_refused(token, documents):
    trust, lists = documents
    bad = json.loads(json.dumps(trust))
    bad["payload"]["next_update"] = "2099-01-01T00:00:00Z"
    assert verify_offline(token, trust_list=bad).code == "document_forged"
    other_root = bad["payload"]["keys"][0]["public_key_pem"]
    assert verify_offline(token, trust_list=trust, root_pem=other_root).code == "root_mismatch"
    status = json.loads(json.dumps(lists["110105"]))
    status["payload"]["ttl"] = 10**9
    result = verify_offline(token, trust_list=trust, status_lists={"110105": status})
    assert result.code == "document_forged" and result.message.startswith("状态列表")


def test_the_pdf_gives_the_same_answer_as_online(certificate, token, documents, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.pdf.read())
    trust, lists = documents
    result = verify_offline(
        path, trust_list=trust, status_lists=lists, root_pem=root_key().certificate_pem
    )
    assert result.pdf and result.claims
    assert result.ok and result.pdf.good and result.pdf.signer_kid == certificate.key_id
    online = token_verify(token)
    assert online.certificate
    assert (result.status, result.claims.number, result.claims.version) == (
        online.status,
        online.certificate.number,
        online.certificate.version,
    )


def test_a_changed_pdf_byte_is_detected(certificate, documents, tmp_path):
    content = bytearray(certificate.pdf.read())
    at = content.index(b"/Title") + 10
    content[at] ^= 0x01
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(content))
    result = verify_offline(path, trust_list=documents[0])
    assert not result.ok and result.code == "pdf_signature_invalid"
    assert result.pdf is not None and not result.pdf.intact


def test_the_command_prints_the_answer_in_chinese(certificate, token, documents, tmp_path, capsys):
    trust, lists = documents
    (tmp_path / "trust.json").write_text(json.dumps(trust), "utf-8")
    (tmp_path / "110105.json").write_text(json.dumps(lists["110105"]), "utf-8")
    (tmp_path / "root.pem").write_text(root_key().certificate_pem, "utf-8")
    argv = [
        licences.verify_url(token),
        "--trust-list",
        str(tmp_path / "trust.json"),
        "--status-list",
        str(tmp_path / "110105.json"),
        "--root",
        str(tmp_path / "root.pem"),
    ]
    assert cli_verify(argv) == 0
    out = capsys.readouterr().out
    assert "结论：有效" in out and certificate.number in out and "凭证状态（状态列表）：有效" in out
    assert cli_verify(["garbage", "--trust-list", str(tmp_path / "trust.json")]) == 1
    assert "token_malformed" in capsys.readouterr().out
    assert cli_verify(["x", "--trust-list", str(tmp_path / "missing.json")]) == 2
    assert cli_verify([token, "--trust-list", str(tmp_path / "trust.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["number"] == certificate.number
