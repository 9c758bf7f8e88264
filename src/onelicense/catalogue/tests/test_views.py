"""The industry list, search and guide pages against the small fixture catalogue.

The restaurant's figures (3 items, 2 departments, materials 9 → 5, fields 13 → 6,
53 statutory → 10 promised working days) are computed by hand in test_api.py's docstring.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onelicense.catalogue.models import CatalogueVersion

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="zh-Hans"' in html
    return html


def _text(html: str) -> str:
    """The page's text without tags or line breaks, for phrases that span elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


class TestIndustryList:
    def test_lists_every_industry_of_the_current_catalogue(self, client, small_catalogue):
        html = _page(client, "/industries/")

        assert "<h1>行业目录</h1>" in html
        assert '<a href="/industries/restaurant/">餐饮店</a>' in html
        assert '<a href="/industries/coffee_shop/">咖啡店/茶馆</a>' in html
        assert "现行目录共 2 个行业" in html

    @pytest.mark.parametrize("query", ["咖啡", "kafei", "奶茶", "奶茶店", "KaFei"])
    def test_finds_the_coffee_shop_by_keyword_alias_or_pinyin(self, client, small_catalogue, query):
        html = _page(client, f"/industries/?q={query}")

        assert '<a href="/industries/coffee_shop/">咖啡店/茶馆</a>' in html
        assert "/industries/restaurant/" not in html
        assert "找到 1 个" in html

    def test_finds_the_restaurant_by_a_keyword(self, client, small_catalogue):
        html = _page(client, "/industries/?q=火锅")

        assert '<a href="/industries/restaurant/">餐饮店</a>' in html
        assert "/industries/coffee_shop/" not in html

    def test_keeps_the_query_in_the_search_box(self, client, small_catalogue):
        html = _page(client, "/industries/?q=kafei")

        assert 'value="kafei"' in html

    def test_says_helpfully_when_nothing_is_found(self, client, small_catalogue):
        html = _page(client, "/industries/?q=宇宙飞船")

        assert "没有找到与“宇宙飞船”相关的行业" in html
        assert "浏览全部行业" in html

    def test_escapes_the_query(self, client, small_catalogue):
        html = _page(client, "/industries/?q=<script>")

        assert "<script>" not in html
        assert "&lt;script&gt;" in html

    def test_says_plainly_when_no_catalogue_is_published(self, client, small_catalogue):
        CatalogueVersion.objects.update(status=CatalogueVersion.Status.DRAFT)

        html = _page(client, "/industries/?q=咖啡")

        assert "行业目录尚未发布" in html

    def test_an_empty_catalogue_is_not_mistaken_for_an_empty_search(self, client, small_catalogue):
        CatalogueVersion.objects.create(
            code="empty",
            title="空目录",
            status=CatalogueVersion.Status.PUBLISHED,
            valid_from=timezone.localdate(),
        )

        html = _page(client, "/industries/")

        assert "暂无行业" in html
        assert "没有找到" not in html


