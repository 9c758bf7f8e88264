"""The reviewers' path in a real browser: an accepted restaurant in 朝阳区 reaches the market
regulator and the fire brigade in parallel; one approves with a permit number, the other asks
for a correction, and each sees the other's status on the review page."""

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from onelicense.accounts.models import User
from onelicense.approvals.models import ItemCase
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.conftest import (  # noqa: F401 (fixtures of the apps' tests)
    fire_reviewer,
    market_reviewer,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "shenpi-2026!"


@pytest.fixture
def log_in(browser: Browser, live_server: Any) -> Iterator[Callable[[User], Page]]:
    """Each reviewer in a browser context of their own, at 1280×900, on the workbench; the
    contexts close (and so their connections) while the live server still runs."""
    contexts: list[BrowserContext] = []

    def log_in(user: User) -> Page:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/?next=/review/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="审批工作台")).to_be_visible()
        return page

    yield log_in
    for context in contexts:
        context.close()


def row_of(page: Page, number: str) -> Any:
    return page.locator("tbody tr").filter(has_text=number)


def test_two_departments_review_one_application_in_parallel(
    log_in: Callable[[User], Page],
    live_server: Any,
    beijing_catalogue: Any,
    applicant: Any,
    clerk: Any,
    market_reviewer: User,  # noqa: F811
    fire_reviewer: User,  # noqa: F811
    tmp_path: Path,
) -> None:
    base = live_server.url
    application = restaurant_accepted(applicant, clerk)
    number = str(application.number)

    # 朝阳区市场监督管理局: the case is in the inbox, unclaimed.
    market = log_in(market_reviewer)
    expect(market.locator("h1")).to_contain_text("朝阳区市场监督管理局")
    row = row_of(market, number)
    expect(row).to_contain_text("食品经营许可（新办）")
    expect(row).to_contain_text("待审查")
    expect(row).to_contain_text("未认领")
    expect(market.locator("tbody")).not_to_contain_text("消防安全检查")

    # Open it: the item, the enterprise, its own materials; claim it.
    row.get_by_role("link", name=number).click()
    expect(market.get_by_role("heading", name="食品经营许可（新办）", level=1)).to_be_visible()
    expect(market.locator("#materials-title")).to_contain_text("本事项的申请材料")
    expect(market.locator(".ol-check__main")).not_to_contain_text("场所消防设施平面图")
    market.locator("#action-claim").get_by_role("button", name="认领").click()
    expect(market.locator(".ol-banner")).to_contain_text("已认领")
    expect(market.locator(".ol-review__status")).to_contain_text("审查中")

    # Approve with the department's own permit number.
    market.locator("#action-approve summary").click()
    market.fill("#approve-permit_number", "JY11101050099999")
    market.locator("#action-approve").get_by_role("button", name="准予许可").click()
    expect(market.locator(".ol-banner")).to_contain_text("证件编号 JY11101050099999")
    expect(market.locator(".ol-review__status")).to_contain_text("准予许可")
    expect(market.locator("#actions")).to_contain_text("本事项已准予许可")

    # 朝阳区消防救援支队: sees only its own case; asks for a correction.
    fire = log_in(fire_reviewer)
    row = row_of(fire, number)
    expect(row).to_contain_text("公众聚集场所投入使用、营业前消防安全检查")
    expect(fire.locator("tbody")).not_to_contain_text("食品经营许可")
    row.get_by_role("link", name=number).click()
    others = fire.locator("#others-title + .ol-table-wrap")
    expect(others.locator("tr").filter(has_text="食品经营许可（新办）")).to_contain_text("准予许可")
    fire.locator("#action-correction summary").click()
    fire.locator("#action-correction").get_by_role("button", name="发出补正告知").click()
    expect(fire.locator(".ol-error-summary")).to_contain_text("补正告知须列明需要补正的内容")
    fire.get_by_label("场所消防设施平面图").check()
    fire.fill("#correction-other", "疏散通道宽度未标注")
    fire.locator("#action-correction").get_by_role("button", name="发出补正告知").click()
    expect(fire.locator(".ol-banner")).to_contain_text("已发出补正告知")
    expect(fire.locator(".ol-review__status")).to_contain_text("补正中")
    expect(fire.locator("#actions")).to_contain_text("疏散通道宽度未标注")

    # The inbox shows the new status and that the clock stands still.
    fire.get_by_role("navigation", name="主导航").get_by_role("link", name="审批工作台").click()
    row = row_of(fire, number)
    expect(row).to_contain_text("补正中")
    expect(row).to_contain_text("暂停计时")

    # And the market regulator's page shows the fire brigade's progress.
    market.reload()
    others = market.locator("#others-title + .ol-table-wrap")
    fire_row = others.locator("tr").filter(has_text="消防安全检查")
    expect(fire_row).to_contain_text("补正中")
    market.goto(f"{base}/review/?tab=done")
    expect(row_of(market, number)).to_contain_text("JY11101050099999")

    statuses = dict(
        ItemCase.objects.filter(application=application).values_list("item__code", "status")
    )
    assert statuses["food_business_licence"] == ItemCase.Status.APPROVED
    assert statuses["fire_safety_check"] == ItemCase.Status.CORRECTION
    assert re.match(r"^[0-9]{18}$", number)

    fire.screenshot(path=str(tmp_path / "review-inbox-1280.png"))
    market.screenshot(path=str(tmp_path / "review-done-1280.png"))
