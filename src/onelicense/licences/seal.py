"""The district's e-seal: a PAdES signature (pyHanko, ECDSA P-256) over the certificate's PDF.

Any change to the signed file breaks the signature. The signature field lies over the seal
drawn on the page (`pdf.SEAL_BOX`); its own appearance only adds the signing time.
"""

from collections.abc import Iterator
from functools import lru_cache
from io import BytesIO

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from asn1crypto.pem import unarmor
from pyhanko import stamp
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec
from pyhanko.sign.general import as_signing_certificate_v2
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


class _SigningCertificate(CMSAttributeProvider):
    attribute_type = "signing_certificate_v2"

    def __init__(self, value: tsp.SigningCertificateV2) -> None:
        self.value = value

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return self.value


class _SealAttributes(SignedAttributeProviderSpec):
    """The signed attributes of a PAdES seal, as pyHanko's CAdES defaults give them with no
    signing time, commitment or timestamp: content type and message digest (added by pyHanko),
    and the ESS signing-certificate-v2 naming the key's certificate.

    That last value is the same on every seal of a key, so it is built once, from its DER.
    Built afresh, asn1crypto re-encodes its nested fields each time any enclosing value is
    written: ~15 ms of a ~20 ms seal."""

    def __init__(self, certificate: asn1_x509.Certificate) -> None:
        built = as_signing_certificate_v2(certificate)
        self.value = tsp.SigningCertificateV2.load(built.dump())

    def signed_attr_providers(
        self, data_digest: bytes, digest_algorithm: str
    ) -> Iterator[CMSAttributeProvider]:
        yield _SigningCertificate(self.value)


@lru_cache(maxsize=64)
def _signer(kid: str, certificate_pem: str) -> signers.SimpleSigner:
    certificate = _pem_cert(certificate_pem)
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(KeyStore().load(kid), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [_pem_cert(root_key().certificate_pem)]
        ),
    )
    signer.signed_attr_prov_spec = _SealAttributes(certificate)
    return signer


def signer_of(key: SigningKey) -> signers.SimpleSigner:
    """The pyHanko signer of a key, with the city root in its chain, made once per
    process (keys never change; a rotation makes a new key id)."""
    return _signer(key.kid, key.certificate_pem)


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
