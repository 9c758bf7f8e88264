"""The catalogue's public endpoints: industries, their questions, their guide (一次告知) and
the plan that the answers decide (一表申请).

All are open to anyone, as the printed guide is.
"""

from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Router
from ninja.params import P, PathEx, QueryEx

from onelicense.catalogue import selectors
from onelicense.catalogue.models import Industry
from onelicense.catalogue.plan import plan_compute
from onelicense.catalogue.schemas import (
    ErrorOut,
    GuideOut,
    IndustryDetailOut,
    IndustryOut,
    PlanIn,
    PlanOut,
    plan_data,
)

router = Router(tags=["行业目录"])

_ERRORS = {404: ErrorOut, 422: ErrorOut}
IndustryCode = PathEx[str, P(max_length=60, description="行业代码，如 restaurant")]


def _item_counts(industries: list[Industry]) -> dict[int, int]:
    # One query for all the industries, whatever their number.
    prefetch_related_objects(industries, "item_links")
    return {industry.pk: len(industry.item_links.all()) for industry in industries}


@router.get(
    "",
    response={200: list[IndustryOut], **_ERRORS},
    operation_id="industry_list",
    url_name="industry_list",
    summary="行业列表与检索",
    description=(
        "现行目录中的全部行业，按目录顺序。给出 `q` 时按行业名称、别名、关键词及其拼音"
        "（全拼或首字母，如 kafei、kf）检索，名称完全相同的排在最前。"
        "无已发布目录时返回 404（catalogue_not_published）。"
    ),
)
def industry_list(
    request: HttpRequest,
    q: QueryEx[
        str, P(max_length=50, description="检索词：中文关键词、别名或拼音，如 咖啡、奶茶、kafei")
    ] = "",
) -> list[IndustryOut]:
    industries = selectors.industry_list(query=q)
    counts = _item_counts(industries)
    return [IndustryOut.build(industry, item_count=counts[industry.pk]) for industry in industries]


@router.get(
    "/{code}",
    response={200: IndustryDetailOut, **_ERRORS},
    operation_id="industry_get",
    url_name="industry_get",
    summary="行业详情与情形问题",
    description=(
        "一个行业的基本信息、所属目录版本，以及申请前需回答的情形问题（含选项、追问条件 "
        "`show_when` 和预填的信息要素 `fills`）。行业不存在时返回 404（industry_not_found）。"
    ),
)
def industry_get(request: HttpRequest, code: IndustryCode) -> IndustryDetailOut:
    industry = selectors.industry_get(code=code)
    counts = _item_counts([industry])
    return IndustryDetailOut.build_detail(industry, item_count=counts[industry.pk])


@router.get(
    "/{code}/guide",
    response={200: GuideOut, **_ERRORS},
    operation_id="industry_guide",
    url_name="industry_guide",
    summary="行业综合办事指南",
    description=(
        "一次告知：本行业可能涉及的全部审批事项（实施机关、设定依据、受理条件、时限、收费、"
        "证件、告知承诺、材料、信息要素、救济途径及出处），合并后的材料与信息要素，"
        "改革成效数字和办理流程。给出 `district` 时按该区的机关名称、复议机关和阈值作答。"
        "行业或区不存在时返回 404（industry_not_found / district_not_found）。"
    ),
)
def industry_guide(
    request: HttpRequest,
    code: IndustryCode,
    district: QueryEx[
        str | None,
        P(
            # Empty, as a form's blank choice sends it, means no district.
            pattern=r"^(\d{6})?$",
            description="区的行政区划代码（GB/T 2260，6 位数字），如 110105 朝阳区；留空表示不指定",
        ),
    ] = None,
) -> GuideOut:
    industry = selectors.industry_get(code=code)
    place = selectors.district_get(district) if district else None
    return GuideOut.build(selectors.guide_build(industry=industry, district=place))


@router.post(
    "/{code}/plan",
    response={200: PlanOut, **_ERRORS},
    operation_id="industry_plan",
    url_name="industry_plan",
    summary="情形引导：按回答计算事项、材料与申请表",
    description=(
        "提交已作的情形回答（可只答一部分），返回按这些回答应显示的问题（含追问）及其回答、"
        "是否已答完、需要办理的审批事项、合并后的申请材料、合并后的一张申请表（每个信息要素"
        "只填一次，标明需要它的事项和预填值）以及改革成效数字。被追问条件隐藏的问题，其回答"
        "不予采用。给出 `district` 时按该区的阈值和机关名称计算。回答有误时返回 422"
        "（invalid_answers），`fields` 按问题代码逐项说明；行业或区不存在时返回 404"
        "（industry_not_found / district_not_found）。"
    ),
)
def industry_plan(request: HttpRequest, code: IndustryCode, payload: PlanIn) -> dict[str, Any]:
    industry = selectors.industry_get(code=code, questions=False)
    place = selectors.district_get(payload.district) if payload.district else None
    return plan_data(plan_compute(industry=industry, answers=payload.answers, district=place))
