"""The public pages of the portal: home, the entries by district, the large-text mode."""

import pytest
from django.test import Client
from django.utils import timezone

from onelicense.accounts.models import District
from onelicense.catalogue.models import CatalogueVersion
from onelicense.core.context_processors import LARGE_TEXT_COOKIE

ORIGIN = "http://testserver"  # the test client's host

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


class TestHome:
    def test_renders_in_chinese_for_an_anonymous_visitor(self, client, small_catalogue):
        html = _page(client, "/")

        assert '<html lang="zh-Hans"' in html
        assert "北京市“一业一证”服务平台" in html
        assert "一业一证" in html and "综合许可凭证" in html

    def test_has_landmarks_and_a_skip_link(self, client, small_catalogue):
        html = _page(client, "/")

        assert 'href="#main"' in html and 'id="main"' in html
        for landmark in ("<header", "<nav", "<main", "<footer"):
            assert landmark in html

    def test_offers_a_search_box_that_goes_to_the_industry_list(self, client, small_catalogue):
        html = _page(client, "/")

        assert 'action="/industries/"' in html
        assert 'name="q"' in html
        assert '<label class="ol-label" for="home-q">' in html

    def test_groups_the_industries_by_category_with_links_to_their_guides(
        self, client, small_catalogue
    ):
        html = _page(client, "/")

        assert ">餐饮</h3>" in html
        assert '<a href="/industries/restaurant/">餐饮店</a>' in html
        assert '<a href="/industries/coffee_shop/">咖啡店/茶馆</a>' in html

    def test_lists_all_seventeen_districts(self, client, small_catalogue):
        html = _page(client, "/")

        assert District.objects.count() == 17
        for district in District.objects.all():
            assert f'<a href="/districts/{district.code}/">{district.name}</a>' in html

    def test_says_plainly_when_no_catalogue_is_published(self, client, small_catalogue):
        CatalogueVersion.objects.update(status=CatalogueVersion.Status.DRAFT)

        html = _page(client, "/")

        assert "行业目录尚未发布" in html

    def test_says_so_when_the_published_catalogue_has_no_industries(self, client, small_catalogue):
        CatalogueVersion.objects.create(
            code="empty",
            title="空目录",
            status=CatalogueVersion.Status.PUBLISHED,
            valid_from=timezone.localdate(),
        )

        html = _page(client, "/")

        assert "暂无行业" in html
        assert "/industries/restaurant/" not in html

    def test_shows_the_login_link_to_an_anonymous_visitor(self, client, small_catalogue):
        html = _page(client, "/")

        assert 'href="/accounts/login/?next=/"' in html
        assert "退出" not in html

    def test_shows_the_display_name_and_logout_to_a_signed_in_user(
        self, client, small_catalogue, django_user_model
    ):
        user = django_user_model.objects.create_user("zhang", password="x", display_name="张三")
        client.force_login(user)

        html = _page(client, "/")

        assert "张三" in html
        assert 'action="/accounts/logout/"' in html
        assert ">登录</a>" not in html


class TestDistricts:
    def test_the_district_list_links_every_district(self, client, small_catalogue):
        html = _page(client, "/districts/")

        assert "各区入口" in html
        assert '<a href="/districts/110400/">北京经济技术开发区</a>' in html

    def test_a_district_page_lists_the_industries_with_the_district_guides(
        self, client, small_catalogue
    ):
        html = _page(client, "/districts/110105/")

        assert "<h1>" in html and "朝阳区" in html
        assert "朝阳区已开通下列行业的“一业一证”办理" in html
        assert '<a href="/industries/restaurant/?district=110105">餐饮店</a>' in html
        assert '<a href="/industries/coffee_shop/?district=110105">咖啡店/茶馆</a>' in html

    def test_an_unknown_district_is_a_chinese_404(self, client, small_catalogue):
        html = _page(client, "/districts/999999/", status=404)

        assert "页面未找到" in html


