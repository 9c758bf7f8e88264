"""The catalogue's API shapes, and how a selector's result becomes one.

Field names are English (the glossary's); descriptions say in Chinese what a field means, for
the OpenAPI document every district's system reads.
"""

from decimal import Decimal
from typing import Any

from django.db import models
from django.urls import reverse
from ninja import Field, Schema

from onelicense.accounts.models import District
from onelicense.catalogue.models import (
    ApprovalItem,
    CatalogueVersion,
    Industry,
    InfoElement,
    Material,
    Question,
)
from onelicense.catalogue.plan import AskedQuestion, FormField, Plan
from onelicense.catalogue.selectors import Guide, GuideItem, MergedMaterial, ReformFigures


def _choice(choices: type[models.TextChoices], description: str) -> Any:
    """A string field whose allowed values are the model's choices, listed in the document."""
    return Field(description=description, json_schema_extra={"enum": list(choices.values)})


def _number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a JSON number: 100000.00 → 100000, 0.50 → 0.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class ErrorOut(Schema):
    """统一的错误格式。"""

    code: str = Field(description="错误代码（英文，供程序判断），如 industry_not_found")
    message: str = Field(description="中文说明")
    fields: dict[str, str] = Field(description="逐项说明：字段名 → 中文说明；无则为空对象")


# --- industries -----------------------------------------------------------------------------


class IndustryLinksOut(Schema):
    """相关地址。"""

    detail: str = Field(description="行业详情（含情形问题）的地址")
    guide: str = Field(description="行业综合办事指南的地址")


class IndustryOut(Schema):
    """行业（列表中的一项）。"""

    code: str = Field(description="行业代码")
    name: str = Field(description="行业名称")
    category: str = Field(description="门类，如 餐饮")
    aliases: list[str] = Field(description="别名")
    lead_department: str = Field(description="牵头部门（通称，如 区市场监督管理局）")
    form_mode: str = _choice(
        Industry.FormMode, "申请方式：one_form 一表申请；joint_submission 多个事项、一次申报"
    )
    online_depth: str = _choice(
        Industry.OnlineDepth,
        "网办深度：full_online 全程网办；partly_online 部分网办；window_only 窗口办理",
    )
    item_count: int = Field(description="本行业涉及的审批事项数（含视情形办理的事项）")
    links: IndustryLinksOut

    @classmethod
    def build(cls, industry: Industry, *, item_count: int) -> "IndustryOut":
        return cls(**_industry_fields(industry, item_count=item_count))


def _industry_fields(industry: Industry, *, item_count: int) -> dict[str, Any]:
    code = industry.code
    return {
        "code": code,
        "name": industry.name,
        "category": industry.category,
        "aliases": list(industry.aliases),
        "lead_department": str(industry.lead_department),
        "form_mode": industry.form_mode,
        "online_depth": industry.online_depth,
        "item_count": item_count,
        "links": IndustryLinksOut(
            detail=reverse("api:industry_get", kwargs={"code": code}),
            guide=reverse("api:industry_guide", kwargs={"code": code}),
        ),
    }


class VersionOut(Schema):
    """作答所依据的目录版本。"""

    code: str = Field(description="目录版本号")
    title: str = Field(description="目录标题")
    valid_from: str = Field(description="生效日期（YYYY-MM-DD）")

    @classmethod
    def build(cls, version: CatalogueVersion) -> "VersionOut":
        return cls(
            code=version.code, title=version.title, valid_from=version.valid_from.isoformat()
        )


class OptionOut(Schema):
    """选项。"""

    code: str = Field(description="选项代码")
    label: str = Field(description="选项文字")


class QuestionOut(Schema):
    """情形问题；追问仅在 `show_when` 成立时显示。"""

    code: str = Field(description="问题代码")
    text: str = Field(description="问题")
    help: str = Field(description="填写说明，无则为空字符串")
    type: str = _choice(
        Question.Type, "类型：single 单选；multiple 多选；number 数值；boolean 是/否"
    )
    unit: str = Field(description="数值的单位，如 ㎡")
    min: int | float | None = Field(description="数值下限")
    max: int | float | None = Field(description="数值上限")
    options: list[OptionOut] = Field(description="单选、多选题的选项")
    show_when: dict[str, Any] | None = Field(
        description='追问条件（规则原文，如 {"q": "area", "gt": 50}）；为空则总是显示'
    )
    fills: str | None = Field(description="该回答预填的信息要素代码")

    @classmethod
    def build(cls, question: Question) -> "QuestionOut":
        return cls(
            code=question.code,
            text=question.text,
            help=question.help_text,
            type=question.type,
            unit=question.unit,
            min=_number(question.min_value),
            max=_number(question.max_value),
            options=[OptionOut(code=o.code, label=o.label) for o in question.options.all()],
            show_when=question.show_when,
            fills=question.fills.code if question.fills else None,
        )


