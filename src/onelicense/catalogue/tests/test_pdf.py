"""The printable guide: a real A4 PDF with the embedded CJK font and the page's facts."""

import re
from io import BytesIO
from typing import Any
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from onelicense.catalogue import pdf
from onelicense.catalogue.models import ApprovalItem, Industry
from onelicense.catalogue.selectors import district_get, guide_build, industry_get

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)


def _guide_pdf(client, url: str) -> tuple[bytes, PdfReader, str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    return response.content, reader, text


def _embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        fonts = resources.get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(
                    key in descriptor.get_object() for key in ("/FontFile", "/FontFile2")
                ):
                    names.add(str(font["/BaseFont"]))
    return names


class TestGuidePdf:
    def test_is_an_a4_pdf_served_inline_with_a_chinese_filename(self, client, small_catalogue):
        response = client.get("/industries/restaurant/guide.pdf?district=110105")

        assert response.status_code == 200
        assert response.content.startswith(b"%PDF-")
        disposition = response["Content-Disposition"]
        assert disposition.startswith('inline; filename="restaurant-guide.pdf"; ')
        assert f"filename*=UTF-8''{quote('餐饮店朝阳区办事指南.pdf')}" in disposition
        page = PdfReader(BytesIO(response.content)).pages[0]
        assert tuple(round(float(side)) for side in page.mediabox[2:]) == A4_POINTS

    def test_embeds_the_cjk_font(self, client, small_catalogue):
        _, reader, _ = _guide_pdf(client, "/industries/restaurant/guide.pdf")

        embedded = _embedded_fonts(reader)
        assert any(re.search(r"OneLicenseCJK|WenQuanYi", name) for name in embedded), embedded

    def test_carries_the_industry_the_items_and_the_figures(self, client, small_catalogue):
        _, _, text = _guide_pdf(client, "/industries/restaurant/guide.pdf")

        assert "餐饮店行业综合办事指南" in text
        for name in ApprovalItem.objects.values_list("name", flat=True):
            assert name in text
        assert "分别提交9份→一次提交5份" in text
        assert "分别填写13项→一表填写6项" in text
        assert "法定合计53个工作日→承诺10个工作日" in text

    def test_carries_the_same_item_facts_as_the_page(self, client, small_catalogue):
        _, _, text = _guide_pdf(client, "/industries/restaurant/guide.pdf?district=110105")

        assert "朝阳区市场监督管理局" in text
        assert "《中华人民共和国食品安全法》第三十五条" in text
        assert "面积超过150㎡或连锁经营" in text
        assert "可延长10个工作日" in text
        assert "食品经营许可证，有效期：60个月" in text
        assert "有效期：长期" in text
        assert "承诺后当场办理，20个工作日内核查" in text
        assert "60日内向北京市朝阳区人民政府申请行政复议" in text
        assert "https://example.gov.cn/food" in text
        assert "参考整理" in text

    def test_carries_the_materials_questions_steps_and_remedies(self, client, small_catalogue):
        _, _, text = _guide_pdf(client, "/industries/restaurant/guide.pdf")

        assert "申请材料清单（一次提交5份）" in text
        assert "消防安全告知承诺书" in text
        assert "经营场所使用面积是多少？" in text
        assert "一次告知：查阅行业综合办事指南。" in text
        assert "收到复议决定书之日起15日内" in text

    def test_numbers_its_pages_and_names_the_catalogue_version(self, client, small_catalogue):
        _, reader, _ = _guide_pdf(client, "/industries/restaurant/guide.pdf")

        total = len(reader.pages)
        last = re.sub(r"\s+", "", reader.pages[-1].extract_text())
        assert f"第{total}页，共{total}页" in last
        assert "目录版本test-small" in last

    def test_an_unknown_industry_is_a_404(self, client, small_catalogue):
        assert client.get("/industries/no_such_trade/guide.pdf").status_code == 404

    def test_an_unknown_district_is_a_404(self, client, small_catalogue):
        response = client.get("/industries/restaurant/guide.pdf?district=999999")

        assert response.status_code == 404


class TestGuidePdfBuilder:
    def test_builds_bytes_from_a_guide_without_a_request(self, small_catalogue):
        guide = guide_build(
            industry=industry_get(code="coffee_shop"), district=district_get("110108")
        )

        content = pdf.guide_pdf(guide)

        text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
        assert "咖啡店/茶馆" in text
        assert "海淀区" in text


class TestSources:
    def test_a_url_is_a_link_a_law_is_a_citation_and_the_rest_is_assumed(self, small_catalogue):
        item = ApprovalItem.objects.get(code="food_business_licence")
        item.provenance = {
            "*": "https://example.gov.cn/food",
            "statutory_limit_days": "law:行政许可法 §42",
            "fee": "assumed",
        }

        refs = pdf.sources_of(item)

        assert refs == [
            pdf.SourceRef("", "https://example.gov.cn/food", "https://example.gov.cn/food"),
            pdf.SourceRef("法定时限（工作日）", "行政许可法 §42"),
            pdf.SourceRef("收费", "参考整理"),
        ]

    def test_an_entry_without_sources_is_assumed(self, small_catalogue):
        industry = Industry.objects.get(code="coffee_shop")
        industry.provenance = {}

        assert pdf.sources_of(industry) == [pdf.SourceRef("", "参考整理")]