class TestGuide:
    def test_renders_in_chinese_for_an_anonymous_visitor(self, client, small_catalogue):
        html = _page(client, "/industries/restaurant/")

        assert "<title>餐饮店行业综合办事指南" in html
        assert "行业综合办事指南" in html and "在固定经营场所从事餐饮服务的经营者。" in html

    def test_shows_the_reform_figures_at_the_top(self, client, small_catalogue):
        text = _text(_page(client, "/industries/restaurant/"))

        assert "事项 3 项 / 涉及部门 2 个" in text
        assert "分别提交 9 份 → 一次提交 5 份" in text
        assert "分别填写 13 项 → 一表填写 6 项" in text
        assert "法定合计 53 个工作日 → 承诺 10 个工作日" in text
        assert "并联审批" in text
        assert text.index("事项 3 项") < text.index("食品经营许可（新办）")

    def test_shows_every_item_with_its_facts(self, client, small_catalogue):
        text = _text(_page(client, "/industries/restaurant/"))

        for name in (
            "食品经营许可（新办）",
            "北京市小规模食品生产经营许可（小餐饮店）",
            "公众聚集场所投入使用、营业前消防安全检查",
        ):
            assert name in text
        assert "《中华人民共和国食品安全法》第三十五条" in text
        assert "有与经营的食品品种、数量相适应的经营场所。" in text
        assert "面积超过150㎡或连锁经营" in text
        assert "法定 20 个工作日" in text and "承诺 10 个工作日" in text
        assert "可延长 10 个工作日" in text and "不可延长" in text
        assert "食品经营许可证，有效期：60 个月" in text
        assert "公众聚集场所投入使用、营业前消防安全检查合格证，有效期：长期" in text
        assert "承诺后当场办理，20 个工作日内核查" in text
        assert "不收费" in text

    def test_names_departments_and_review_bodies_generally_without_a_district(
        self, client, small_catalogue
    ):
        text = _text(_page(client, "/industries/restaurant/"))

        assert "区市场监督管理局" in text
        assert "60 日内向所在区人民政府申请行政复议" in text
        assert "6 个月内依法向人民法院提起行政诉讼" in text
        assert "60 日内向北京市消防救援总队申请行政复议" in text

    def test_names_departments_and_review_bodies_as_the_district_runs_them(
        self, client, small_catalogue
    ):
        html = _page(client, "/industries/restaurant/?district=110105")
        text = _text(html)

        assert "朝阳区市场监督管理局" in text
        assert "朝阳区消防救援支队" in text
        assert "向北京市朝阳区人民政府申请行政复议" in text
        assert '<option value="110105" selected>朝阳区</option>' in html
        assert 'href="/industries/restaurant/guide.pdf?district=110105"' in html

    def test_shows_the_merged_materials_with_their_form_and_items(self, client, small_catalogue):
        html = _page(client, "/industries/restaurant/")

        assert "申请材料清单（一次提交 5 份）" in html
        row = re.search(r"<th scope=\"row\">经营场所平面布局图.*?</tr>", html, re.S)
        assert row is not None
        assert "原件" in row.group(0)
        assert "食品经营许可（新办）、北京市小规模食品生产经营许可（小餐饮店）" in row.group(0)

    def test_shows_the_questions_the_applicant_will_be_asked(self, client, small_catalogue):
        text = _text(_page(client, "/industries/restaurant/"))

        assert "经营场所使用面积是多少？" in text
        assert "是否连锁经营？" in text
        assert "主要经营哪类餐食？ （热食、冷食）" in text

    def test_shows_the_steps_the_form_mode_and_the_online_depth(self, client, small_catalogue):
        text = _text(_page(client, "/industries/restaurant/"))

        assert "一次告知：查阅行业综合办事指南。" in text
        assert "一表申请" in text
        assert "全程网办" in text

    def test_shows_where_the_facts_come_from(self, client, small_catalogue):
        html = _page(client, "/industries/restaurant/")

        assert '<a href="https://example.gov.cn/food" rel="noopener">' in html
        assert "来源：参考整理" in html

    def test_links_to_the_pdf(self, client, small_catalogue):
        html = _page(client, "/industries/restaurant/")

        assert 'href="/industries/restaurant/guide.pdf"' in html

    def test_an_industry_without_questions_says_every_item_applies(self, client, small_catalogue):
        text = _text(_page(client, "/industries/coffee_shop/"))

        assert "本行业无需回答情形问题" in text
        assert "必办" in text
        assert "部分网办" in text

    def test_takes_a_fixed_number_of_queries(self, client, small_catalogue):
        client.get("/industries/restaurant/")  # warm caches (content types, sessions)

        with CaptureQueriesContext(connection) as queries:
            _page(client, "/industries/restaurant/?district=110105")

        assert len(queries) <= 10  # district, version, industry, questions, options, items,
        # materials, elements, parameters, districts for the picker

    def test_an_unknown_industry_is_a_chinese_404(self, client, small_catalogue):
        html = _page(client, "/industries/no_such_trade/", status=404)

        assert "页面未找到" in html
        assert "行业或区的代码有误" in html

    def test_an_unknown_district_is_a_chinese_404(self, client, small_catalogue):
        html = _page(client, "/industries/restaurant/?district=999999", status=404)

        assert "页面未找到" in html

    def test_without_a_published_catalogue_is_a_404(self, client, small_catalogue):
        CatalogueVersion.objects.update(status=CatalogueVersion.Status.DRAFT)

        _page(client, "/industries/restaurant/", status=404)
