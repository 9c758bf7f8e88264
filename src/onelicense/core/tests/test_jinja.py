"""The Jinja2 engine: what it works out at compile time stays right for every request."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template, engines
from django.urls import set_script_prefix
from django.utils import translation

from onelicense.core.jinja import date


@pytest.fixture
def jinja():
    return engines["jinja2"]


def _render(jinja, text: str, **context: object) -> str:
    return str(jinja.env.from_string(text).render(context))


class TestCompiledIn:
    def test_a_constant_is_translated_and_reversed_when_the_template_is_compiled(self, jinja):
        source = jinja.env.compile('{{ "首页"|t }} {{ "portal:home"|url }}', raw=True)

        assert "首页 /" in source  # plain text in the compiled code, no call left to make

    def test_each_url_root_gets_its_own_compiled_copy(self, jinja):
        page = '<a href="{{ "catalogue:industry_list"|url }}">'
        try:
            set_script_prefix("/onelicense/")
            under_prefix = jinja.get_template("partials/footer.html").render({})
            inline_under_prefix = _render(jinja, page)
        finally:
            set_script_prefix("/")
        at_root = jinja.get_template("partials/footer.html").render({})

        assert 'href="/onelicense/industries/"' in under_prefix
        assert inline_under_prefix == '<a href="/onelicense/industries/">'
        assert 'href="/industries/"' in at_root
        assert "/onelicense/" not in at_root

    def test_each_language_gets_its_own_compiled_copy(self, jinja):
        with translation.override("zh-hans"):
            chinese = jinja.env
        with translation.override("en"):
            english = jinja.env

        assert chinese is not english
        with translation.override("zh-hans"):
            assert jinja.env is chinese

    def test_a_filter_on_a_variable_works_at_render_time(self, jinja):
        html = _render(
            jinja, '{{ label|t }} {{ "verification:live"|url(token) }}', label="有效", token="abc"
        )

        assert html == "有效 /v/abc"

    def test_values_are_escaped(self, jinja):
        assert _render(jinja, "{{ name }}", name="<b>食堂</b>") == "&lt;b&gt;食堂&lt;/b&gt;"


BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


class TestDate:
    @pytest.mark.parametrize(
        ("value", "fmt"),
        [
            (datetime.datetime(2026, 1, 4, 18, 5, 9, tzinfo=datetime.UTC), "Y年n月j日 H:i:s"),
            (datetime.datetime(2026, 12, 31, 17, 0, tzinfo=datetime.UTC), "Y年n月j日"),  # 次日
            (datetime.datetime(2026, 3, 1, 8, 0, tzinfo=BEIJING), "c"),
            (datetime.date(2024, 10, 1), "Y-m-d"),
            (datetime.date(2024, 10, 1), r"Y \Y n"),
            (datetime.date(2024, 10, 1), ""),
            (datetime.date(987, 3, 4), "Y-m-d d/m j.n"),  # padded as DateFormat pads
            (datetime.datetime(2026, 5, 6, 7, 8, 9, tzinfo=datetime.UTC), "{Y} {{H:i}} s} 100%"),
            (datetime.date(2024, 10, 1), "Y"),
            (datetime.date(2024, 10, 1), r"\Y\e\a\r %"),  # no format character at all
            (datetime.datetime(2026, 5, 6, 7, 8, 9, tzinfo=datetime.UTC), "l, F jS A g:i"),
            (datetime.date(2024, 10, 1), "D Y-m-d"),  # one DateFormat character: all by it
            (None, "Y-m-d"),
        ],
    )
    def test_it_writes_what_the_django_date_filter_writes(self, value, fmt):
        django_filter = Template("{{ value|date:fmt }}" if fmt else "{{ value|date }}")

        assert date(value, fmt) == django_filter.render(Context({"value": value, "fmt": fmt}))

    @pytest.mark.parametrize("fmt", ["H:i", "Y H", "Y A"])
    def test_a_time_format_on_a_date_writes_nothing(self, fmt):
        assert date(datetime.date(2024, 10, 1), fmt) == ""


class TestChromeInDjangoPages:
    @pytest.mark.django_db
    def test_a_django_page_and_the_live_page_share_one_header(self, client):
        page = client.get("/verify/").content.decode()

        assert page.count('<header class="ol-header">') == 1
        assert page.count('<footer class="ol-footer">') == 1
        assert 'name="large_text" value="1"' in page
