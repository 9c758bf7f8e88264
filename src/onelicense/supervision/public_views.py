"""Public pages: the compliance manual and checklist of an industry (一业一册、一业一单), and the
complaint form (社会共治) anyone may use without signing in, limited per address."""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from onelicense.core.errors import DomainError
from onelicense.supervision import selectors, services
from onelicense.supervision.forms import ComplaintForm

# At most this many complaints from one address per hour: enough for a person, not for a script.
COMPLAINTS_PER_HOUR = 5


def manual(request: HttpRequest, code: str) -> HttpResponse:
    try:
        checklist = selectors.checklist_get(code)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "supervision/manual.html",
        {
            "checklist": checklist,
            "sections": selectors.manual_sections(checklist),
            "points": selectors.checklist_points(checklist),
        },
    )


def _over_limit(request: HttpRequest) -> bool:
    key = f"onelicense:complaints:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, 3600)
    return cache.incr(key) > COMPLAINTS_PER_HOUR


def complaint_new(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _over_limit(request):
            form.add_error(None, _("提交过于频繁，请一小时后再试"))
            status = 429
        else:
            try:
                complaint = services.complaint_submit(
                    content=form.cleaned_data["content"],
                    contact_name=form.cleaned_data["contact_name"],
                    contact_phone=form.cleaned_data["contact_phone"],
                    **form.lookup(),
                )
            except DomainError as exc:
                for field, message in exc.fields.items():
                    form.add_error("identifier" if field == "enterprise" else field, message)
                status = 422
            else:
                return render(request, "supervision/complaint_done.html", {"complaint": complaint})
    return render(request, "supervision/complaint_new.html", {"form": form}, status=status)
