"""The personalised notice (告知单): the guide cut down to one set of answers, page and PDF.

Small fixture: a 400 ㎡ restaurant in 朝阳区 (fire threshold 200 ㎡ there) needs the food licence
and the fire check: materials 7 → 5, the form 6 identity-or-item fields plus area, categories and
fire facilities.
"""

import re
from io import BytesIO
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from onelicense.catalogue import pdf
from onelicense.catalogue.plan import plan_compute
from onelicense.catalogue.selectors import district_get, industry_get

pytestmark = pytest.mark.usefixtures("small_catalogue")

LARGE = "district=110105&area=400&chain=false&cuisine=hot"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _page(client, query: str, status: int = 200) -> str:
    response = client.get(f"/industries/restaurant/notice/?{query}")
    assert response.status_code == status
    return str(response.content.decode())


class TestNoticePage:
    def test_lists_the_items_that_the_answers_decide(self, client):
        text = _text(_page(client, LARGE))

        assert "个性化告知单 · 朝阳区" in text
        assert "需要办理 2 个事项，一次提交 5 份材料" in text
        assert "食品经营许可（新办）" in text
        assert "公众聚集场所投入使用、营业前消防安全检查" in text
        assert "北京市小规模食品生产经营许可" not in text
        assert "朝阳区市场监督管理局" in text

    def test_repeats_the_answers_in_words(self, client):
        text = _text(_page(client, LARGE))

        assert "经营场所使用面积是多少？400㎡" in text
        assert "是否连锁经营？否" in text
        assert "主要经营哪类餐食？热食" in text

    def test_shows_the_materials_the_form_and_the_figures(self, client):
        html = _page(client, LARGE)
        text = _text(html)

        assert "申请材料清单（一次提交 5 份）" in text
        assert "消防安全告知承诺书" in text
        assert "一表申请需填写的信息" in text
        assert "消防设施情况" in text
        assert 'class="ol-figures"' in html
        assert "承诺 10 个工作日" in text

    def test_a_small_restaurant_needs_only_the_small_licence(self, client):
        text = _text(_page(client, "district=110105&area=100&chain=false&cuisine=hot"))

        assert "北京市小规模食品生产经营许可（小餐饮店）" in text
        assert "需要办理 1 个事项" in text

    def test_without_answers_says_the_result_is_not_complete(self, client):
        text = _text(_page(client, ""))

        assert "尚有问题未回答" in text
        assert "经营场所使用面积是多少？未回答" in text
        assert "根据目前的回答，没有需要办理的事项" in text

    def test_a_bad_answer_is_named_and_the_rest_still_counts(self, client):
        text = _text(_page(client, "district=110105&area=-3&chain=true"))

        assert "经营场所使用面积是多少？不能小于 1㎡" in text
        assert "食品经营许可（新办）" in text  # a chain needs it whatever the area

    def test_links_to_its_pdf_and_to_applying_online(self, client):
        html = _page(client, LARGE)

        assert f'href="/industries/restaurant/notice.pdf?{LARGE.replace("&", "&amp;")}"' in html
        assert 'href="/apply/new/?industry=restaurant&amp;district=110105"' in html

    def test_an_unknown_industry_or_district_is_a_404(self, client):
        assert client.get("/industries/spaceport/notice/").status_code == 404
        assert client.get("/industries/restaurant/notice/?district=999999").status_code == 404

    def test_the_guide_offers_to_apply_online(self, client):
        html = client.get("/industries/restaurant/?district=110105").content.decode()

        assert (
            '<a class="ol-button" href="/apply/new/?industry=restaurant&amp;district=110105">'
            "在线申请</a>" in html
        )


class TestNoticePdf:
    def test_is_an_a4_pdf_with_the_answers_and_the_items(self, client):
        response = client.get(f"/industries/restaurant/notice.pdf?{LARGE}")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        name = quote("餐饮店朝阳区告知单.pdf", safe="")
        assert f"filename*=UTF-8''{name}" in response["Content-Disposition"]
        reader = PdfReader(BytesIO(response.content))
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
        assert "餐饮店个性化告知单" in text
        assert "经营场所使用面积是多少？" in text and "400㎡" in text
        assert "食品经营许可（新办）" in text
        assert "朝阳区消防救援支队" in text
        assert "申请材料清单（一次提交5份）" in text
        assert "一表申请需填写的信息" in text

    def test_notice_pdf_builds_from_a_plan(self):
        plan = plan_compute(
            industry=industry_get(code="restaurant"),
            answers={"area": 100, "chain": False},
            district=district_get("110108"),
        )

        content = pdf.notice_pdf(plan)

        text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
        assert "海淀区" in text
        assert "尚有问题未回答" in re.sub(r"\s+", "", text)  # cuisine is still open

    @pytest.mark.parametrize(
        "answer, expected",
        [(True, "是"), (False, "否"), (None, "未回答"), ("hot", "热食"), (400, "400㎡")],
    )
    def test_answers_read_as_words(self, answer, expected):
        industry = industry_get(code="restaurant")
        questions = {q.code: q for q in industry.questions.all()}
        question = {
            True: "chain",
            False: "chain",
            None: "chain",
            "hot": "cuisine",
            400: "area",
        }[answer]

        assert pdf.answer_text(questions[question], answer) == expected
