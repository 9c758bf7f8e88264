"""Applicant accounts: register with a username or a mobile number, and log in."""

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.core.services import event_record

PHONE = re.compile(r"^1[3-9]\d{9}$")
# Django's own zh-hans catalogue lacks some of these (the too-short one), so they are said here.
PASSWORD_MESSAGES = {
    "password_too_short": _("密码太短，至少需要 %(min_length)s 位"),
    "password_too_common": _("这个密码太常见，容易被猜到，请换一个"),
    "password_too_similar": _("密码与用户名或姓名太相似，请换一个"),
    "password_entirely_numeric": _("密码不能全是数字"),
}


class LoginForm(AuthenticationForm):
    """Django's login form with the messages an applicant understands."""

    error_messages = {
        "invalid_login": _("用户名（手机号）或密码不正确，请检查后重新输入"),
        "inactive": _("该账号已停用，请联系平台管理员"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名或手机号")
        self.fields["username"].error_messages["required"] = _("请输入用户名或手机号")
        self.fields["password"].label = _("密码")
        self.fields["password"].error_messages["required"] = _("请输入密码")


class RegisterForm(forms.Form):
    """A new applicant (申请人) account; staff accounts are made by administrators."""

    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        help_text=_("登录时使用。可以用手机号，或由字母、数字、汉字组成的用户名"),
        error_messages={"required": _("请填写用户名或手机号")},
    )
    display_name = forms.CharField(
        label=_("姓名"),
        max_length=60,
        help_text=_("申请人或经办人的真实姓名"),
        error_messages={"required": _("请填写姓名"), "max_length": _("姓名不能超过 60 个字")},
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("至少 8 位，不要使用过于简单、常见的密码"),
        error_messages={"required": _("请设置密码")},
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("请再次输入密码")},
    )

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        try:
            UnicodeUsernameValidator()(username)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                _("用户名只能包含字母、数字、汉字和 @ . + - _ 符号")
            ) from exc
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名或手机号已注册，请直接登录或换一个"))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致"))
        elif first:
            user = User(
                username=data.get("username", ""), display_name=data.get("display_name", "")
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as exc:
                for error in exc.error_list:
                    message = PASSWORD_MESSAGES.get(error.code or "")
                    self.add_error(
                        "password1", message % (error.params or {}) if message else error
                    )
        return data

    @transaction.atomic
    def save(self) -> User:
        username = self.cleaned_data["username"]
        user = User.objects.create_user(
            username,
            password=self.cleaned_data["password1"],
            display_name=self.cleaned_data["display_name"].strip(),
            phone=username if PHONE.match(username) else "",
            role=User.Role.APPLICANT,
        )
        event_record(actor=user, verb="applicant_registered", subject=user)
        return user