class IndustryDetailOut(IndustryOut):
    """行业详情，含情形问题。"""

    keywords: list[str] = Field(description="检索关键词")
    scope: str = Field(description="适用范围")
    questions: list[QuestionOut] = Field(description="情形问题，按提问顺序")
    version: VersionOut

    @classmethod
    def build_detail(cls, industry: Industry, *, item_count: int) -> "IndustryDetailOut":
        return cls(
            **_industry_fields(industry, item_count=item_count),
            keywords=list(industry.keywords),
            scope=industry.scope,
            questions=[QuestionOut.build(q) for q in industry.questions.all()],
            version=VersionOut.build(industry.version),
        )


# --- the guide ------------------------------------------------------------------------------


class ItemMaterialOut(Schema):
    """事项所需的一份材料。"""

    code: str = Field(description="材料代码")
    name: str = Field(description="材料名称")
    form: str = _choice(
        Material.Form,
        "形式：original 原件；copy 复印件；original_and_copy 原件及复印件；electronic 电子文件",
    )
    required: bool = Field(description="是否必需")
    deferrable: bool = Field(description="是否可容缺后补")
    condition: str = Field(description="需要提交的情形，总是需要则为空字符串")


class PermitOut(Schema):
    """事项颁发的证件。"""

    name: str = Field(description="证件名称")
    validity_months: int | None = Field(description="有效期（月），为空表示长期有效")


class RemediesOut(Schema):
    """救济途径（行政复议法第二十条、第二十四条、第二十七条；行政诉讼法第四十五条、第四十六条）。"""

    review_body: str = Field(description="行政复议机关")
    review_days: int | None = Field(description="申请行政复议的期限（日，自知道该行政行为之日起）")
    litigation_months: int | None = Field(description="直接提起行政诉讼的期限（月）")
    litigation_after_review_days: int | None = Field(
        description="对复议决定不服提起行政诉讼的期限（日）"
    )


class GuideItemOut(Schema):
    """审批事项（指定区时按该区的机关名称）。"""

    code: str = Field(description="事项代码")
    name: str = Field(description="事项名称")
    department: str = Field(description="实施机关（指定区时为该区的机关全称）")
    department_kind: str = Field(description="部门类别代码，如 market_regulation")
    kind: str = _choice(ApprovalItem.Kind, "类别：licence 行政许可；filing 备案")
    level: str = _choice(ApprovalItem.Level, "实施层级：district 区级；city 市级")
    national_code: str = Field(description="国家基本编码，未知则为空字符串")
    legal_basis: str = Field(description="设定依据")
    conditions: str = Field(description="受理条件")
    applies_when: str = Field(description="本行业中需要办理该事项的情形说明；总是需要则为空字符串")
    rule: dict[str, Any] | None = Field(description="适用条件（规则原文）；为空表示总是需要办理")
    statutory_limit_days: int = Field(description="法定办结时限（工作日）")
    promised_limit_days: int = Field(description="承诺办结时限（工作日）")
    max_extension_days: int = Field(description="依法可延长的期限（工作日）")
    fee: str = Field(description="收费")
    permit: PermitOut | None = Field(description="颁发的证件；备案等不发证的为空")
    commitment_allowed: bool = Field(description="是否可以告知承诺方式办理")
    commitment_text: str = Field(description="告知承诺书内容")
    verification_days: int | None = Field(description="告知承诺后的核查期限（工作日）")
    onsite_check: bool = Field(description="是否需要现场核查")
    materials: list[ItemMaterialOut] = Field(description="该事项单独办理时所需材料")
    elements: list[str] = Field(description="该事项单独办理时需填写的信息要素代码")
    remedies: RemediesOut
    sources: dict[str, str] = Field(
        description="各项内容的出处：字段名（或 * 表示整条）→ 网址、law:法律条文 或 assumed"
    )

    @classmethod
    def build(cls, guide_item: GuideItem, remedies: dict[str, Any]) -> "GuideItemOut":
        item = guide_item.item
        permit = None
        if item.permit_name:
            permit = PermitOut(name=item.permit_name, validity_months=item.permit_validity_months)
        return cls(
            code=item.code,
            name=item.name,
            department=guide_item.department,
            department_kind=item.department.code,
            kind=item.kind,
            level=item.level,
            national_code=item.national_code,
            legal_basis=item.legal_basis,
            conditions=item.conditions,
            applies_when=guide_item.condition,
            rule=guide_item.link.rule,
            statutory_limit_days=item.statutory_limit_days,
            promised_limit_days=item.promised_limit_days,
            max_extension_days=item.max_extension_days,
            fee=item.fee,
            permit=permit,
            commitment_allowed=item.commitment_allowed,
            commitment_text=item.commitment_text,
            verification_days=item.verification_days,
            onsite_check=item.onsite_check,
            materials=[
                ItemMaterialOut(
                    code=m.material.code,
                    name=m.material.name,
                    form=m.material.form,
                    required=m.required,
                    deferrable=m.deferrable,
                    condition=m.condition,
                )
                for m in guide_item.materials
            ],
            elements=[element.code for element in guide_item.elements],
            remedies=RemediesOut(
                review_body=guide_item.review_body,
                review_days=remedies.get("review_days"),
                litigation_months=remedies.get("litigation_months"),
                litigation_after_review_days=remedies.get("litigation_after_review_days"),
            ),
            # An entry with no sources is taken as wholly assumed (docs/catalogue-format.md).
            sources={str(k): str(v) for k, v in item.provenance.items()} or {"*": "assumed"},
        )