class TestLargeText:
    def test_is_off_by_default(self, client, small_catalogue):
        html = _page(client, "/")

        assert 'class="ol-large-text"' not in html
        assert 'aria-pressed="false"' in html

    def test_turning_it_on_sets_the_cookie_and_goes_back(self, client, small_catalogue):
        response = client.post(
            "/display/large-text/",
            {"large_text": "1", "next": "/industries/?q=咖啡"},
            headers={"Origin": ORIGIN},
        )

        assert response.status_code == 302
        assert response["Location"] == "/industries/?q=%E5%92%96%E5%95%A1"  # 咖啡
        assert response.cookies[LARGE_TEXT_COOKIE].value == "1"

    def test_with_the_cookie_the_page_is_in_large_text(self, client, small_catalogue):
        client.cookies[LARGE_TEXT_COOKIE] = "1"

        html = _page(client, "/industries/restaurant/")

        assert '<html lang="zh-Hans" class="ol-large-text">' in html
        assert 'aria-pressed="true"' in html

    def test_turning_it_off_deletes_the_cookie(self, client, small_catalogue):
        client.cookies[LARGE_TEXT_COOKIE] = "1"

        response = client.post(
            "/display/large-text/", {"large_text": "0", "next": "/"}, headers={"Origin": ORIGIN}
        )

        assert response.status_code == 302
        assert response.cookies[LARGE_TEXT_COOKIE].value == ""
        assert 'class="ol-large-text"' not in _page(client, "/")

    def test_does_not_redirect_to_another_site(self, client, small_catalogue):
        response = client.post(
            "/display/large-text/",
            {"large_text": "1", "next": "https://evil.example/"},
            headers={"Origin": ORIGIN},
        )

        assert response["Location"] == "/"

    def test_needs_a_post(self, client, small_catalogue):
        assert client.get("/display/large-text/").status_code == 405

    def test_a_page_with_only_the_toggle_sets_no_cookie(self, client, small_catalogue):
        response = client.get("/")

        assert 'name="large_text"' in response.content.decode()
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies

    @pytest.mark.parametrize(
        "headers",
        [
            {"Origin": "https://evil.example"},
            {"Referer": "https://evil.example/page"},
            {},  # a browser sends Origin with a form's POST: none at all is not ours either
        ],
    )
    def test_a_toggle_sent_from_another_site_is_refused(self, small_catalogue, headers):
        client = Client(enforce_csrf_checks=True)

        response = client.post(
            "/display/large-text/", {"large_text": "1", "next": "/"}, headers=headers
        )

        assert response.status_code == 403
        assert "请在本平台的页面上切换大字模式" in response.content.decode()
        assert LARGE_TEXT_COOKIE not in response.cookies

    def test_a_toggle_from_our_page_needs_no_csrf_token(self, small_catalogue):
        client = Client(enforce_csrf_checks=True)

        response = client.post(
            "/display/large-text/",
            {"large_text": "1", "next": "/"},
            headers={"Referer": f"{ORIGIN}/industries/"},
        )

        assert response.status_code == 302
        assert response.cookies[LARGE_TEXT_COOKIE].value == "1"


class TestLogin:
    def test_the_login_page_is_in_chinese_with_labelled_fields(self, client, small_catalogue):
        html = _page(client, "/accounts/login/")

        assert "<h1>登录</h1>" in html
        assert '<label class="ol-label" for="id_username">' in html
        assert '<label class="ol-label" for="id_password">' in html

    def test_a_wrong_password_shows_an_error_summary(
        self, client, small_catalogue, django_user_model
    ):
        django_user_model.objects.create_user("zhang", password="right-password")

        response = client.post("/accounts/login/", {"username": "zhang", "password": "wrong"})

        html = response.content.decode()
        assert response.status_code == 200
        assert "登录未成功" in html
        assert 'class="ol-error-summary"' in html

    def test_a_right_password_signs_an_applicant_in_to_their_applications(
        self, client, small_catalogue, django_user_model
    ):
        django_user_model.objects.create_user("zhang", password="right-password")

        response = client.post(
            "/accounts/login/", {"username": "zhang", "password": "right-password"}
        )

        assert response.status_code == 302
        assert response["Location"] == "/apply/"


@pytest.mark.django_db
class TestOfferings:
    def test_a_district_lists_what_it_offers_and_what_it_does_not_yet(
        self, client, small_catalogue
    ):
        page = client.get("/districts/110119/").content.decode()
        assert "延庆区已开通下列行业" in page
        assert "暂未开通" in page
        live, _, not_live = page.partition('id="not-live"')
        assert "餐饮店" in live
        assert "咖啡店/茶馆" in not_live

    def test_an_industry_shows_its_entry_in_every_district(self, client, small_catalogue):
        page = client.get("/entries/coffee_shop/").content.decode()
        assert page.count("查看指南") == 16
        assert "延庆区" in page and "暂未开通" in page

    def test_an_unknown_industry_has_no_entries_page(self, client, small_catalogue):
        assert client.get("/entries/nothing/").status_code == 404
