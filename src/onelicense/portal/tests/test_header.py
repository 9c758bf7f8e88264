"""The header's navigation by role, and the unread-message count it shows (one query)."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import Settings

from onelicense.accounts.models import User
from onelicense.core.models import Notification

pytestmark = pytest.mark.usefixtures("small_catalogue")
NAVIGATION = "onelicense.portal.context_processors.navigation"


@pytest.fixture(autouse=True)
def navigation(settings: Settings) -> None:
    """The context processor, as settings.py lists it (added here should it not yet)."""
    engine = settings.TEMPLATES[0]
    processors = engine["OPTIONS"]["context_processors"]
    if NAVIGATION not in processors:
        options = {**engine["OPTIONS"], "context_processors": [*processors, NAVIGATION]}
        settings.TEMPLATES = [{**engine, "OPTIONS": options}, *settings.TEMPLATES[1:]]


def nav(client: Client, url: str = "/") -> str:
    """The main navigation's HTML."""
    html = client.get(url).content.decode()
    match = re.search(r'<nav class="ol-nav".*?</nav>', html, re.S)
    assert match, html
    return match.group(0)


def links(html: str) -> dict[str, str]:
    """Each link's text (tags dropped) → its address."""
    return {
        re.sub(r"<[^>]+>|\s+", "", text): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def tell(user: User, n: int, *, read: bool = False) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            title=f"消息{i}",
            body="内容",
            read_at=timezone.now() if read else None,
        )
        for i in range(n)
    )


PUBLIC = {"首页": "/", "行业目录": "/industries/", "各区入口": "/districts/"}


class TestByRole:
    def test_anonymous_sees_the_public_pages_login_and_register(self, client):
        shown = links(nav(client))
        assert shown == PUBLIC | {"登录": "/accounts/login/?next=/", "注册": "/accounts/register/"}
        assert "退出" not in nav(client)

    def test_an_applicant_sees_their_applications_and_messages(self, client, applicant):
        html = nav(signed_in(client, applicant))
        assert links(html) == PUBLIC | {"我的申请": "/apply/", "消息": "/my/messages/"}
        assert "退出" in html and 'action="/accounts/logout/"' in html
        assert "张明" in html

    def test_a_clerk_sees_the_window(self, client, clerk):
        html = nav(signed_in(client, clerk))
        assert links(html) == PUBLIC | {"综合窗口": "/window/", "消息": "/my/messages/"}
        assert "退出" in html

    def test_a_district_admin_sees_the_window_and_the_certificates(self, client, district_admin):
        html = nav(signed_in(client, district_admin))
        assert links(html) == PUBLIC | {
            "综合窗口": "/window/",
            "综合许可凭证": "/certificates/",
            "统计报表": "/reports/",
            "消息": "/my/messages/",
        }

    def test_a_reviewer_sees_the_workbench(self, client, market_reviewer):
        html = nav(signed_in(client, market_reviewer))
        assert links(html) == PUBLIC | {
            "审批工作台": "/review/",
            "单项审批证件": "/certificates/permits/",
            "消息": "/my/messages/",
        }

    def test_the_city_admin_sees_the_reports_messages_and_logout(self, client, city_admin):
        html = nav(signed_in(client, city_admin))
        assert links(html) == PUBLIC | {
            "检查单": "/supervision/checklists/",
            "统计报表": "/reports/",
            "消息": "/my/messages/",
        }
        assert "退出" in html

    def test_the_current_section_is_marked(self, client, applicant):
        html = nav(signed_in(client, applicant), "/apply/")
        assert '<a href="/apply/" aria-current="page">' in html
        html = nav(client, "/my/messages/")
        assert '<a href="/my/messages/" aria-current="page">' in html


class TestUnreadCount:
    def test_shows_the_number_of_unread_messages(self, client, applicant):
        tell(applicant, 3)
        tell(applicant, 2, read=True)
        html = nav(signed_in(client, applicant))
        assert '<span class="ol-nav__badge" data-unread="3">3</span>' in html
        assert '<span class="ol-visually-hidden">条未读</span>' in html
        assert links(html)["消息3条未读"] == "/my/messages/"

    def test_shows_no_badge_without_unread_messages(self, client, applicant):
        tell(applicant, 2, read=True)
        assert "ol-nav__badge" not in nav(signed_in(client, applicant))

    def test_counts_only_ones_own(self, client, applicant, other_applicant):
        tell(other_applicant, 4)
        assert "ol-nav__badge" not in nav(signed_in(client, applicant))

    def test_a_large_number_is_capped(self, client, applicant):
        tell(applicant, 120)
        assert 'data-unread="120">99+</span>' in nav(signed_in(client, applicant))

    def test_staff_see_theirs_too(self, client, clerk):
        tell(clerk, 1)
        assert 'data-unread="1">1</span>' in nav(signed_in(client, clerk))

    def test_is_counted_in_one_query(self, client, applicant):
        tell(applicant, 5)
        signed_in(client, applicant)
        with CaptureQueriesContext(connection) as page:
            client.get("/")
        counts = [q["sql"] for q in page.captured_queries if "core_notification" in q["sql"]]
        assert len(counts) == 1 and "COUNT(" in counts[0].upper()

    def test_reading_a_message_lowers_the_count(self, client, applicant):
        tell(applicant, 2)
        signed_in(client, applicant)
        first: Any = Notification.objects.filter(recipient=applicant).first()
        client.post(f"/my/messages/{first.pk}/read/")
        assert 'data-unread="1">1</span>' in nav(client)
