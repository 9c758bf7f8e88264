"""Registering an applicant account and logging in: Chinese messages, and where people land."""

import re

import pytest
from django.test import Client

from onelicense.accounts.models import User
from onelicense.core.models import Event

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "13800138000",
    "display_name": "王小明",
    "password1": "kaidian-2024!",
    "password2": "kaidian-2024!",
}


def _errors(html: str) -> list[str]:
    summary = re.search(r'<div class="ol-error-summary".*?</div>', html, re.S)
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary.group(0)) if summary else []


class TestRegister:
    def test_the_page_asks_for_a_login_name_a_name_and_the_password_twice(self, client):
        html = client.get("/accounts/register/").content.decode()

        for label in ("用户名或手机号", "姓名", "密码", "再次输入密码"):
            assert f">{label}</label>" in html
        assert html.count('type="password"') == 2

    def test_registers_an_applicant_logs_in_and_lands_on_my_applications(self, client):
        response = client.post("/accounts/register/", GOOD)

        assert response.status_code == 302
        assert response["Location"] == "/apply/"
        user = User.objects.get(username="13800138000")
        assert user.role == User.Role.APPLICANT
        assert user.display_name == "王小明"
        assert user.phone == "13800138000"
        assert user.check_password("kaidian-2024!")
        assert client.get("/apply/").status_code == 200
        assert Event.objects.filter(verb="applicant_registered").count() == 1

    def test_a_username_that_is_not_a_phone_number_is_kept_as_a_name(self, client):
        client.post("/accounts/register/", GOOD | {"username": "北京味道"})

        assert User.objects.get(username="北京味道").phone == ""

    def test_returns_to_where_the_applicant_was_going(self, client):
        response = client.post("/accounts/register/", GOOD | {"next": "/apply/new/?industry=x"})

        assert response["Location"] == "/apply/new/?industry=x"

    def test_ignores_a_next_address_on_another_site(self, client):
        response = client.post("/accounts/register/", GOOD | {"next": "https://evil.example/"})

        assert response["Location"] == "/apply/"

    @pytest.mark.parametrize(
        "change, message",
        [
            ({"password2": "something-else"}, "再次输入密码：两次输入的密码不一致"),
            ({"password1": "short", "password2": "short"}, "密码：密码太短，至少需要 8 位"),
            (
                {"password1": "password", "password2": "password"},
                "密码：这个密码太常见，容易被猜到，请换一个",
            ),
            ({"username": ""}, "用户名或手机号：请填写用户名或手机号"),
            ({"display_name": ""}, "姓名：请填写姓名"),
            (
                {"username": "a b"},
                "用户名或手机号：用户名只能包含字母、数字、汉字和 @ . + - _ 符号",
            ),
        ],
    )
    def test_says_in_chinese_what_is_wrong(self, client, change, message):
        response = client.post("/accounts/register/", GOOD | change)

        assert response.status_code == 422
        assert message in _errors(response.content.decode())
        assert not User.objects.exists()

    def test_a_taken_name_is_refused(self, client, applicant):
        response = client.post("/accounts/register/", GOOD | {"username": "APPLICANT"})

        assert "用户名或手机号：该用户名或手机号已注册，请直接登录或换一个" in _errors(
            response.content.decode()
        )
        assert User.objects.count() == 1

    def test_keeps_what_was_typed_but_not_the_passwords(self, client):
        html = client.post("/accounts/register/", GOOD | {"password2": "x"}).content.decode()

        assert 'value="13800138000"' in html
        assert 'value="王小明"' in html
        assert "kaidian" not in html

    def test_someone_logged_in_goes_to_their_applications(self, client, applicant):
        client.force_login(applicant)

        assert client.get("/accounts/register/")["Location"] == "/apply/"


class TestLogin:
    def test_an_applicant_lands_on_my_applications(self, client, applicant):
        response = client.post("/accounts/login/", {"username": "applicant", "password": "pw"})

        assert response["Location"] == "/apply/"

    def test_staff_land_on_the_default_page(self, client, clerk):
        response = client.post("/accounts/login/", {"username": "clerk_chaoyang", "password": "pw"})

        assert response["Location"] == "/"

    def test_next_wins(self, client, applicant):
        response = client.post(
            "/accounts/login/", {"username": "applicant", "password": "pw", "next": "/apply/new/"}
        )

        assert response["Location"] == "/apply/new/"

    def test_a_wrong_password_is_told_in_chinese(self, client, applicant):
        response = client.post("/accounts/login/", {"username": "applicant", "password": "no"})

        assert "用户名（手机号）或密码不正确，请检查后重新输入" in _errors(
            response.content.decode()
        )

    def test_the_login_page_links_to_register(self, client):
        html = Client().get("/accounts/login/?next=/apply/").content.decode()

        assert 'href="/accounts/register/?next=/apply/"' in html
        assert ">用户名或手机号</label>" in html
