"""Log in, log out and register: applicants land on their applications."""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from onelicense.accounts.forms import LoginForm, RegisterForm
from onelicense.accounts.models import User


def _landing(user: object) -> str:
    """我的申请 for an applicant; staff keep the site's default."""
    if isinstance(user, User) and user.role == User.Role.APPLICANT:
        return reverse("applications:list")
    return ""


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def get_default_redirect_url(self) -> str:
        return _landing(self.request.user) or super().get_default_redirect_url()


def register(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if request.user.is_authenticated:
        return redirect(target or _landing(request.user) or "portal:home")
    form = RegisterForm(request.POST or None)
    if form.is_bound and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(target or _landing(user))
    context = {"form": form, "next": target}
    return render(
        request, "registration/register.html", context, status=422 if form.errors else 200
    )
