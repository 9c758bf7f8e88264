"""Permits and certificates: issue, the e-seal, the QR token, void, reissue."""

import hashlib
import subprocess
from io import BytesIO

import pytest
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from onelicense.core.errors import DomainError
from onelicense.licences import services
from onelicense.licences.identifiers import identifier_valid
from onelicense.licences.keys import Es256Verifier, root_key
from onelicense.licences.models import Certificate, Permit, SigningKey
from onelicense.licences.seal import _pem_cert
from onelicense.licences.tests.helpers import renewed
from onelicense.licences.tokens import token_mac, token_read


def test_issue_signs_a_pdf_whose_qr_opens_the_live_page(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    assert identifier_valid(certificate.identifier)
    assert certificate.face["holder"] == completed.form_data["enterprise_name"]
    assert len(certificate.face["licensed"]) == 3 and certificate.face["unlicensed"] == []
    content = certificate.pdf.read()
    # The e-seal validates against the city root, and covers the whole file.
    status = validate_pdf_signature(
        PdfFileReader(BytesIO(content)).embedded_signatures[0],
        ValidationContext(trust_roots=[_pem_cert(root_key().certificate_pem)]),
    )
    assert (
        status.intact
        and status.valid
        and status.trusted
        and str(status.coverage) == "SignatureCoverageLevel.ENTIRE_FILE"
    )


def test_the_seal_names_its_certificate_in_its_signed_attributes(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    signature = PdfFileReader(BytesIO(certificate.pdf.read())).embedded_signatures[0]
    attributes = {a["type"].native: a["values"] for a in signature.signer_info["signed_attrs"]}
    # PAdES: no signing time among the signed attributes, the signer's certificate bound by hash.
    assert set(attributes) == {"content_type", "message_digest", "signing_certificate_v2"}
    key = SigningKey.objects.get(kid=certificate.key_id)
    der = _pem_cert(key.certificate_pem).dump()
    (ess,) = attributes["signing_certificate_v2"][0]["certs"]
    assert ess["cert_hash"].native == hashlib.sha256(der).digest()
    assert ess["issuer_serial"]["serial_number"].native == signature.signer_cert.serial_number
    assert signature.signer_cert.dump() == der


def test_the_qr_code_decodes_from_the_rendered_page(completed, district_admin, tmp_path):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    (tmp_path / "c.pdf").write_bytes(certificate.pdf.read())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "c.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    # What is drawn after the code is drawn in black: the first label, 统一社会信用代码,
    # shows on the page.
    with Image.open(page) as image:
        dots = 150 / 25.4
        label = image.convert("L").crop(
            (int(22 * dots), int(60 * dots), int(55 * dots), int(67 * dots))
        )
        assert sum(label.histogram()[:100]) > 0  # some of its pixels are dark
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded.startswith("http://127.0.0.1:8000/v/")
    key = SigningKey.objects.get(kid=certificate.key_id)
    claims = token_read(decoded.rsplit("/", 1)[1], Es256Verifier(key.public_key_pem))
    assert (claims.number, claims.version) == (certificate.number, 1)
    assert claims.digest == certificate.face_digest[:32]


def test_a_changed_byte_breaks_the_seal(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    content = bytearray(certificate.pdf.read())
    at = content.index(b"/Title") + 10
    content[at] = content[at] ^ 0x01
    status = validate_pdf_signature(
        PdfFileReader(BytesIO(bytes(content))).embedded_signatures[0],
        ValidationContext(trust_roots=[_pem_cert(root_key().certificate_pem)]),
    )
    assert not status.intact


def test_revoking_a_permit_voids_and_recovers_the_certificate(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    permit = Permit.objects.get(application=completed, item__code="tobacco_retail_licence")
    with pytest.raises(DomainError) as caught:
        services.permit_change(permit=permit, actor=None, operation="revoke", reason="违法经营")
    assert caught.value.code == "legal_basis_required"
    services.permit_change(
        permit=permit,
        actor=None,
        operation="revoke",
        reason="违法经营",
        legal_basis="《烟草专卖法》第三十二条",
    )
    certificate.refresh_from_db()
    assert services.certificate_status(certificate) == Certificate.Status.VOID
    assert certificate.voided_at is not None and certificate.recovered_at is not None
    with pytest.raises(DomainError) as caught:
        services.certificate_reissue(certificate=certificate, admin=district_admin, reason="再发")
    assert caught.value.code == "certificate_void"


def test_a_suspended_permit_keeps_the_certificate_valid(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    permit = Permit.objects.get(application=completed, item__code="tobacco_retail_licence")
    services.permit_change(permit=permit, actor=None, operation="suspend", reason="限期整改")
    assert services.certificate_status(certificate) == Certificate.Status.VALID
    services.permit_change(permit=permit, actor=None, operation="restore", reason="整改完成")
    with pytest.raises(DomainError):
        services.permit_change(permit=permit, actor=None, operation="restore", reason="again")


def test_issue_and_reissue_store_each_token_with_its_mac(completed, district_admin):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    certificate.refresh_from_db()
    assert certificate.token and certificate.token_mac == token_mac(certificate.token)
    new = renewed(certificate, district_admin)
    new.refresh_from_db()
    assert new.token != certificate.token and new.token_mac == token_mac(new.token)
    certificate.refresh_from_db()
    assert certificate.token_mac == token_mac(certificate.token)  # the old version keeps its own
