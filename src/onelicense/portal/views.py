"""Public pages: the home page, the entries by district, and the display settings."""

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onelicense.catalogue.models import Industry
from onelicense.catalogue.selectors import (
    district_get,
    districts_all,
    industry_get,
    industry_list,
    offerings_of,
    offerings_of_industry,
)
from onelicense.core.context_processors import LARGE_TEXT_COOKIE
from onelicense.core.errors import DomainError

LARGE_TEXT_MAX_AGE = 365 * 24 * 60 * 60


def _industries_or_none() -> list[Industry] | None:
    """The current catalogue's industries, or None while no catalogue is published."""
    try:
        return industry_list()
    except DomainError:
        return None


def _by_category(industries: list[Industry]) -> list[tuple[str, list[Industry]]]:
    groups: dict[str, list[Industry]] = {}
    for industry in industries:
        groups.setdefault(industry.category, []).append(industry)
    return list(groups.items())


def home(request: HttpRequest) -> HttpResponse:
    industries = _industries_or_none()
    context = {
        "groups": _by_category(industries) if industries is not None else None,
        "industry_count": len(industries or []),
        "districts": districts_all(),
    }
    return render(request, "portal/home.html", context)


def district_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/district_list.html", {"districts": districts_all()})


def district_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        district = district_get(code)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    industries = _industries_or_none()
    offerings = offerings_of(district)
    live = [i for i in industries or [] if i.code in offerings]
    context = {
        "district": district,
        "catalogue_ready": industries is not None,
        "groups": _by_category(live),
        "offerings": offerings,
        "not_live": [i for i in industries or [] if i.code not in offerings],
    }
    return render(request, "portal/district.html", context)


def industry_entries(request: HttpRequest, code: str) -> HttpResponse:
    """One industry's entry in every district: live and how far online, or not yet."""
    try:
        industry = industry_get(code=code)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    offerings = offerings_of_industry(code)
    rows = [(district, offerings.get(district.pk)) for district in districts_all()]
    return render(request, "portal/industry_entries.html", {"industry": industry, "rows": rows})


def _from_our_pages(request: HttpRequest) -> bool:
    """Whether the browser says the form was sent from one of our pages: its Origin header, or
    its Referer where a browser sends no Origin."""
    source = request.headers.get("Origin") or request.headers.get("Referer", "")
    return bool(source) and url_has_allowed_host_and_scheme(
        source, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@csrf_exempt
@require_POST
def large_text_toggle(request: HttpRequest) -> HttpResponse:
    """适老化: the large-text mode is a cookie, so it needs no account and no JavaScript.

    The header's form carries no CSRF token, so that a page which only shows something (the QR
    code's live page) sets no cookie; a toggle sent from another site is refused by its Origin
    (or Referer) header instead."""
    if not _from_our_pages(request):
        return HttpResponseForbidden(
            "请在本平台的页面上切换大字模式。", content_type="text/plain; charset=utf-8"
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if request.POST.get("large_text") == "1":
        response.set_cookie(
            LARGE_TEXT_COOKIE,
            "1",
            max_age=LARGE_TEXT_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response
