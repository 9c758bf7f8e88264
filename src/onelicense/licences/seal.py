"""The district's e-seal: a PAdES signature (pyHanko, ECDSA P-256) over the certificate's PDF.

Any change to the signed file breaks the signature. The signature field lies over the seal
drawn on the page (`pdf.SEAL_BOX`); its own appearance only adds the signing time.
"""

from functools import lru_cache
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from asn1crypto.pem import unarmor
from pyhanko import stamp
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from onelicense.licences.keys import KeyStore, root_key
from onelicense.licences.models import SigningKey
from onelicense.licences.pdf import SEAL_BOX

FIELD = "DistrictSeal"


def _pem_cert(pem: str) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(pem_to_der(pem))


def pem_to_der(pem: str) -> bytes:
    _, _, der = unarmor(pem.encode())
    return bytes(der)


@lru_cache(maxsize=64)
def _signer(kid: str, certificate_pem: str, root_pem: str) -> signers.SimpleSigner:
    return signers.SimpleSigner(
        signing_cert=_pem_cert(certificate_pem),
        signing_key=load_private_key_from_pemder_data(KeyStore().load(kid), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [_pem_cert(root_pem)]
        ),
    )


def signer_of(key: SigningKey) -> signers.SimpleSigner:
    """The pyHanko signer of a key, parsed once per process (keys never change; a rotation
    makes a new key id)."""
    return _signer(key.kid, key.certificate_pem, root_key().certificate_pem)


def pdf_seal(pdf: bytes, key: SigningKey) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    fields.append_signature_field(
        writer, fields.SigFieldSpec(sig_field_name=FIELD, on_page=0, box=SEAL_BOX)
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="综合许可凭证电子印章",
        location="北京",
    )
    # The seal is drawn on the page; the field's own appearance stays empty.
    style = stamp.TextStampStyle(stamp_text=" ", border_width=0, background=None)
    out = BytesIO()
    # Reserving room for the signature up front saves pyHanko a dry run to measure it
    # (one signing pass instead of two); 8 KiB holds a P-256 CMS with its chain.
    signers.PdfSigner(meta, signer=signer_of(key), stamp_style=style).sign_pdf(
        writer, output=out, bytes_reserved=8192
    )
    return out.getvalue()
