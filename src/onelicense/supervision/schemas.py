"""The inspections API's shapes: field names in English, descriptions in Chinese."""

import datetime
from typing import Any

from ninja import Field, Schema

from onelicense.supervision.models import Assessment, Inspection, InspectionResult
from onelicense.supervision.selectors import SheetLine


class InspectionIn(Schema):
    uscc: str = Field(description="被检查市场主体的统一社会信用代码", max_length=18)
    departments: list[str] = Field(
        description="参加部门的部门类别代码，须含本人所在部门，如 market_regulation", min_length=1
    )
    participants: list[str] = Field(
        default_factory=list, description="其他检查人员的用户名（本区参加部门的执法检查人员）"
    )
    planned_for: datetime.date = Field(description="检查日期")
    plan: int | None = Field(default=None, description="所属双随机抽查计划的编号")


class ResultIn(Schema):
    point: int = Field(description="检查要点编号")
    outcome: str = Field(description="结果：pass 合格、fail 不合格、not_applicable 不适用")
    severity: str = Field(default="", description="不合格时的严重程度：minor 一般、serious 严重")
    note: str = Field(default="", max_length=500, description="说明")


class ResultsIn(Schema):
    results: list[ResultIn] = Field(min_length=1)


class PointOut(Schema):
    id: int
    department: str = Field(description="检查部门的部门类别代码")
    text: str = Field(description="检查内容")
    legal_basis: str = Field(description="依据")
    outcome: str | None = Field(description="已记录的结果，未记录为 null")
    severity: str = ""
    note: str = ""

    @staticmethod
    def build(line: SheetLine) -> "PointOut":
        result: InspectionResult | None = line.result
        return PointOut(
            id=line.point.pk,
            department=line.point.department.code,
            text=line.point.text,
            legal_basis=line.point.legal_basis,
            outcome=result.outcome if result else None,
            severity=result.severity if result else "",
            note=result.note if result else "",
        )


class InspectionOut(Schema):
    id: int
    uscc: str
    enterprise: str = Field(description="市场主体名称")
    industry: str = Field(description="行业代码")
    departments: list[str]
    participants: list[str] = Field(description="检查人员的用户名")
    planned_for: datetime.date
    status: str = Field(description="planned 待检查、completed 已完成")
    plan: int | None

    @staticmethod
    def build(inspection: Inspection) -> "InspectionOut":
        return InspectionOut(
            id=inspection.pk,
            uscc=inspection.enterprise.uscc,
            enterprise=inspection.enterprise.name,
            industry=inspection.industry_code,
            departments=sorted(k.code for k in inspection.departments.all()),
            participants=sorted(u.username for u in inspection.participants.all()),
            planned_for=inspection.planned_for,
            status=inspection.status,
            plan=inspection.plan_id,
        )


class InspectionDetailOut(InspectionOut):
    points: list[PointOut] = Field(description="本次检查的检查单及各要点的结果")


class ReasonOut(Schema):
    code: str = Field(description="计分事实代码")
    label: str = Field(description="中文说明")
    count: int = Field(description="次数")
    points: int = Field(description="加减分")


class GradeOut(Schema):
    uscc: str
    grade: str = Field(description="信用风险等级，如 A、B、C、D")
    label: str = Field(description="等级说明")
    score: int
    rules_version: str = Field(description="评分规则版本")
    computed_at: datetime.datetime
    reasons: list[ReasonOut] = Field(description="评价依据：每项计分事实及其分值")

    @staticmethod
    def build(assessment: Assessment, label: str) -> "GradeOut":
        data: dict[str, Any] = {
            "uscc": assessment.enterprise.uscc,
            "grade": assessment.grade,
            "label": label,
            "score": assessment.score,
            "rules_version": assessment.rules_version,
            "computed_at": assessment.computed_at,
            "reasons": assessment.reasons,
        }
        return GradeOut(**data)
