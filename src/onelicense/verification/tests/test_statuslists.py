"""Status lists: two bits per index, compressed and signed by the district's key."""

import pytest

from onelicense.core.errors import DomainError
from onelicense.licences import services as licences
from onelicense.licences.keys import Es256Verifier, root_key
from onelicense.licences.models import Permit, SigningKey
from onelicense.licences.tests.helpers import renewed
from onelicense.verification.documents import document_verify
from onelicense.verification.statuslists import (
    ENDED,
    MIN_SIZE,
    SUSPENDED,
    VALID,
    VOID,
    _values,
    bitstring,
    decode,
    status_at,
    status_list_build,
)


def read(document, index):
    return status_at(decode(document["payload"]["encoded_list"]), index)


def test_bits_sit_from_the_most_significant_end():
    data = bitstring([(0, VOID), (1, SUSPENDED), (5, ENDED)])
    assert len(data) * 4 == MIN_SIZE
    assert data[0] == 0b11_01_00_00 and data[1] == 0b00_10_00_00
    assert [status_at(data, i) for i in range(6)] == [VOID, SUSPENDED, 0, 0, 0, ENDED]


def test_the_list_shows_valid_suspended_revoked_permits_and_a_void_certificate(client, certificate):
    valid, suspended, revoked = Permit.objects.filter(application=certificate.application).order_by(
        "id"
    )
    licences.permit_change(permit=suspended, actor=None, operation="suspend", reason="整改")
    licences.permit_change(
        permit=revoked, actor=None, operation="revoke", reason="违法", legal_basis="《行政许可法》"
    )
    response = client.get("/api/v1/status-lists/110105")
    document = response.json()
    key = SigningKey.objects.get(kid=certificate.key_id)
    payload = document_verify(document, Es256Verifier(key.public_key_pem))
    assert document["kid"] == key.kid and response["Cache-Control"] == "public, max-age=300"
    assert (payload["list"], payload["bits"], payload["size"], payload["ttl"]) == (
        "110105",
        2,
        MIN_SIZE,
        300,
    )
    assert {p.status_list for p in (valid, suspended, revoked)} == {"110105"}
    assert read(document, valid.status_index) == VALID
    assert read(document, suspended.status_index) == SUSPENDED
    assert read(document, revoked.status_index) == ENDED
    assert read(document, certificate.status_index) == VOID
    assert len(response.content) < 2000  # 32 KB of bits, compressed


def test_a_replaced_version_reads_ended_and_its_successor_valid(certificate, district_admin):
    new = renewed(certificate, district_admin)
    document = status_list_build("110105")
    assert read(document, certificate.status_index) == ENDED
    assert read(document, new.status_index) == VALID


def test_the_values_are_read_in_one_query(certificate, django_assert_num_queries):
    with django_assert_num_queries(1):
        values = dict(_values("110105"))
    assert values[certificate.status_index] == VALID and len(values) == 4


def test_the_city_bodies_list_is_signed_by_the_root(client, db):
    document = client.get("/api/v1/status-lists/110000").json()
    assert document["kid"] == root_key().kid
    document_verify(document, Es256Verifier(root_key().public_key_pem))


def test_a_district_without_a_key_gets_a_root_signed_list_and_no_key(client, db):
    document = client.get("/api/v1/status-lists/110108").json()
    assert document["kid"] == root_key().kid and not SigningKey.objects.exclude(district=None)
    assert document["payload"]["issuer"] == "北京市海淀区政务服务管理局"


def test_an_unknown_list_is_404(client, db):
    response = client.get("/api/v1/status-lists/999999")
    assert response.status_code == 404 and response.json()["code"] == "status_list_unknown"
    assert client.get("/api/v1/status-lists/abc").status_code == 422
    with pytest.raises(DomainError):
        status_list_build("999999")
