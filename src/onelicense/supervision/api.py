"""The inspections API (一业一查、一业一评): an inspector's inspections, planning one, recording
results at check points, and an enterprise's grade with its reasons.

Signed-in inspectors only (the session of the web pages); anyone else is 403. Another
district's inspection or enterprise is 404, or 403 when asked to act on it; each write calls
one service, whose refusal answers as `{"code", "message", "fields"}` and changes nothing.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from onelicense.accounts.models import User
from onelicense.catalogue.schemas import ErrorOut
from onelicense.core.errors import DomainError
from onelicense.supervision import selectors, services
from onelicense.supervision.schemas import (
    GradeOut,
    InspectionDetailOut,
    InspectionIn,
    InspectionOut,
    PointOut,
    ResultsIn,
)
from onelicense.supervision.scoring import rules_current

router = Router(tags=["监管检查"], auth=django_auth)

_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _inspector(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # django_auth answers with the user
    if not isinstance(user, User):
        raise AuthenticationError()
    if user.role != User.Role.INSPECTOR or user.department is None:
        raise DomainError("forbidden", _("只有执法检查人员可以使用此接口"), status=403)
    return user


def _detail(inspection_id: int, inspector: User) -> InspectionDetailOut:
    inspection = selectors.inspection_for_inspector(inspector, inspection_id)
    points = [PointOut.build(line) for line in selectors.inspection_sheet(inspection)]
    return InspectionDetailOut(**InspectionOut.build(inspection).dict(), points=points)


@router.get(
    "",
    response={200: list[InspectionOut], **_ERRORS},
    summary="我的检查",
    description=(
        "当前执法检查人员参加的、或本区本部门参检的联合检查（一业一查）；仅执法检查人员可用。"
    ),
)
def inspection_list(request: HttpRequest) -> list[InspectionOut]:
    rows = selectors.inspector_inspections(_inspector(request)).order_by("-planned_for", "-id")
    return [InspectionOut.build(row) for row in rows]


@router.post(
    "",
    response={201: InspectionDetailOut, **_ERRORS},
    summary="安排联合检查",
    description=(
        "为本区一家持证市场主体安排一次联合检查：检查日期、参加部门及其执法人员，"
        "检查要点取自该行业的检查单（一业一单）。市场主体不在本区、部门不在检查单上或"
        "人员不属本区时拒绝，不写入任何数据。"
    ),
)
def inspection_create(request: HttpRequest, payload: InspectionIn) -> Status[InspectionDetailOut]:
    inspector = _inspector(request)
    district = inspector.department.district if inspector.department else None
    enterprise = selectors.enterprise_find(payload.uscc)
    if not selectors.enterprise_permits_in(enterprise, district):
        raise DomainError(
            "enterprise_out_of_district",
            _("该市场主体不在本区监管范围内，不能安排检查"),
            status=403,
        )
    people = list(User.objects.filter(username__in=payload.participants))
    if len(people) != len(set(payload.participants)):
        raise DomainError(
            "invalid_inspection",
            _("检查安排有误"),
            fields={"participants": str(_("有用户名不存在"))},
            status=422,
        )
    inspection = services.inspection_create(
        actor=inspector,
        enterprise=enterprise,
        department_codes=payload.departments,
        participants=people,
        planned_for=payload.planned_for,
        plan_id=payload.plan,
    )
    return Status(201, _detail(inspection.pk, inspector))


@router.get(
    "/{int:inspection_id}",
    response={200: InspectionDetailOut, **_ERRORS},
    summary="检查详情",
    description="一次联合检查的参加人员、检查要点及各要点的检查结果；仅参加本次检查的人员及本区参检部门的执法人员可见。",
)
def inspection_get(request: HttpRequest, inspection_id: int) -> InspectionDetailOut:
    return _detail(inspection_id, _inspector(request))


@router.post(
    "/{int:inspection_id}/results",
    response={200: InspectionDetailOut, **_ERRORS},
    summary="记录检查结果",
    description="逐项记录检查要点的结果；任何一项有误（如要点不在本次检查单上）则全部不保存。",
)
def inspection_results(
    request: HttpRequest, inspection_id: int, payload: ResultsIn
) -> InspectionDetailOut:
    inspector = _inspector(request)
    inspection = selectors.inspection_for_inspector(inspector, inspection_id)
    services.inspection_results_record(
        inspection=inspection,
        actor=inspector,
        results=[
            services.ResultInput(r.point, r.outcome, r.severity, r.note) for r in payload.results
        ],
    )
    return _detail(inspection_id, inspector)


@router.get(
    "/enterprises/{uscc}/grade",
    response={200: GradeOut, **_ERRORS},
    summary="企业信用风险等级",
    description="本区持证市场主体的信用风险等级（一业一评）及其评价依据。",
)
def enterprise_grade(request: HttpRequest, uscc: str) -> GradeOut:
    inspector = _inspector(request)
    enterprise = selectors.enterprise_find(uscc)
    district = inspector.department.district if inspector.department else None
    if not selectors.enterprise_permits_in(enterprise, district):
        raise DomainError("enterprise_not_found", _("未找到该市场主体"), status=404)
    assessment = selectors.assessment_latest(enterprise.pk) or services.assessment_refresh(
        enterprise=enterprise
    )
    band = rules_current().band(assessment.grade)
    return GradeOut.build(assessment, band.label if band else "")
