"""The industry list with search, and the integrated guide (一次告知) as a page and a PDF."""

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from onelicense.catalogue import pdf, selectors
from onelicense.catalogue.selectors import Guide
from onelicense.core.errors import DomainError

QUERY_MAX_LENGTH = 50


def _guide_for_request(request: HttpRequest, code: str) -> Guide:
    """The guide of an industry of the current catalogue, as the `?district=` runs it."""
    try:
        district_code = request.GET.get("district", "")
        district = selectors.district_get(district_code) if district_code else None
        industry = selectors.industry_get(code=code)
        return selectors.guide_build(industry=industry, district=district)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def industry_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    try:
        industries = selectors.industry_list(query=query)
    except DomainError:
        industries = None  # no catalogue published yet; the page says so
    context = {"query": query, "industries": industries}
    return render(request, "catalogue/industry_list.html", context)


def guide(request: HttpRequest, code: str) -> HttpResponse:
    the_guide = _guide_for_request(request, code)
    context = {
        "guide": the_guide,
        "industry": the_guide.industry,
        "version": the_guide.industry.version,
        "items": [(gi, pdf.sources_of(gi.item)) for gi in the_guide.items],
        "industry_sources": pdf.sources_of(the_guide.industry),
        "questions": the_guide.industry.questions.all(),
        "districts": selectors.districts_all(),
    }
    return render(request, "catalogue/guide.html", context)


def guide_pdf(request: HttpRequest, code: str) -> HttpResponse:
    the_guide = _guide_for_request(request, code)
    response = HttpResponse(pdf.guide_pdf(the_guide), content_type="application/pdf")
    # RFC 6266/5987: an ASCII name for old clients, the Chinese one for the rest.
    place = the_guide.district.name if the_guide.district else ""
    name = f"{the_guide.industry.name}{place}办事指南.pdf"
    response["Content-Disposition"] = (
        f"inline; filename=\"{code}-guide.pdf\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response
