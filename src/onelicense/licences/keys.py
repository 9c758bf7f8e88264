"""Signing keys: made per district on first use, rotated, retired; private halves in a key store.

ECDSA P-256 is the default (PDF signatures validate in pyHanko and poppler); SM2 with SM3
(国密) is available behind the same interface through tongsuopy.
"""

import datetime
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onelicense.accounts.models import District
from onelicense.licences.models import SigningKey

ROOT_NAME = "北京市政务服务和数据管理局 电子证照根证书"


class Signer(Protocol):
    @property
    def algorithm(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...


class Verifier(Protocol):
    def verify(self, signature: bytes, data: bytes) -> bool: ...


class KeyStore:
    """Private keys as PEM files (0600) under DATA_DIR/keys, named by key id."""

    def __init__(self) -> None:
        self.root = Path(settings.DATA_DIR) / "keys"

    def path(self, kid: str) -> Path:
        return self.root / f"{kid}.pem"

    def save(self, kid: str, pem: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.path(kid)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)

    def load(self, kid: str) -> bytes:
        return self.path(kid).read_bytes()


class Es256:
    """ECDSA P-256 with SHA-256; signatures raw r‖s (64 bytes), as JOSE and COSE carry them."""

    algorithm: str = SigningKey.Algorithm.ES256

    def __init__(self, private: ec.EllipticCurvePrivateKey) -> None:
        self.private = private

    def sign(self, data: bytes) -> bytes:
        r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


class Es256Verifier:
    def __init__(self, public_pem: str) -> None:
        key = serialization.load_pem_public_key(public_pem.encode())
        assert isinstance(key, ec.EllipticCurvePublicKey)
        self.public = key

    def verify(self, signature: bytes, data: bytes) -> bool:
        if len(signature) != 64:
            return False
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            self.public.verify(der, data, ec.ECDSA(hashes.SHA256()))
        except Exception:  # cryptography raises InvalidSignature; anything else is no better
            return False
        return True


class Sm2:
    algorithm: str = SigningKey.Algorithm.SM2

    def __init__(self, private_pem: bytes) -> None:
        from tongsuopy.crypto import serialization as sm_serialization

        self.private = sm_serialization.load_pem_private_key(private_pem, password=None)

    def sign(self, data: bytes) -> bytes:
        from tongsuopy.crypto import hashes as sm_hashes
        from tongsuopy.crypto.asymciphers import ec as sm_ec

        return bytes(self.private.sign(data, sm_ec.ECDSA(sm_hashes.SM3())))


class Sm2Verifier:
    def __init__(self, public_pem: str) -> None:
        from tongsuopy.crypto import serialization as sm_serialization

        self.public = sm_serialization.load_pem_public_key(public_pem.encode())

    def verify(self, signature: bytes, data: bytes) -> bool:
        from tongsuopy.crypto import hashes as sm_hashes
        from tongsuopy.crypto.asymciphers import ec as sm_ec

        try:
            self.public.verify(signature, data, sm_ec.ECDSA(sm_hashes.SM3()))
        except Exception:  # tongsuopy's InvalidSignature, or a malformed DER
            return False
        return True


def verifier_for(algorithm: str, public_pem: str) -> Verifier:
    if algorithm == SigningKey.Algorithm.SM2:
        return Sm2Verifier(public_pem)
    return Es256Verifier(public_pem)


def signer_for(key: SigningKey) -> Signer:
    return _signer(key.kid, key.algorithm)


@lru_cache(maxsize=64)
def _signer(kid: str, algorithm: str) -> Signer:
    """Loaded once per process: a key id's private key never changes."""
    pem = KeyStore().load(kid)
    if algorithm == SigningKey.Algorithm.SM2:
        return Sm2(pem)
    private = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return Es256(private)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "北京市人民政府"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(
    subject: str,
    public: ec.EllipticCurvePublicKey,
    issuer: str,
    signer: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
    years: int,
) -> x509.Certificate:
    now = timezone.now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(signer, hashes.SHA256())


def _new_kid(prefix: str) -> str:
    return f"{prefix}-{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"


@transaction.atomic
def root_key() -> SigningKey:
    """The city's root, which certifies every district key (made once)."""
    existing = SigningKey.objects.filter(district=None, active=True).first()
    if existing:
        return existing
    private = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(ROOT_NAME, private.public_key(), ROOT_NAME, private, ca=True, years=20)
    return _store(private, district=None, cert=cert, prefix="bj-root")


def _store(
    private: ec.EllipticCurvePrivateKey,
    *,
    district: District | None,
    cert: x509.Certificate,
    prefix: str,
) -> SigningKey:
    kid = _new_kid(prefix)
    KeyStore().save(
        kid,
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return SigningKey.objects.create(
        kid=kid,
        district=district,
        algorithm=SigningKey.Algorithm.ES256,
        public_key_pem=public_pem,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
    )


def _root_private(root: SigningKey) -> ec.EllipticCurvePrivateKey:
    private = serialization.load_pem_private_key(KeyStore().load(root.kid), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    return private


def district_key(district: District, algorithm: str = SigningKey.Algorithm.ES256) -> SigningKey:
    """The district's active key, made (and certified by the root) on first use.

    Read without a lock: a key is never changed but by a rotation, which makes a new one, and
    what the previous key signed still verifies until it is retired."""
    key = SigningKey.objects.filter(district=district, algorithm=algorithm, active=True).first()
    return key or key_rotate(district=district, algorithm=algorithm)


@transaction.atomic
def key_rotate(*, district: District, algorithm: str = SigningKey.Algorithm.ES256) -> SigningKey:
    """A new active key; the previous one still verifies what it signed until retired."""
    SigningKey.objects.filter(district=district, algorithm=algorithm, active=True).update(
        active=False
    )
    prefix = f"bj-{district.code}"
    if algorithm == SigningKey.Algorithm.SM2:
        return _sm2_create(district, prefix)
    root = root_key()
    private = ec.generate_private_key(ec.SECP256R1())
    subject = f"北京市{district.name}政务服务管理局"
    cert = _certificate(
        subject, private.public_key(), ROOT_NAME, _root_private(root), ca=False, years=5
    )
    return _store(private, district=district, cert=cert, prefix=prefix)


def _sm2_create(district: District, prefix: str) -> SigningKey:
    from tongsuopy.crypto import serialization as sm_serialization
    from tongsuopy.crypto.asymciphers import ec as sm_ec

    private = sm_ec.generate_private_key(sm_ec.SM2())
    kid = _new_kid(f"{prefix}-sm2")
    KeyStore().save(
        kid,
        private.private_bytes(
            sm_serialization.Encoding.PEM,
            sm_serialization.PrivateFormat.PKCS8,
            sm_serialization.NoEncryption(),
        ),
    )
    public_pem = (
        private.public_key()
        .public_bytes(
            sm_serialization.Encoding.PEM, sm_serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )
    return SigningKey.objects.create(
        kid=kid, district=district, algorithm=SigningKey.Algorithm.SM2, public_key_pem=public_pem
    )


@transaction.atomic
def key_retire(*, key: SigningKey) -> SigningKey:
    """Stop trusting a key: what it signed no longer verifies (a compromise, or its end)."""
    key.active = False
    key.retired_at = timezone.now()
    key.save(update_fields=["active", "retired_at"])
    return key