class MergedMaterialOut(Schema):
    """合并后的申请材料：同一份材料只交一次。"""

    code: str = Field(description="材料代码")
    name: str = Field(description="材料名称")
    form: str = _choice(Material.Form, "形式，同事项材料")
    note: str = Field(description="说明")
    conditions: list[str] = Field(description="需要提交的情形说明（仅部分事项视情形需要时）")
    items: list[str] = Field(description="需要该材料的事项代码")


class MergedElementOut(Schema):
    """合并后的信息要素：一表申请中每项只填一次。"""

    code: str = Field(description="信息要素代码")
    label: str = Field(description="名称")
    type: str = _choice(InfoElement.Type, "填写类型")
    section: str = _choice(InfoElement.Section, "表单分组")
    unit: str = Field(description="单位")
    items: list[str] = Field(description="需要该信息要素的事项代码")


class FiguresOut(Schema):
    """改革成效：逐项分别办理与“一业一证”合并办理的对比。"""

    items: int = Field(description="事项数")
    departments: int = Field(description="涉及部门数")
    materials_separate: int = Field(description="逐项办理时的材料份数")
    materials_merged: int = Field(description="合并后的材料份数")
    fields_separate: int = Field(description="逐项办理时的填报项数")
    fields_merged: int = Field(description="一表申请的填报项数")
    statutory_days_total: int = Field(description="逐项办理的法定时限之和（工作日）")
    promised_days: int = Field(description="并联审批的承诺时限（最慢事项，工作日）")
    materials_cut_percent: int = Field(description="材料精简百分比")
    fields_cut_percent: int = Field(description="填报项精简百分比")
    days_cut_percent: int = Field(description="时限压缩百分比")

    @classmethod
    def build(cls, figures: ReformFigures) -> "FiguresOut":
        return cls(
            items=figures.items,
            departments=figures.departments,
            materials_separate=figures.materials_separate,
            materials_merged=figures.materials_merged,
            fields_separate=figures.fields_separate,
            fields_merged=figures.fields_merged,
            statutory_days_total=figures.statutory_days_total,
            promised_days=figures.promised_days,
            materials_cut_percent=figures.materials_cut_percent,
            fields_cut_percent=figures.fields_cut_percent,
            days_cut_percent=figures.days_cut_percent,
        )


class StepOut(Schema):
    """办理步骤。"""

    title: str = Field(description="步骤名称，如 一次告知")
    text: str = Field(description="说明")


class DistrictOut(Schema):
    """区。"""

    code: str = Field(description="行政区划代码（GB/T 2260）")
    name: str = Field(description="区名称")

    @classmethod
    def build(cls, district: District | None) -> "DistrictOut | None":
        return cls(code=district.code, name=district.name) if district else None


class IndustryRefOut(Schema):
    """指南所属行业。"""

    code: str = Field(description="行业代码")
    name: str = Field(description="行业名称")


