"""The live page a phone opens from the QR code, by anyone (anonymous or signed in)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from onelicense.licences import services as licences
from onelicense.licences.keys import key_retire
from onelicense.licences.models import Permit, SigningKey
from onelicense.licences.tests.helpers import renewed
from onelicense.verification.tests.conftest import token_of
from onelicense.verification.tests.test_services import FAILURES


def page(client, token, name="verification:live"):
    return client.get(reverse(name, args=[token]))


def test_the_qr_url_opens_the_live_page(certificate, token):
    assert licences.verify_url(token).endswith(reverse("verification:live", args=[token]))


def test_a_valid_certificate_shows_its_face_and_each_permit(client, certificate, token):
    response = page(client, token)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ol-verdict--valid" in html and "有效" in html and "核验时间" in html
    face = certificate.face
    for value in (face["holder"], face["uscc"], face["legal_representative"], face["premises"]):
        assert value in html
    assert certificate.number in html and certificate.identifier in html and face["issuer"] in html
    for row in face["licensed"]:
        assert row["number"] in html and row["item"] in html
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response["X-Robots-Tag"] == "noindex"


def test_a_scan_sets_no_cookie_and_a_signed_in_scan_keeps_its_header(
    client, certificate, token, outsider
):
    anonymous = page(client, token)
    assert not anonymous.cookies
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()
    assert ">登录</a>" in anonymous.content.decode()

    client.force_login(outsider)
    signed_in = page(client, token).content.decode()
    assert ">退出</button>" in signed_in and ">登录</a>" not in signed_in
    assert 'name="csrfmiddlewaretoken"' in signed_in  # the sign-out form


def test_nothing_personal_beyond_the_face_is_shown(client, certificate, token, outsider):
    client.force_login(outsider)  # a signed-in stranger sees what anyone sees
    html = page(client, token).content.decode()
    face_values = {str(v) for v in certificate.face.values()}
    hidden = [
        str(v)
        for k, v in certificate.application.form_data.items()
        if str(v) not in face_values and ("id_number" in k or "phone" in k)
    ]
    assert hidden and not [v for v in hidden if v in html]


def test_a_suspended_permit_is_called_out_on_a_valid_certificate(client, certificate, token):
    permit = Permit.objects.filter(application=certificate.application).earliest("id")
    licences.permit_change(permit=permit, actor=None, operation="suspend", reason="限期整改")
    html = page(client, token).content.decode()
    assert "ol-verdict--valid" in html and "ol-permit--suspended" in html
    assert f"1 项单项证件暂扣（{permit.item.name}）" in html
    assert '<span class="ol-status ol-status--suspended">暂扣</span>' in html


def test_a_void_certificate_says_why_and_when(client, certificate, token):
    permit = Permit.objects.get(
        application=certificate.application, item__code="tobacco_retail_licence"
    )
    licences.permit_change(
        permit=permit,
        actor=None,
        operation="revoke",
        reason="违法经营",
        legal_basis="《烟草专卖法》",
    )
    html = page(client, token).content.decode()
    assert "ol-verdict--void" in html and "已作废" in html and "作废原因" in html
    assert f"{permit.name}已吊销" in html and "作废时间" in html
    assert "吊销" in html  # the permit's own live status


def test_a_replaced_version_links_to_the_current_one(client, certificate, token, district_admin):
    new = renewed(certificate, district_admin)
    html = page(client, token).content.decode()
    assert "ol-verdict--replaced" in html and "已换发为第 2 版" in html
    link = reverse("verification:current", args=[token])
    assert f'href="{link}"' in html
    current = client.get(link).content.decode()
    assert "ol-verdict--valid" in current and "以下为现行第 2 版" in current
    assert new.identifier in current
    assert "ol-verdict--valid" in page(client, token_of(new)).content.decode()


HEADINGS = {
    "token_forged": "签名无效",
    "token_malformed": "无法识别二维码",
    "key_unknown": "无法确认签发机关",
    "certificate_not_found": "未找到凭证",
    "token_mismatch": "二维码与凭证登记不符",
    "face_mismatch": "证面信息不一致",
}


@pytest.mark.parametrize("case", FAILURES)
def test_each_failure_is_its_own_page_state(client, certificate, token, case):
    make, code = FAILURES[case]
    html = page(client, make(certificate, token)).content.decode()
    assert "ol-verdict--error" in html and HEADINGS[code] in html and code in html
    assert certificate.face["holder"] not in html  # nothing of an untrusted certificate


def test_a_retired_key_page_says_so(client, certificate, token):
    key_retire(key=SigningKey.objects.get(kid=certificate.key_id))
    html = page(client, token).content.decode()
    assert "签名密钥已停用" in html and "key_retired" in html


def test_the_page_takes_a_fixed_number_of_queries(
    client, certificate, token, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):  # the key table (2 queries) on the first scan
        page(client, token)
    with django_assert_num_queries(1):  # the certificate with its entries and their permits
        page(client, token)


def test_the_page_is_rate_limited_per_address(client, certificate, token, settings):
    settings.ONELICENSE_VERIFY_RATE = "3/10"
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        for _ in range(3):
            assert page(client, token).status_code == 200
        refused = page(client, token)
        assert refused.status_code == 429 and refused["Retry-After"] == "10"
        assert "请求过于频繁" in refused.content.decode()
        other = client.get(reverse("verification:live", args=[token]), REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 200
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, 11, tzinfo=datetime.UTC)):
        assert page(client, token).status_code == 200


def test_a_pasted_qr_text_opens_its_page(client, token):
    response = client.get(reverse("verification:lookup"), {"code": f"http://x/v/{token}"})
    assert response.status_code == 302 and response["Location"] == f"/v/{token}"
    empty = client.get(reverse("verification:lookup"), {"code": " "})
    assert "请粘贴二维码的内容" in empty.content.decode()
    assert "ol-form-group--error" not in client.get(reverse("verification:lookup")).content.decode()
