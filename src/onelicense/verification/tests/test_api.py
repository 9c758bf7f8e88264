"""GET /api/v1/verify/{token}: the same conclusions as the live page, as JSON."""

import datetime
from email.utils import parsedate_to_datetime

import time_machine
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from onelicense.licences import services as licences
from onelicense.licences.models import Permit
from onelicense.licences.tests.helpers import renewed
from onelicense.verification.schemas import VerifyOut
from onelicense.verification.tests.conftest import token_of


def verify(client, token, **extra):
    return client.get(f"/api/v1/verify/{token}", **extra)


def test_a_valid_certificate_answers_with_its_items(client, certificate, token):
    body = verify(client, token).json()
    assert body["valid"] is True and body["status"] == "valid" and body["code"] is None
    face = certificate.face
    assert body["certificate"] | {"issued_at": None} == {
        "number": certificate.number,
        "version": 1,
        "identifier": certificate.identifier,
        "issuer": face["issuer"],
        "issued_at": None,
        "holder": face["holder"],
        "uscc": face["uscc"],
        "industry": face["industry"],
        "current_version": 1,
        "recognised_from": None,
    }
    assert [i["permit_number"] for i in body["items"]] == [r["number"] for r in face["licensed"]]
    assert {i["status"] for i in body["items"]} == {"valid"} and body["unlicensed"] == []
    assert body["checked_at"]


def test_every_answer_matches_the_published_schema(client, certificate, token, district_admin):
    """The answer is built as plain data for speed; the OpenAPI schema must still describe it."""
    answers = [verify(client, token).json(), verify(client, token[:-4] + "AAAA").json()]
    renewed(certificate, district_admin)
    answers.append(verify(client, token).json())
    for body in answers:
        parsed = VerifyOut.model_validate(body)  # raises on a missing or mistyped field
        assert set(body) == set(parsed.model_fields_set) == set(VerifyOut.model_fields)
        if parsed.certificate is not None:
            assert set(body["certificate"]) == set(type(parsed.certificate).model_fields)
        for item, row in zip(parsed.items, body["items"], strict=True):
            assert set(row) == set(type(item).model_fields)
    assert [body["code"] for body in answers] == [None, "token_forged", "certificate_replaced"]


def test_void_and_replaced_answer_not_valid_with_a_reason(
    client, certificate, token, district_admin
):
    new = renewed(certificate, district_admin)
    body = verify(client, token).json()
    assert (body["valid"], body["status"], body["code"]) == (
        False,
        "replaced",
        "certificate_replaced",
    )
    assert body["certificate"]["current_version"] == 2
    permit = Permit.objects.get(application=new.application, item__code="tobacco_retail_licence")
    licences.permit_change(
        permit=permit,
        actor=None,
        operation="revoke",
        reason="违法经营",
        legal_basis="《烟草专卖法》",
    )
    body = verify(client, token_of(new)).json()
    assert (body["valid"], body["status"], body["code"]) == (False, "void", "certificate_void")
    assert "吊销" in body["message"]
    assert [i["status"] for i in body["items"] if i["permit_number"] == permit.number] == [
        "revoked"
    ]


def test_an_untrusted_token_answers_with_its_code_only(client, certificate, token):
    body = verify(client, token[:40]).json()
    assert body["valid"] is False and body["status"] is None
    assert (
        body["code"] == "token_malformed"
        and body["message"] == "二维码内容不完整或已损坏，无法识别"
    )
    assert body["certificate"] is None and body["items"] == []


def test_the_api_is_rate_limited_with_retry_after(client, token, settings):
    settings.ONELICENSE_VERIFY_RATE = "2/10"
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        assert verify(client, token).status_code == 200
        with time_machine.travel(
            datetime.datetime(2026, 12, 1, 9, 0, 4, tzinfo=datetime.UTC), tick=False
        ):
            assert verify(client, token).status_code == 200
            refused = verify(client, token)
    assert refused.status_code == 429 and refused["Retry-After"] == "6"
    assert refused.json() == {
        "code": "rate_limited",
        "message": "请求过于频繁，请稍后再试",
        "fields": {},
    }


def test_the_openapi_document_lists_the_verification_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/verify/{token}",
        "/api/v1/trust-list",
        "/api/v1/status-lists/{list_code}",
    } <= set(paths)


def test_an_answer_is_live_never_cached_nor_indexed(client, token):
    """The headers Django's add_never_cache_headers writes, on the API as on the page."""
    expected = HttpResponse()
    add_never_cache_headers(expected)

    response = verify(client, token)

    assert response["Cache-Control"] == expected["Cache-Control"]
    assert abs(parsedate_to_datetime(response["Expires"]) - timezone.now()).total_seconds() < 5
    assert response["X-Robots-Tag"] == "noindex"
