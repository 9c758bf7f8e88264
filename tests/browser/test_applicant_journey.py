"""The applicant's path in a real browser, from registering to an accepted application.

A restaurant (餐饮店) in 朝阳区 with the shipped Beijing catalogue: 400 ㎡ and 50 万元 of
renovation need the food licence and the fire check (which allows 告知承诺); selling tobacco adds
the tobacco retail licence, an outdoor sign its filing. A 朝阳区 clerk accepts it at the window;
the applicant then sees 已受理 and the receipt; a 海淀区 clerk cannot see it at all.
"""

import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, ViewportSize, expect

from onelicense.applications.models import Application

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
VALUES = {
    "enterprise_name": "北京味道餐饮有限公司",
    "uscc": "91110000600037341l",  # typed in lower case; the form shows and stores upper case
    "legal_representative": "王小明",
    "legal_rep_id_number": "11010519491231002X",
    "contact_phone": "13800138000",
    "premises_address": "北京市朝阳区建国路88号",
    "business_hours": "10:00-22:00",
}


def small_pdf() -> bytes:
    """A real one-page PDF (with a correct cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def small_png() -> bytes:
    """A real 2×2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixels = b"".join(b"\x00" + b"\xcc\x22\x22" * 2 for _row in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def items_panel(page: Page) -> Any:
    return page.locator("#items")


def log_in(page: Page, base: str, username: str, password: str = "pw") -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()


def answer(page: Page, question: str, value: str) -> None:
    """Choose a 是/否 answer; plan.js fetches the questions and items it leads to."""
    page.check(f"#q-{question}-{value}")


def fill_the_form(page: Page) -> None:
    """Every field still empty, by what it is: radios and checkboxes take their first option."""
    for block in page.locator("form [data-field]").all():
        name = block.get_attribute("data-field") or ""
        radios = block.locator("input[type=radio]")
        boxes = block.locator("input[type=checkbox]")
        if radios.count():
            if not block.locator("input[type=radio]:checked").count():
                radios.first.check()
        elif boxes.count():
            if not block.locator("input[type=checkbox]:checked").count():
                boxes.first.check()
        elif block.locator("select").count():
            block.locator("select").select_option(index=1)
        elif block.locator("textarea").count():
            block.locator("textarea").fill(VALUES.get(name, "按规定配置，定期检查"))
        else:
            field = block.locator("input").first
            if field.input_value():
                continue
            numeric = field.get_attribute("inputmode") in ("numeric", "decimal")
            date = field.get_attribute("type") == "date"
            field.fill(VALUES.get(name, "20" if numeric else "2026-03-01" if date else "测试内容"))


def test_an_applicant_applies_online_and_a_clerk_accepts(
    page: Page,
    browser: Browser,
    live_server: Any,
    beijing_catalogue: Any,
    clerk: Any,
    other_clerk: Any,
    tmp_path: Path,
) -> None:
    base = live_server.url

    # Register: a new applicant lands on 我的申请.
    page.goto(f"{base}/accounts/register/")
    page.fill("#id_username", "13911112222")
    page.fill("#id_display_name", "王小明")
    page.fill("#id_password1", "kaidian-2024!")
    page.fill("#id_password2", "kaidian-2024!")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("heading", name="我的申请")).to_be_visible()

    # Start from the guide: 朝阳区 is chosen already.
    page.goto(f"{base}/industries/restaurant/?district=110105")
    page.get_by_role("link", name="在线申请").click()
    expect(page.locator("#district-110105")).to_be_checked()
    page.get_by_role("button", name="开始申请").click()
    expect(page.get_by_role("heading", name="餐饮店")).to_be_visible()
    application = Application.objects.get()
    assert page.url == f"{base}/apply/{application.code}/"

    # The questions: each change asks the server what now applies, without a reload.
    page.get_by_role("link", name="回答情形问题").click()
    expect(page.locator('[data-field="investment"]')).to_have_count(0)
    page.fill("#q-area", "400")
    answer(page, "chain", "false")  # leaving the area field fetches the follow-up
    expect(page.locator('[data-field="investment"]')).to_be_visible()
    expect(page.locator("#q-area")).to_have_value("400")  # nothing typed is lost
    page.fill("#q-investment", "50")
    answer(page, "alcohol", "true")
    answer(page, "tobacco", "false")
    expect(items_panel(page)).to_contain_text("公众聚集场所投入使用、营业前消防安全检查")
    expect(items_panel(page)).not_to_contain_text("烟草专卖零售许可")
    answer(page, "tobacco", "true")
    expect(items_panel(page)).to_contain_text("烟草专卖零售许可证核发（新办）")
    answer(page, "outdoor_sign", "true")
    expect(items_panel(page)).to_contain_text("牌匾标识（户外广告设施）设置方案报送公示")
    answer(page, "prepaid_card", "false")
    expect(page.locator("#plan-status")).to_contain_text("需要办理的事项已更新：4 项")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".ol-task-list")).to_contain_text("已完成")
    application.refresh_from_db()
    assert application.answers["tobacco"] is True

    # The one form: each element once, prefilled from the answers.
    page.get_by_role("link", name="填写申请表").click()
    expect(page.locator("#f-premises_area")).to_have_value("400")
    expect(page.locator("#f-chain_operation-false")).to_be_checked()  # 否 fills in too
    expect(page.locator("#f-renovation_investment")).to_have_value("50")
    expect(page.locator("#f-uscc")).to_have_count(1)
    expect(page.locator("#f-enterprise_name-used")).to_have_text("用于：综合许可凭证")
    fill_the_form(page)
    page.fill("#f-contact_phone", "1380013")  # a mistake first
    page.get_by_role("button", name="保存并继续").click()
    summary = page.locator(".ol-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="联系电话：请填写 11 位手机号码，如 13800138000").click()
    expect(page.locator("#f-contact_phone")).to_be_focused()
    page.fill("#f-contact_phone", VALUES["contact_phone"])
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".ol-banner")).to_contain_text("申请表已保存")
    application.refresh_from_db()
    assert application.form_data["uscc"] == "91110000600037341L"

    # Materials: a real small PDF or PNG for each.
    page.get_by_role("link", name="上传材料").click()
    # The list is read at once (no waiting): wait for the page to show it first.
    expect(page.locator("section.ol-material").first).to_be_visible()
    pdf_file, png_file = tmp_path / "材料.pdf", tmp_path / "照片.png"
    pdf_file.write_bytes(small_pdf())
    png_file.write_bytes(small_png())
    codes = [
        (section.get_attribute("id") or "").removeprefix("m-")
        for section in page.locator("section.ol-material").all()
    ]
    assert "premises_photos" in codes and "sign_plan" in codes and "location_map" in codes
    too_big: FilePayload = {
        "name": "扫描件.pdf",
        "mimeType": "application/pdf",
        "buffer": b"0" * 10_485_761,
    }
    page.locator("#m-floor_plan input[type=file]").set_input_files(files=[too_big])
    expect(page.locator("#m-floor_plan")).to_contain_text("文件不能超过 10 MB")  # before sending
    for code in codes:
        section = page.locator(f"#m-{code}")
        section.locator("input[type=file]").set_input_files(
            png_file if code == "premises_photos" else pdf_file
        )
        section.get_by_role("button", name="上传").click()
        expect(page.locator(f"#m-{code}")).to_contain_text("已上传")
    page.get_by_role("link", name="完成并返回任务列表").click()

    # Route and commitment: the fire check by 告知承诺; no other item offers it.
    page.get_by_role("link", name="选择办理方式并签署告知承诺").click()
    expect(page.locator("section.ol-route")).to_have_count(1)
    route = page.locator("#c-fire_safety_check")
    expect(route.locator(".ol-conditional")).to_be_hidden()
    route.get_by_label("告知承诺", exact=True).check()
    expect(route.locator(".ol-commitment-text")).to_contain_text("本单位承诺")
    route.get_by_label("承诺人姓名").fill("王小明")
    route.get_by_label("本人已阅读并承诺").check()
    route.get_by_role("button", name="保存").click()
    expect(page.locator("#c-fire_safety_check")).to_contain_text("已签署告知承诺书")
    page.get_by_role("link", name="返回任务列表").click()

    # Check your answers, then submit: the confirmation gives the number.
    page.get_by_role("link", name="核对并提交").click()
    expect(page.locator(".ol-error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("烟草专卖零售许可证核发（新办）")
    page.get_by_role("button", name="确认并提交").click()
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    number = page.locator(".ol-confirmation__number").inner_text()
    assert re.fullmatch(r"110105\d{12}", number)
    page.go_back()  # the check page now shows the status, and nothing is submitted twice
    page.reload()
    assert Application.objects.get().number == number

    # The 朝阳区 clerk accepts it at the window.
    window = browser.new_context().new_page()
    log_in(window, base, "clerk_chaoyang")
    window.goto(f"{base}/window/")
    window.get_by_role("link", name=re.compile(number)).first.click()
    window.get_by_role("button", name="受理", exact=True).click()
    expect(window.locator(".ol-banner")).to_contain_text(f"已受理申请 {number}")

    # The applicant sees 已受理 and can download the receipt.
    page.goto(f"{base}/apply/")
    expect(page.locator(".ol-card").first).to_contain_text("已受理")
    page.get_by_role("link", name="餐饮店 · 朝阳区").click()
    expect(page.locator("main")).to_contain_text("综合窗口已受理")
    receipt = page.get_by_role("link", name="下载受理通知书（PDF）")
    response = page.request.get(base + (receipt.get_attribute("href") or ""))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"

    # A 海淀区 clerk does not learn that it exists.
    haidian = browser.new_context().new_page()
    log_in(haidian, base, "clerk_haidian")
    for path in (f"/window/{application.code}/", f"/apply/{application.code}/"):
        assert haidian.goto(base + path).status == 404  # type: ignore[union-attr]
    for other in (window, haidian, page):  # before the live server's database goes away
        other.context.close()


def test_the_form_fits_a_phone_screen(
    browser: Browser, live_server: Any, beijing_catalogue: Any, applicant: Any, tmp_path: Path
) -> None:
    from onelicense.applications import services
    from onelicense.applications.tests.factories import draft

    application = draft(applicant)
    services.application_save(
        application=application,
        actor=applicant,
        answers={
            "area": 400,
            "chain": False,
            "investment": 50,
            "tobacco": True,
            "outdoor_sign": True,
        },
    )
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = phone.new_page()
    log_in(page, live_server.url, "applicant")
    for name in ("form", "questions", "materials", "commitments", "check", ""):
        page.goto(f"{live_server.url}/apply/{application.code}/{name + '/' if name else ''}")
        page.screenshot(path=str(tmp_path / f"phone-{name or 'tasks'}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name or 'tasks'} overflows by {overflow}px"
    phone.close()
