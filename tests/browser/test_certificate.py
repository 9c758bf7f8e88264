"""One certificate in a real browser: the 朝阳区 district admin issues it for a completed
restaurant; the applicant downloads the sealed PDF and opens the live page from its QR code
(有效, each permit); the tobacco department revokes its permit through the permits page, and the
same QR code then shows 已作废."""

import subprocess
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect
from pyhanko.pdf_utils.reader import PdfFileReader

from onelicense.accounts.models import User
from onelicense.conftest import (  # noqa: F401 (fixtures of the apps' tests)
    completed,
    district_admin,
)
from onelicense.licences.models import Certificate, Permit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
PASSWORD = "zhengzhao-2026!"
ITEMS = (
    "食品经营许可（新办）",
    "公众聚集场所投入使用、营业前消防安全检查",
    "烟草专卖零售许可证核发（新办）",
)


@pytest.fixture
def log_in(browser: Browser, live_server: Any) -> Iterator[Callable[[User, ViewportSize], Page]]:
    """Each person in a browser context of their own; the contexts close (and so their
    connections) while the live server still runs."""
    contexts: list[BrowserContext] = []

    def log_in(user: User, viewport: ViewportSize) -> Page:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出")).to_be_visible()
        return page

    yield log_in
    for context in contexts:
        context.close()


def qr_text(pdf: bytes, folder: Path) -> str:
    """What a phone reads from the QR code of the rendered first page."""
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "certificate.pdf", "page"],
        cwd=folder,
        check=True,
    )
    page = next(folder.glob("page*.png"))
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_issue_download_verify_then_revoke(
    log_in: Callable[[User, ViewportSize], Page],
    live_server: Any,
    settings: Any,
    completed: Any,  # noqa: F811
    district_admin: User,  # noqa: F811
    applicant: User,
    tmp_path: Path,
) -> None:
    base = live_server.url
    settings.ONELICENSE_PUBLIC_URL = base  # the QR code opens this server's live page
    settings.DATA_DIR = tmp_path  # the district's signing key

    # The district admin: the completed application waits on 待颁发; issue it.
    admin = log_in(district_admin, DESKTOP)
    admin.goto(f"{base}/certificates/")
    expect(admin.get_by_role("heading", name="综合许可凭证", level=1)).to_be_visible()
    row = admin.locator("tbody tr").filter(has_text=str(completed.number))
    expect(row).to_contain_text("已许可 3 项")
    row.get_by_role("button", name="颁发").click()
    expect(admin.locator(".ol-banner")).to_contain_text("已颁发综合许可凭证")
    certificate = Certificate.objects.get(application=completed)
    expect(admin.locator("h1")).to_contain_text(certificate.number)
    expect(admin.locator(".ol-review__status")).to_contain_text("有效")

    # The applicant, on a phone: the PDF, sealed, and the live page from its QR code.
    phone = log_in(applicant, PHONE)
    response = phone.request.get(f"{base}/certificates/mine/{certificate.pk}.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    (seal,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert seal.field_name == "DistrictSeal"
    url = qr_text(pdf, tmp_path)
    assert url.startswith(f"{base}/v/")
    phone.goto(url)
    expect(phone.locator("#verdict")).to_contain_text("有效")
    for item in ITEMS:
        expect(phone.locator(".ol-permits")).to_contain_text(item)

    # The tobacco department revokes its permit: a legal basis, then the confirmation.
    tobacco = Permit.objects.get(application=completed, item__code="tobacco_retail_licence")
    reviewer = log_in(User.objects.get(username="r_tobacco"), DESKTOP)
    reviewer.goto(f"{base}/certificates/permits/")
    reviewer.get_by_role("link", name=tobacco.number).click()
    expect(reviewer.locator("h1")).to_contain_text("烟草专卖零售许可证")
    revoke = reviewer.locator("#action-revoke")
    revoke.locator("summary").click()
    revoke.get_by_label("吊销理由").fill("向未成年人销售烟草制品，情节严重")
    revoke.get_by_role("button", name="下一步：确认").click()
    expect(reviewer.locator(".ol-error-summary")).to_contain_text("撤销或吊销须写明法律依据")
    revoke = reviewer.locator("#action-revoke")
    revoke.get_by_label("法律依据").fill("《中华人民共和国烟草专卖法》第三十二条")
    revoke.get_by_role("button", name="下一步：确认").click()
    expect(reviewer.get_by_role("heading", name="确认吊销")).to_be_visible()
    expect(reviewer.locator(".ol-inset--warning")).to_contain_text(certificate.number)
    reviewer.get_by_role("button", name="确认吊销").click()
    expect(reviewer.locator(".ol-banner")).to_contain_text("1 份综合许可凭证已作废并收回")
    expect(reviewer.locator(".ol-review__status")).to_contain_text("吊销")

    # The same QR code now says the certificate is void.
    phone.goto(url)
    expect(phone.locator("#verdict")).to_contain_text("已作废")
    expect(phone.locator(".ol-verdict")).to_contain_text("烟草专卖零售许可证已吊销")
