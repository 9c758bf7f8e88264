"""Shared by the applicant's pages: the access decorator, URLs, the error summary."""

import functools
import uuid
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from onelicense.accounts.models import User
from onelicense.applications import forms
from onelicense.applications.models import Application
from onelicense.applications.selectors import (
    application_for_editing,
)
from onelicense.core.errors import DomainError

P = ParamSpec("P")
DraftView = Callable[Concatenate[HttpRequest, Application, P], HttpResponse]


def current_user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # login_required ran first; this narrows the type
        raise PermissionDenied
    return request.user


def refused_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """404 where the user may not learn that the application exists; else a page saying why."""
    if error.status == 404:
        raise Http404(error.message)
    context = {"message": error.message}
    return render(request, "applications/refused.html", context, status=error.status)


def draft_page(view: DraftView[P]) -> Callable[..., HttpResponse]:
    """A page that changes a draft: the user's own, or one their window may complete. Anyone
    else gets 404 (or 403 where they may see it); a submitted one shows its status instead."""

    @functools.wraps(view)
    def page(
        request: HttpRequest, code: uuid.UUID, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        try:
            application = application_for_editing(current_user(request), str(code))
        except DomainError as error:
            return refused_page(request, error)
        if not application.is_draft:
            return redirect("applications:detail", code)
        return view(request, application, *args, **kwargs)

    return login_required(page)


def page_url(name: str, application: Application, anchor: str = "") -> str:
    return reverse(f"applications:{name}", args=[application.code]) + (
        f"#{anchor}" if anchor else ""
    )


def error_summary(
    fields: list[forms.Field], extra: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """The error summary: each message linking to its field."""
    entries = [(f"#{f.anchor}", forms.labelled(f.label, f.error)) for f in fields if f.error]
    return entries + [("#main", message) for message in (extra or {}).values()]


# --- My applications, start ----------------------------------------------------------------
