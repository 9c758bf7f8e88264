"""The data migrations of licences, run as functions on today's models."""

import importlib

from django.apps import apps

from onelicense.licences import services
from onelicense.licences.keys import signer_for
from onelicense.licences.models import Certificate, SigningKey
from onelicense.licences.tokens import Claims, token_mac, token_make

token_mac_migration = importlib.import_module(
    "onelicense.licences.migrations.0004_certificate_token_mac"
)


def _copy(certificate: Certificate, n: int, token: str) -> Certificate:
    """Another row like `certificate` (the constraints' columns changed), holding `token`."""
    copy = Certificate.objects.get(pk=certificate.pk)
    copy.pk = None
    copy.number = f"{certificate.number[:-3]}{900 + n}"
    copy.identifier = f"{certificate.identifier}.{n}"
    copy.status_index = certificate.status_index + 1000 + n
    copy.token, copy.token_mac = token, ""
    copy.save()
    return copy


def _signed(certificate: Certificate, number: str) -> str:
    key = SigningKey.objects.get(kid=certificate.key_id)
    claims = Claims(
        number,
        1,
        key.kid,
        certificate.face_digest,
        int(certificate.issued_at.timestamp()),
        certificate.status_list,
        certificate.status_index,
    )
    return token_make(claims, signer_for(key))


def test_the_backfill_gives_each_genuine_token_its_mac_in_batches(
    completed, district_admin, monkeypatch
):
    certificate = services.certificate_issue(application=completed, admin=district_admin)
    genuine = [_copy(certificate, n, _signed(certificate, f"N{n}")) for n in range(5)]
    signature = certificate.token.split(".")[1]
    forged = _copy(certificate, 5, f"{_signed(certificate, 'N5').split('.')[0]}.{signature}")
    malformed = _copy(certificate, 6, "hello")
    untokened = _copy(certificate, 7, "")
    Certificate.objects.filter(pk=certificate.pk).update(token_mac="")
    monkeypatch.setattr(token_mac_migration, "CHUNK", 2)  # full batches and a remainder

    token_mac_migration.token_macs_fill(apps, None)

    macs = dict(Certificate.objects.values_list("pk", "token_mac"))
    for row in [certificate, *genuine]:
        assert macs[row.pk] == token_mac(row.token)
    assert [macs[row.pk] for row in (forged, malformed, untokened)] == ["", "", ""]
