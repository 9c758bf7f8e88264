"""The applications API's shapes, and how an application becomes one.

Field names are English (the glossary's); descriptions say in Chinese what a field means.
"""

import datetime
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from onelicense.applications.models import Application, ApplicationItem, MaterialFile
from onelicense.catalogue.plan import Plan
from onelicense.catalogue.schemas import DistrictOut, IndustryRefOut, VersionOut
from onelicense.catalogue.selectors import department_name
from onelicense.core.models import Event


def _choice(choices: type[models.TextChoices], description: str) -> Any:
    """A string field whose allowed values are the model's choices, listed in the document."""
    return Field(description=description, json_schema_extra={"enum": list(choices.values)})


# --- requests -------------------------------------------------------------------------------


class ApplicationCreateIn(Schema):
    """新建申请草稿。"""

    industry: str = Field(max_length=60, description="行业代码，如 restaurant")
    district: str = Field(
        pattern=r"^\d{6}$", description="办理地区的行政区划代码（GB/T 2260），如 110105 朝阳区"
    )
    consent: str = Field(
        default="",
        max_length=200,
        description="申请人授权情况：综合窗口人员代为申请时必填，如“申请人当面委托，已核验身份证”",
    )


class ApplicationUpdateIn(Schema):
    """修改草稿：只改给出的部分，全部有效才保存。"""

    answers: dict[str, Any] | None = Field(
        default=None,
        description="情形回答（问题代码 → 回答），整体替换此前的回答；省略则不变",
        examples=[{"area": 400, "chain": False, "cuisine": "hot"}],
    )
    form_data: dict[str, Any] | None = Field(
        default=None,
        description="申请表（信息要素代码 → 值），与此前填写的合并；值为空则清除该项",
        examples=[{"enterprise_name": "北京味道餐饮有限公司", "premises_area": "400"}],
    )
    routes: dict[str, str] | None = Field(
        default=None,
        description="各事项的办理方式（事项代码 → standard 一般程序 / commitment 告知承诺）",
    )


class CommitmentIn(Schema):
    """签署告知承诺书。"""

    item: str = Field(max_length=60, description="事项代码（须为可告知承诺的事项）")
    signer_name: str = Field(max_length=40, description="承诺人姓名")


class WithdrawIn(Schema):
    """撤回申请。"""

    reason: str = Field(default="", max_length=500, description="撤回理由（可不填）")


class AcceptIn(Schema):
    """受理（可容缺受理）。"""

    deferred: list[str] = Field(
        default_factory=list,
        description="容缺受理、限期补交的材料代码（须为可容缺的必需材料）；材料齐全时为空",
    )


class RefuseIn(Schema):
    """不予受理。"""

    reason: str = Field(max_length=2000, description="不予受理的理由")
    legal_basis: str = Field(max_length=500, description="不予受理的法律依据")


# --- answers --------------------------------------------------------------------------------


class ApplicationLinksOut(Schema):
    """相关地址。"""

    detail: str = Field(description="申请详情的地址")


class ApplicationSummaryOut(Schema):
    """申请（列表中的一项）。"""

    code: str = Field(description="申请的标识（UUID），用于各接口地址")
    number: str | None = Field(description="申请编号（提交后生成，如 110105202611280001）")
    status: str = _choice(
        Application.Status,
        "状态：draft 草稿；submitted 已提交待受理；accepted 已受理；refused 不予受理；"
        "withdrawn 已撤回；completed 已办结",
    )
    status_label: str = Field(description="状态的中文名称")
    channel: str = _choice(Application.Channel, "渠道：online 网上申请；window 窗口申请")
    industry: IndustryRefOut
    district: DistrictOut
    enterprise_name: str = Field(description="申请表中的企业名称，未填为空字符串")
    created_at: datetime.datetime = Field(description="创建时间")
    submitted_at: datetime.datetime | None = Field(description="提交时间")
    links: ApplicationLinksOut

    @classmethod
    def build(cls, application: Application) -> "ApplicationSummaryOut":
        return cls(**_summary_fields(application))


def _summary_fields(application: Application) -> dict[str, Any]:
    code = str(application.code)
    industry, district = application.industry, application.district
    return {
        "code": code,
        "number": application.number,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "channel": application.channel,
        "industry": IndustryRefOut(code=industry.code, name=industry.name),
        "district": DistrictOut(code=district.code, name=district.name),
        "enterprise_name": application.enterprise_name,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "links": ApplicationLinksOut(detail=reverse("api:application_get", kwargs={"code": code})),
    }


class ApplicationListOut(Schema):
    """我的申请。"""

    count: int = Field(description="符合条件的申请总数")
    items: list[ApplicationSummaryOut] = Field(description="本页的申请，最新的在前")


class ApplicationItemOut(Schema):
    """申请的审批事项：草稿时为按当前回答需要办理的事项，提交后为提交时确定的事项。"""

    code: str = Field(description="事项代码")
    name: str = Field(description="事项名称")
    department: str = Field(description="实施机关（按办理地区的机关全称）")
    route: str = _choice(ApplicationItem.Route, "办理方式：standard 一般程序；commitment 告知承诺")
    commitment_allowed: bool = Field(description="是否可以告知承诺方式办理")
    statutory_limit_days: int = Field(description="法定办结时限（工作日）")
    promised_limit_days: int = Field(description="承诺办结时限（工作日）")