class GuideOut(Schema):
    """行业综合办事指南（一次告知）。"""

    industry: IndustryRefOut
    version: VersionOut
    district: DistrictOut | None = Field(description="指南所按的区；未指定区时为空")
    items: list[GuideItemOut] = Field(description="本行业可能涉及的全部审批事项")
    materials: list[MergedMaterialOut] = Field(description="合并后的申请材料，每份只交一次")
    elements: list[MergedElementOut] = Field(description="合并后的信息要素，每项只填一次")
    figures: FiguresOut
    steps: list[StepOut] = Field(description="办理流程")

    @classmethod
    def build(cls, guide: Guide) -> "GuideOut":
        material_items: dict[str, list[str]] = {}
        element_items: dict[str, list[str]] = {}
        for gi in guide.items:
            for m in gi.materials:
                material_items.setdefault(m.material.code, []).append(gi.item.code)
            for element in gi.elements:
                element_items.setdefault(element.code, []).append(gi.item.code)
        industry = guide.industry
        return cls(
            industry=IndustryRefOut(code=industry.code, name=industry.name),
            version=VersionOut.build(industry.version),
            district=DistrictOut.build(guide.district),
            items=[GuideItemOut.build(gi, guide.remedies) for gi in guide.items],
            materials=[
                MergedMaterialOut(
                    code=m.material.code,
                    name=m.material.name,
                    form=m.material.form,
                    note=m.material.note,
                    conditions=list(m.conditions),
                    items=material_items[m.material.code],
                )
                for m in guide.materials
            ],
            elements=[
                MergedElementOut(
                    code=e.element.code,
                    label=e.element.label,
                    type=e.element.type,
                    section=e.element.section,
                    unit=e.element.unit,
                    items=element_items[e.element.code],
                )
                for e in guide.elements
            ],
            figures=FiguresOut.build(guide.figures),
            steps=[
                StepOut(title=str(s.get("title", "")), text=str(s.get("text", "")))
                for s in guide.steps
            ],
        )


# --- the plan -------------------------------------------------------------------------------
#
# The plan is answered on every change of an answer, so it is built as plain data and validated
# once, by the response schema on the way out (building the schema objects and validating them
# again would double the cost).


class PlanIn(Schema):
    """情形回答：按已回答的问题计算适用的事项、材料与申请表。"""

    answers: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "问题代码 → 回答：单选为选项代码，多选为选项代码列表，数值为数字，是/否为 true/false；"
            "未回答的问题可省略或为 null"
        ),
        examples=[{"area": 400, "chain": False, "cuisine": "hot"}],
    )
    district: str | None = Field(
        default=None,
        # Empty, as a form's blank choice sends it, means no district.
        pattern=r"^(\d{6})?$",
        description=(
            "办理地区的行政区划代码（GB/T 2260），如 110105 朝阳区；按该区的阈值和机关名称作答"
        ),
    )


class PlanQuestionOut(QuestionOut):
    """当前应回答的情形问题及已作的回答。"""

    answer: Any = Field(description="已作的回答（已按题型规整）；未回答为 null")


class PlanItemOut(Schema):
    """根据回答需要办理的审批事项。"""

    code: str = Field(description="事项代码")
    name: str = Field(description="事项名称")
    department: str = Field(description="实施机关（指定区时为该区的机关全称）")
    statutory_limit_days: int = Field(description="法定办结时限（工作日）")
    promised_limit_days: int = Field(description="承诺办结时限（工作日）")
    commitment_allowed: bool = Field(description="是否可以告知承诺方式办理")
    verification_days: int | None = Field(description="告知承诺后的核查期限（工作日）")
    applies_when: str = Field(description="需要办理该事项的情形说明；总是需要则为空字符串")


class PlanMaterialOut(Schema):
    """合并后的申请材料：同一份材料只交一次。"""

    code: str = Field(description="材料代码")
    name: str = Field(description="材料名称")
    form: str = _choice(Material.Form, "形式，同事项材料")
    items: list[str] = Field(description="需要该材料的事项代码")
    required: bool = Field(description="是否有事项必需该材料")
    deferrable: bool = Field(
        description="必需时可否容缺后补（每个必需它的事项都允许容缺时为是）；非必需为否"
    )


class PlanFieldOut(Schema):
    """申请表中的一个填报项（信息要素），每项只填一次。"""

    code: str = Field(description="信息要素代码，即提交申请表时的字段名")
    label: str = Field(description="名称")
    type: str = _choice(InfoElement.Type, "填写类型")
    unit: str = Field(description="单位")
    help: str = Field(description="填写说明，无则为空字符串")
    required: bool = Field(description="是否必填")
    validation: dict[str, Any] = Field(
        description="校验规则（如 max_length、min、max、choices、in_district），无则为空对象"
    )
    items: list[str] = Field(description="需要该信息要素的事项代码；主体身份信息总是填写，可为空")
    prefill: Any = Field(description="根据情形回答预填的值；无则为 null")


