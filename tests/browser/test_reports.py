"""The city admin's dashboard in a real browser: logging in, the header's 统计报表 entry, the
charts and the district table over the hand-worked history of the reports' tests."""

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.conftest import city_admin, completed  # noqa: F401 (fixtures of the apps' tests)
from onelicense.reports.services import figures_refresh
from onelicense.reports.tests.helpers import SINCE, UNTIL, history_build

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "tongji-2026!"


def test_the_city_admin_opens_the_dashboard(
    browser: Browser,
    live_server: Any,
    completed: Application,  # noqa: F811
    applicant: User,
    clerk: User,
    city_admin: User,  # noqa: F811
) -> None:
    history_build(completed, applicant, clerk)
    figures_refresh(since=SINCE, today=UNTIL)
    city_admin.set_password(PASSWORD)
    city_admin.save(update_fields=["password"])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", city_admin.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="统计报表").click()
        expect(page.get_by_role("heading", name="全市“一业一证”统计")).to_be_visible()
        page.fill("#id_since", "2024-09-01")
        page.fill("#id_until", "2024-10-31")
        page.get_by_role("button", name="查询").click()
        expect(page.locator('svg[data-chart="trend"]')).to_be_visible()
        expect(page.locator('svg[data-chart="bars"]')).to_be_visible()
        table = page.locator('table[data-report-table="district"]')
        row = table.locator("tbody tr").filter(has_text="朝阳区")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("66.7%")
        expect(page.get_by_text("数据更新时间")).to_be_visible()
    finally:
        context.close()