class MaterialFileOut(Schema):
    """已上传的材料文件。"""

    id: int = Field(description="文件编号，删除时使用")
    material: str = Field(description="材料代码")
    material_name: str = Field(description="材料名称")
    name: str = Field(description="上传时的文件名")
    content_type: str = _choice(MaterialFile.ContentType, "按文件内容识别的类型")
    size: int = Field(description="大小（字节）")
    sha256: str = Field(description="文件的 SHA-256 摘要")
    uploaded_at: datetime.datetime = Field(description="上传时间")

    @classmethod
    def build(cls, record: MaterialFile) -> "MaterialFileOut":
        return cls(
            id=record.pk,
            material=record.material.code,
            material_name=record.material.name,
            name=record.original_name,
            content_type=record.content_type,
            size=record.size,
            sha256=record.sha256,
            uploaded_at=record.uploaded_at,
        )


class CommitmentOut(Schema):
    """已签署的告知承诺书。"""

    item: str = Field(description="事项代码")
    item_name: str = Field(description="事项名称")
    text: str = Field(description="所签署的承诺内容")
    signer_name: str = Field(description="承诺人")
    signed_at: datetime.datetime = Field(description="签署时间")


class DeferralOut(Schema):
    """容缺受理、限期补交的材料。"""

    material: str = Field(description="材料代码")
    material_name: str = Field(description="材料名称")
    due_date: datetime.date = Field(description="补交期限")
    fulfilled: bool = Field(description="是否已补交")


# The timeline's words for the events the services record.
_VERBS = {
    "application_created": _("创建申请"),
    "material_uploaded": _("上传材料"),
    "material_removed": _("删除材料"),
    "commitment_signed": _("签署告知承诺书"),
    "application_submitted": _("提交申请"),
    "application_withdrawn": _("撤回申请"),
    "application_accepted": _("受理"),
    "application_refused": _("不予受理"),
    "application_amended": _("补正申请内容"),
    "application_completed": _("办结"),
}


class EventOut(Schema):
    """办理记录中的一条。"""

    verb: str = Field(description="动作代码，如 application_submitted")
    label: str = Field(description="动作的中文名称")
    at: datetime.datetime = Field(description="时间")
    actor: str | None = Field(description="操作人；系统操作为空")
    reason: str = Field(description="理由，无则为空字符串")

    @classmethod
    def build(cls, event: Event) -> "EventOut":
        return cls(
            verb=event.verb,
            label=str(_VERBS.get(event.verb, event.verb)),
            at=event.created_at,
            actor=str(event.actor) if event.actor else None,
            reason=event.reason,
        )


class ApplicationOut(ApplicationSummaryOut):
    """一件申请的全部情况。"""

    version: VersionOut
    answers: dict[str, Any] = Field(description="情形回答（问题代码 → 回答）")
    form_data: dict[str, Any] = Field(description="申请表（信息要素代码 → 值）")
    routes: dict[str, str] = Field(description="已选择的办理方式（事项代码 → 办理方式）")
    items: list[ApplicationItemOut] = Field(description="审批事项")
    materials: list[MaterialFileOut] = Field(description="已上传的材料文件")
    commitments: list[CommitmentOut] = Field(description="已签署的告知承诺书")
    deferrals: list[DeferralOut] = Field(description="容缺受理、限期补交的材料")
    problems: dict[str, str] = Field(
        description=(
            "草稿尚不能提交的原因：answers.问题代码、form.信息要素代码、materials.材料代码、"
            "commitments.事项代码、items → 中文说明；可以提交或已提交时为空对象"
        )
    )
    decided_at: datetime.datetime | None = Field(description="受理或不予受理的时间")
    promised_date: datetime.date | None = Field(description="承诺办结日期（受理后）")
    completed_at: datetime.datetime | None = Field(description="办结时间")
    refusal_reason: str = Field(description="不予受理的理由，无则为空字符串")
    refusal_basis: str = Field(description="不予受理的法律依据，无则为空字符串")
    timeline: list[EventOut] = Field(description="办理记录，按时间先后")

    @classmethod
    def build_detail(
        cls,
        application: Application,
        *,
        plan: Plan | None,
        problems: dict[str, str],
        timeline: list[Event],
    ) -> "ApplicationOut":
        return cls(
            **_summary_fields(application),
            version=VersionOut.build(application.catalogue_version),
            answers=application.answers,
            form_data=application.form_data,
            routes=application.routes,
            items=_items(application, plan),
            materials=[
                MaterialFileOut.build(record)
                for record in application.material_files.select_related("material")
            ],
            commitments=[
                CommitmentOut(
                    item=c.item.code,
                    item_name=c.item.name,
                    text=c.text,
                    signer_name=c.signer_name,
                    signed_at=c.signed_at,
                )
                for c in application.commitments.select_related("item").order_by("signed_at")
            ],
            deferrals=[
                DeferralOut(
                    material=d.material.code,
                    material_name=d.material.name,
                    due_date=d.due_date,
                    fulfilled=d.fulfilled_at is not None,
                )
                for d in application.deferrals.select_related("material").order_by("id")
            ],
            problems=problems,
            decided_at=application.decided_at,
            promised_date=application.promised_date,
            completed_at=application.completed_at,
            refusal_reason=application.refusal_reason,
            refusal_basis=application.refusal_basis,
            timeline=[EventOut.build(event) for event in timeline],
        )


def _items(application: Application, plan: Plan | None) -> list[ApplicationItemOut]:
    """A draft's items are what its answers decide now; a submitted one's were fixed then."""
    if plan is not None:
        chosen = [(gi.item, application.routes.get(gi.item.code)) for gi in plan.items]
    else:
        chosen = [
            (row.item, row.route) for row in application.items.select_related("item__department")
        ]
    return [
        ApplicationItemOut(
            code=item.code,
            name=item.name,
            department=department_name(item.department, item.level, application.district),
            route=route or ApplicationItem.Route.STANDARD,
            commitment_allowed=item.commitment_allowed,
            statutory_limit_days=item.statutory_limit_days,
            promised_limit_days=item.promised_limit_days,
        )
        for item, route in chosen
    ]