class PlanSectionOut(Schema):
    """申请表的一个分组。"""

    code: str = _choice(InfoElement.Section, "分组代码")
    label: str = Field(description="分组名称")
    fields: list[PlanFieldOut] = Field(description="本组的填报项")


class PlanFormOut(Schema):
    """一表申请：合并后的申请表。"""

    sections: list[PlanSectionOut] = Field(description="按分组排列的填报项")


class PlanOut(Schema):
    """情形引导的结果：需回答的问题、需办理的事项、需提交的材料与一张申请表。"""

    industry: IndustryRefOut
    version: VersionOut
    district: DistrictOut | None = Field(description="所按的区；未指定区时为空")
    questions: list[PlanQuestionOut] = Field(
        description="按当前回答应显示的问题（含已满足条件的追问），按提问顺序"
    )
    complete: bool = Field(description="应显示的问题是否都已回答")
    items: list[PlanItemOut] = Field(description="根据回答需要办理的审批事项")
    materials: list[PlanMaterialOut] = Field(description="合并后的申请材料，每份只交一次")
    form: PlanFormOut
    figures: FiguresOut


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as the data PlanOut describes."""
    industry, version, district = plan.industry, plan.industry.version, plan.district
    return {
        "industry": {"code": industry.code, "name": industry.name},
        "version": {
            "code": version.code,
            "title": version.title,
            "valid_from": version.valid_from.isoformat(),
        },
        "district": {"code": district.code, "name": district.name} if district else None,
        "questions": [_question_data(asked) for asked in plan.questions],
        "complete": plan.complete,
        "items": [_item_data(gi) for gi in plan.items],
        "materials": [_material_data(m, plan.items) for m in plan.materials],
        "form": {"sections": _sections_data(plan)},
        "figures": FiguresOut.build(plan.figures).model_dump(),
    }


def _question_data(asked: AskedQuestion) -> dict[str, Any]:
    question = asked.question
    return {
        "code": question.code,
        "text": question.text,
        "help": question.help_text,
        "type": question.type,
        "unit": question.unit,
        "min": _number(question.min_value),
        "max": _number(question.max_value),
        "options": [{"code": o.code, "label": o.label} for o in question.options.all()],
        "show_when": question.show_when,
        "fills": question.fills.code if question.fills else None,
        "answer": asked.answer,
    }


def _item_data(guide_item: GuideItem) -> dict[str, Any]:
    item = guide_item.item
    return {
        "code": item.code,
        "name": item.name,
        "department": guide_item.department,
        "statutory_limit_days": item.statutory_limit_days,
        "promised_limit_days": item.promised_limit_days,
        "commitment_allowed": item.commitment_allowed,
        "verification_days": item.verification_days,
        "applies_when": guide_item.condition,
    }


def _material_data(merged: MergedMaterial, items: list[GuideItem]) -> dict[str, Any]:
    material = merged.material
    links = [(gi.item.code, gm) for gi in items for gm in gi.materials if gm.material == material]
    required = any(gm.required for _code, gm in links)
    return {
        "code": material.code,
        "name": material.name,
        "form": material.form,
        "items": list(dict.fromkeys(code for code, _gm in links)),
        "required": required,
        # 容缺: only when every item that requires it lets it follow.
        "deferrable": required and all(gm.deferrable for _code, gm in links if gm.required),
    }


def _sections_data(plan: Plan) -> list[dict[str, Any]]:
    element_items: dict[str, list[str]] = {}
    for gi in plan.items:
        for element in gi.elements:
            element_items.setdefault(element.code, []).append(gi.item.code)
    return [
        {
            "code": section.code,
            "label": section.label,
            "fields": [
                _field_data(f, element_items.get(f.element.code, [])) for f in section.fields
            ],
        }
        for section in plan.sections
    ]


def _field_data(field: FormField, items: list[str]) -> dict[str, Any]:
    element = field.element
    return {
        "code": element.code,
        "label": element.label,
        "type": element.type,
        "unit": element.unit,
        "help": element.help_text,
        "required": field.required,
        "validation": dict(element.validation or {}),
        "items": items,
        "prefill": field.prefill,
    }
