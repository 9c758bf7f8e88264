"""The industry list with search, the integrated guide (一次告知) as a page and a PDF, and the
personalised notice (告知单): the guide for one set of answers."""

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from onelicense.accounts.models import District
from onelicense.catalogue import pdf, selectors
from onelicense.catalogue.models import Industry, Question
from onelicense.catalogue.plan import Plan, plan_compute
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


# --- The personalised notice (告知单) ------------------------------------------------------


def answers_from_query(questions: Iterable[Question], data: QueryDict) -> dict[str, Any]:
    """Answers as typed into a query string or a posted form, by question code: a list for a
    multiple choice, text for the rest, blanks left out. The plan checks them."""
    answers: dict[str, Any] = {}
    for question in questions:
        if question.type == Question.Type.MULTIPLE:
            value: Any = [code for code in data.getlist(question.code) if code]
        else:
            value = data.get(question.code, "").strip()
        if value:
            answers[question.code] = value
    return answers


def plan_lenient(
    *, industry: Industry, answers: dict[str, Any], district: District | None
) -> tuple[Plan, dict[str, str]]:
    """The plan of the answers that are valid, and a message for each that is not, so that a
    page can show what follows from the rest and say what to correct."""
    try:
        return plan_compute(industry=industry, answers=answers, district=district), {}
    except DomainError as exc:
        if not exc.fields:
            raise
        rest = {code: value for code, value in answers.items() if code not in exc.fields}
        return plan_compute(industry=industry, answers=rest, district=district), exc.fields


def _notice_for_request(request: HttpRequest, code: str) -> tuple[Plan, dict[str, str]]:
    try:
        district_code = request.GET.get("district", "")
        district = selectors.district_get(district_code) if district_code else None
        industry = selectors.industry_get(code=code)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    answers = answers_from_query(industry.questions.all(), request.GET)
    return plan_lenient(industry=industry, answers=answers, district=district)


def notice(request: HttpRequest, code: str) -> HttpResponse:
    plan, errors = _notice_for_request(request, code)
    questions = {question.code: question for question in plan.industry.questions.all()}
    context = {
        "plan": plan,
        "industry": plan.industry,
        "answered": [(a, pdf.answer_text(a.question, a.answer)) for a in plan.questions],
        "errors": [(questions[c], message) for c, message in errors.items() if c in questions],
        "query": request.GET.urlencode(),
        "remedies": plan.industry.version.remedies,
    }
    return render(request, "catalogue/notice.html", context)


def notice_pdf(request: HttpRequest, code: str) -> HttpResponse:
    plan, _errors = _notice_for_request(request, code)
    response = HttpResponse(pdf.notice_pdf(plan), content_type="application/pdf")
    place = plan.district.name if plan.district else ""
    name = f"{plan.industry.name}{place}告知单.pdf"
    response["Content-Disposition"] = (
        f"inline; filename=\"{code}-notice.pdf\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    return response
