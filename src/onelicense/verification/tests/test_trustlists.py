"""The signed trust list, and the import of another region's for mutual recognition (互认)."""

import copy
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse

from onelicense.core.errors import DomainError
from onelicense.licences.keys import Es256, key_retire, key_rotate, root_key
from onelicense.licences.models import SigningKey
from onelicense.licences.tokens import Claims, token_make
from onelicense.verification.documents import document_sign
from onelicense.verification.errors import VerificationError
from onelicense.verification.models import ForeignIssuer, ForeignIssuerKey
from onelicense.verification.services import token_verify
from onelicense.verification.trustlists import trust_list_build, trust_list_check, trust_list_import


def test_the_trust_list_is_signed_by_the_city_root(client, certificate):
    document = client.get("/api/v1/trust-list").json()
    root = root_key()
    payload = trust_list_check(document, root_pem=root.certificate_pem)
    assert document["kid"] == root.kid and document["alg"] == "ES256"
    assert payload["root"]["certificate_pem"] == root.certificate_pem
    (entry,) = payload["keys"]
    assert entry | {"created_at": None} == {
        "kid": certificate.key_id,
        "region": "110105",
        "region_name": "朝阳区",
        "signer_name": "北京市朝阳区政务服务管理局",
        "algorithm": "ES256",
        "public_key_pem": SigningKey.objects.get(kid=certificate.key_id).public_key_pem,
        "certificate_pem": SigningKey.objects.get(kid=certificate.key_id).certificate_pem,
        "status": "active",
        "created_at": None,
        "retired_at": None,
    }
    assert payload["issued_at"] < payload["next_update"]


def test_rotated_and_retired_keys_are_listed_as_such(certificate):
    old = SigningKey.objects.get(kid=certificate.key_id)
    new = key_rotate(district=certificate.district)
    payload = trust_list_check(trust_list_build())
    assert {k["kid"]: k["status"] for k in payload["keys"]} == {
        old.kid: "rotated",
        new.kid: "active",
    }
    key_retire(key=old)
    payload = trust_list_check(trust_list_build())
    retired = next(k for k in payload["keys"] if k["kid"] == old.kid)
    assert retired["status"] == "retired" and retired["retired_at"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["payload"]["keys"][0].update(status="active", region="110108"),
        lambda d: d["payload"].update(next_update="2099-01-01T00:00:00Z"),
        lambda d: d.update(signature=d["signature"][:-4] + "AAAA"),
    ],
)
def test_a_tampered_trust_list_does_not_verify(certificate, tamper):
    document = copy.deepcopy(trust_list_build())
    tamper(document)
    with pytest.raises(VerificationError) as caught:
        trust_list_check(document, root_pem=root_key().certificate_pem)
    assert caught.value.code == "document_forged"


def _pem(public: ec.EllipticCurvePublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


class Tianjin:
    """天津市's platform: a root and one district key, and its signed trust list."""

    def __init__(self, issued_at: str = "2026-11-01T00:00:00Z", retired: bool = False) -> None:
        self.root = ec.generate_private_key(ec.SECP256R1())
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.root_pem = _pem(self.root.public_key())
        self.kid = "tj-120101-20261101-a1b2c3"
        self.issued_at, self.retired = issued_at, retired

    def document(self, root: ec.EllipticCurvePrivateKey | None = None) -> dict[str, Any]:
        payload = {
            "type": "OneLicenseTrustList",
            "version": 1,
            "issuer": "天津市政务服务办公室",
            "region": "120000",
            "issued_at": self.issued_at,
            "next_update": "2026-11-02T00:00:00Z",
            "root": {"kid": "tj-root", "algorithm": "ES256", "public_key_pem": self.root_pem},
            "keys": [
                {
                    "kid": self.kid,
                    "region": "120101",
                    "signer_name": "天津市和平区政务服务办公室",
                    "algorithm": "ES256",
                    "public_key_pem": _pem(self.key.public_key()),
                    "status": "retired" if self.retired else "active",
                    "retired_at": "2026-11-01T00:00:00Z" if self.retired else None,
                }
            ],
        }
        return document_sign(payload, kid="tj-root", signer=Es256(root or self.root))

    def token(self) -> str:
        claims = Claims("TJ1201012026000007", 1, self.kid, "ab" * 16, 1_790_000_000, "120101", 7)
        return token_make(claims, Es256(self.key))


def test_a_foreign_list_imports_only_with_the_agreed_root(db):
    tianjin = Tianjin()
    with pytest.raises(DomainError) as caught:
        trust_list_import(tianjin.document(), expected_root_pem=root_key().public_key_pem)
    assert caught.value.code == "root_mismatch"
    forged = tianjin.document(root=ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(DomainError) as caught:
        trust_list_import(forged, expected_root_pem=tianjin.root_pem)
    assert caught.value.code == "document_forged"
    assert not ForeignIssuer.objects.exists() and not ForeignIssuerKey.objects.exists()

    issuer = trust_list_import(tianjin.document(), expected_root_pem=tianjin.root_pem, source="津")
    assert (issuer.name, issuer.region, issuer.keys.get().kid) == (
        "天津市政务服务办公室",
        "120000",
        tianjin.kid,
    )


def test_a_foreign_token_verifies_by_mutual_recognition(client, db):
    tianjin = Tianjin()
    assert token_verify(tianjin.token()).code == "key_unknown"
    trust_list_import(tianjin.document(), expected_root_pem=tianjin.root_pem)
    result = token_verify(tianjin.token())
    assert result.valid and result.recognised_from == "天津市政务服务办公室"
    html = client.get(reverse("verification:live", args=[tianjin.token()])).content.decode()
    assert "由天津市政务服务办公室签发，经互认核验" in html and "TJ1201012026000007" in html
    body = client.get(f"/api/v1/verify/{tianjin.token()}").json()
    assert body["valid"] and body["certificate"]["recognised_from"] == "天津市政务服务办公室"


def test_a_newer_list_replaces_the_keys_and_an_older_one_is_refused(db):
    tianjin = Tianjin()
    trust_list_import(tianjin.document(), expected_root_pem=tianjin.root_pem)
    tianjin.issued_at, tianjin.retired = "2026-11-02T00:00:00Z", True
    trust_list_import(tianjin.document(), expected_root_pem=tianjin.root_pem)
    assert token_verify(tianjin.token()).code == "key_retired"
    tianjin.issued_at = "2026-10-01T00:00:00Z"
    with pytest.raises(DomainError) as caught:
        trust_list_import(tianjin.document(), expected_root_pem=tianjin.root_pem)
    assert caught.value.code == "trust_list_outdated"


def test_our_own_list_cannot_be_imported_as_foreign(certificate):
    root = root_key()
    with pytest.raises(DomainError) as caught:
        trust_list_import(trust_list_build(), expected_root_pem=root.certificate_pem)
    assert caught.value.code == "kid_conflict"
