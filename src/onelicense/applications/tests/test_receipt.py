"""The acceptance notice (受理通知书) and the refusal decision (不予受理决定书) as A4 PDFs:
their facts, the embedded font, and who may download them."""

import datetime
import re
from io import BytesIO
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from onelicense.applications import pdf, services
from onelicense.applications.models import Application
from onelicense.applications.tests.factories import submitted
from onelicense.catalogue.models import ItemMaterial

pytestmark = pytest.mark.usefixtures("small_catalogue")

A4_POINTS = (595, 842)
# Accepted on Monday 2 March 2026 at 10:00 in Beijing: the food licence's 10 promised working
# days end on 16 March; a deferred material is due 5 working days on, on 9 March.
ACCEPTED_AT = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)


def _read(content: bytes) -> tuple[PdfReader, str]:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(content))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    return reader, text


def _embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).get_object().values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(
                    key in descriptor.get_object() for key in ("/FontFile", "/FontFile2")
                ):
                    names.add(str(font["/BaseFont"]))
    return names


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded materials go to the test's own folder, not the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name: str, application: Application) -> str:
    return reverse(f"window:{name}", args=[application.code])


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def accepted(applicant, clerk) -> Application:
    application = submitted(applicant)
    with time_machine.travel(ACCEPTED_AT):
        return services.application_accept(application=application, clerk=clerk)


@pytest.fixture
def refused(applicant, clerk) -> Application:
    return services.application_refuse(
        application=submitted(applicant),
        clerk=clerk,
        reason="申请经营的场所位于海淀区，不属于本机关受理范围",
        legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
    )


class TestReceipt:
    def test_is_an_a4_pdf_served_inline_with_a_chinese_filename(self, client, clerk, accepted):
        _as(client, clerk)

        response = client.get(_url("receipt", accepted))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith(f'inline; filename="receipt-{accepted.number}.pdf"; ')
        assert quote(f"受理通知书-{accepted.number}.pdf") in disposition
        reader, _ = _read(response.content)
        page = reader.pages[0]
        assert tuple(round(float(side)) for side in page.mediabox[2:]) == A4_POINTS

    def test_embeds_the_cjk_font(self, accepted):
        reader, _ = _read(pdf.receipt_pdf(accepted))

        embedded = _embedded_fonts(reader)
        assert any(re.search(r"OneLicenseCJK|WenQuanYi", name) for name in embedded), embedded

    def test_carries_the_number_applicant_items_and_promised_date(self, accepted):
        _, text = _read(pdf.receipt_pdf(accepted))

        assert "受理通知书" in text
        assert accepted.number in text
        assert "受理日期2026年3月2日" in text
        assert "北京味道餐饮有限公司" in text
        assert "91110000600037341L" in text
        assert "餐饮店" in text
        assert "朝阳区政务服务管理局综合窗口" in text
        assert "clerk_chaoyang" in text
        for entry in accepted.items.select_related("item"):
            assert entry.item.name in text
        assert "朝阳区市场监督管理局" in text
        assert "朝阳区消防救援支队" in text
        assert "一般程序" in text
        assert "20个工作日" in text  # the food licence's statutory limit
        assert "承诺办结日期2026年3月16日" in text
        assert accepted.promised_date == datetime.date(2026, 3, 16)

    def test_lists_the_materials_received_tracking_and_remedies(self, accepted):
        _, text = _read(pdf.receipt_pdf(accepted))

        assert "已收材料" in text
        for name in ["营业执照", "经营场所使用证明", "经营场所平面布局图", "消防安全告知承诺书"]:
            assert name in text
        assert "容缺材料" not in text
        assert "我的申请" in text
        assert "60日内申请行政复议" in text
        assert "6个月内依法向人民法院提起行政诉讼" in text
        assert "北京市朝阳区人民政府" in text
        assert "北京市消防救援总队" in text

    def test_lists_deferred_materials_with_their_due_date(self, applicant, clerk):
        ItemMaterial.objects.filter(material__code="food_safety_rules").update(deferrable=True)
        application = submitted(applicant, skip=("food_safety_rules",))
        with time_machine.travel(ACCEPTED_AT):
            application = services.application_accept(
                application=application, clerk=clerk, deferred=["food_safety_rules"]
            )

        _, text = _read(pdf.receipt_pdf(application))

        assert "容缺材料" in text
        assert "食品安全管理制度2026年3月9日" in text
        assert "基本齐全（部分材料容缺后补）" in text

    def test_says_when_the_promised_date_is_only_an_estimate(self, accepted):
        Application.objects.filter(pk=accepted.pk).update(promised_date_certain=False)
        accepted.refresh_from_db()

        _, text = _read(pdf.receipt_pdf(accepted))

        assert "2026年3月16日（按现行日历推算，节假日安排公布后以实际为准）" in text

    def test_is_not_found_before_acceptance(self, client, clerk, applicant):
        application = submitted(applicant)
        _as(client, clerk)

        assert client.get(_url("receipt", application)).status_code == 404

    def test_a_refused_application_has_no_receipt(self, client, clerk, refused):
        _as(client, clerk)

        assert client.get(_url("receipt", refused)).status_code == 404

    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            ("applicant", 200),  # the owner
            ("clerk", 200),
            ("district_admin", 200),
            ("other_applicant", 404),
            ("outsider", 404),
            ("other_clerk", 404),
            ("other_reviewer", 404),
            ("city_admin", 404),
            (None, 302),
        ],
    )
    def test_only_the_owner_and_the_districts_staff_may_download_it(
        self, client, accepted, persona, status, request
    ):
        if persona:
            _as(client, request.getfixturevalue(persona))

        response = client.get(_url("receipt", accepted))

        assert response.status_code == status
        if status == 302:
            assert response["Location"].startswith("/accounts/login/?next=")


class TestRefusal:
    def test_carries_the_reason_basis_and_remedies(self, client, clerk, refused):
        _as(client, clerk)

        response = client.get(_url("refusal", refused))

        assert response.status_code == 200
        assert quote(f"不予受理决定书-{refused.number}.pdf") in response["Content-Disposition"]
        reader, text = _read(response.content)
        assert any(re.search(r"OneLicenseCJK|WenQuanYi", n) for n in _embedded_fonts(reader))
        assert "不予受理决定书" in text
        assert refused.number in text
        assert "北京味道餐饮有限公司" in text
        assert "申请经营的场所位于海淀区，不属于本机关受理范围" in text
        assert "《中华人民共和国行政许可法》第三十二条第一款第（二）项" in text
        assert "60日内向北京市朝阳区人民政府申请行政复议" in text
        assert "6个月内依法向人民法院提起行政诉讼" in text

    def test_is_not_found_unless_refused(self, client, clerk, accepted, applicant):
        waiting = submitted(applicant)
        _as(client, clerk)

        assert client.get(_url("refusal", accepted)).status_code == 404
        assert client.get(_url("refusal", waiting)).status_code == 404

    @pytest.mark.parametrize(
        ("persona", "status"),
        [("applicant", 200), ("other_applicant", 404), ("other_clerk", 404), (None, 302)],
    )
    def test_only_the_owner_and_the_districts_staff_may_download_it(
        self, client, refused, persona, status, request
    ):
        if persona:
            _as(client, request.getfixturevalue(persona))

        assert client.get(_url("refusal", refused)).status_code == status
