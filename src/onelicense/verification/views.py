"""The public verification pages: what a phone opens from the QR code, and a form to paste one.

No sign-in needed; answers are never cached (the status is live) and never indexed.
Rate-limited per client address like the API.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import engines

from onelicense.verification import services
from onelicense.verification.errors import HEADINGS
from onelicense.verification.headers import live_headers
from onelicense.verification.ratelimit import rate_hit


def _page(request: HttpRequest, token: str, *, current: bool) -> HttpResponse:
    retry_after = rate_hit(request)
    if retry_after is not None:
        context: dict[str, object] = {"retry_after": retry_after}
        response = render(request, "verification/too_many.html", context, status=429)
        response["Retry-After"] = str(retry_after)
    else:
        result = services.token_verify(token, current=current)
        heading = HEADINGS.get(result.code, "")
        context = {
            "result": result,
            "token": token,
            "current": current,
            "heading": heading,
            "status_labels": services.status_labels(),
        }
        page = engines["jinja2"].get_template("verification/live.html")  # core/jinja.py
        response = HttpResponse(page.render(context, request))
    return live_headers(response)


def live(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, token, current=False)


def current(request: HttpRequest, token: str) -> HttpResponse:
    """The newest version of the certificate whose (replaced) QR code this is."""
    return _page(request, token, current=True)


def lookup(request: HttpRequest) -> HttpResponse:
    """/verify/?code=…: a pasted QR text (the URL or the bare token) opens its live page."""
    token = services.token_from_text(request.GET.get("code", ""))[:2000]
    if token:
        return redirect("verification:live", token=token)
    return render(request, "verification/lookup.html", {"asked": "code" in request.GET})
