"""The window's written documents as A4 PDFs, in the shell of `core.pdf`: the acceptance notice
(受理通知书, the receipt) and the refusal decision (不予受理决定书).

行政许可法 §32(2): accepting or refusing an application is answered with a dated written notice
of the office; a refusal states the reasons and the applicant's remedies (§38(2)).
"""

import datetime
from collections.abc import Mapping
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from onelicense.applications.models import Application
from onelicense.catalogue.pdf import days_text
from onelicense.catalogue.selectors import department_name, review_body_name
from onelicense.core.pdf import (
    CONTENT_WIDTH,
    PLATFORM_NAME,
    document_build,
    document_styles,
    grid,
    text,
)

UNCERTAIN_DATE_NOTE = "（按现行日历推算，节假日安排公布后以实际为准）"
DEFAULT_REMEDIES = {"review_days": 60, "litigation_months": 6}


def date_text(day: datetime.date | None) -> str:
    if day is None:
        return "—"
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def window_name(application: Application) -> str:
    return _("%(district)s政务服务管理局") % {"district": application.district.name}


def _remedies(application: Application) -> Mapping[str, object]:
    return DEFAULT_REMEDIES | dict(application.industry.version.remedies or {})


def _heading_that_may_split(value: str) -> Paragraph:
    style = ParagraphStyle("heading_split", parent=document_styles()["heading"], keepWithNext=0)
    return Paragraph(escape(value), style)


def _right(value: str) -> Paragraph:
    style = ParagraphStyle("right", parent=document_styles()["body"], alignment=TA_RIGHT)
    return Paragraph(escape(value), style)


def _signature(application: Application, day: datetime.date | None) -> Flowable:
    return KeepTogether(
        [
            Spacer(1, 8 * mm),
            _right(window_name(application)),
            _right(_("（综合窗口 · 受理专用章）")),
            _right(date_text(day)),
        ]
    )


def _facts(rows: list[tuple[str, str]]) -> Table:
    return grid(
        [list(row) for row in rows], [32 * mm, CONTENT_WIDTH - 32 * mm], shaded_first_column=True
    )


def _enterprise(application: Application) -> tuple[str, str]:
    """The enterprise as applied for (the Enterprise row holds its latest name)."""
    enterprise = application.enterprise
    name = application.enterprise_name or (enterprise.name if enterprise else "")
    return name, application.uscc or (enterprise.uscc if enterprise else "")


def _items_table(application: Application) -> Table:
    rows: list[list[Flowable | str]] = [
        [_("序号"), _("审批事项"), _("实施部门"), _("办理方式"), _("法定时限"), _("承诺时限")]
    ]
    for number, entry in enumerate(application.items.select_related("item__department"), 1):
        item = entry.item
        rows.append(
            [
                str(number),
                item.name,
                department_name(item.department, item.level, application.district),
                str(entry.get_route_display()),
                days_text(item.statutory_limit_days),
                days_text(item.promised_limit_days),
            ]
        )
    fixed = [10 * mm, 0.0, 38 * mm, 20 * mm, 22 * mm, 22 * mm]
    fixed[1] = CONTENT_WIDTH - sum(fixed)
    return grid(rows, fixed, header=True)


def _materials_table(application: Application) -> Table | None:
    received: dict[int, tuple[str, int]] = {}
    for record in application.material_files.select_related("material").order_by(
        "material_id", "id"
    ):
        name, count = received.get(record.material_id, (record.material.name, 0))
        received[record.material_id] = (name, count + 1)
    if not received:
        return None
    rows: list[list[Flowable | str]] = [[_("序号"), _("材料名称"), _("电子文件")]]
    for number, (name, count) in enumerate(received.values(), 1):
        rows.append([str(number), name, _("%(n)s 份") % {"n": count}])
    return grid(rows, [10 * mm, CONTENT_WIDTH - 40 * mm, 30 * mm], header=True)


def _deferrals_table(application: Application) -> Table | None:
    deferrals = list(application.deferrals.select_related("material").order_by("material_id"))
    if not deferrals:
        return None
    rows: list[list[Flowable | str]] = [[_("序号"), _("容缺材料"), _("补交期限")]]
    for number, deferral in enumerate(deferrals, 1):
        rows.append([str(number), deferral.material.name, date_text(deferral.due_date)])
    return grid(rows, [10 * mm, CONTENT_WIDTH - 50 * mm, 40 * mm], header=True)


def _review_bodies(application: Application) -> str:
    bodies: dict[str, list[str]] = {}
    for entry in application.items.select_related("item"):
        body = review_body_name(entry.item, application.district)
        bodies.setdefault(body, []).append(entry.item.name)
    return "；".join(f"{'、'.join(names)}：{body}" for body, names in bodies.items())


def _receipt_story(application: Application) -> list[Flowable]:
    name, uscc = _enterprise(application)
    accepted = timezone.localdate(application.decided_at) if application.decided_at else None
    submitted = timezone.localdate(application.submitted_at) if application.submitted_at else None
    deferrals = _deferrals_table(application)
    promised = date_text(application.promised_date)
    if not application.promised_date_certain:
        promised += UNCERTAIN_DATE_NOTE
    clerk = str(application.decided_by) if application.decided_by else "—"
    story: list[Flowable] = [
        text(_("受理通知书"), "title"),
        text(_("%(platform)s · 受理回执") % {"platform": PLATFORM_NAME}, "subtitle"),
        text(_("%(name)s：") % {"name": name}),
        text(
            _(
                "你单位于%(submitted)s提交的%(industry)s行业“一业一证”申请（申请编号 %(number)s），"
                "经审查，申请事项属于本机关受理范围，申请材料%(state)s，符合法定形式。"
                "根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理，"
                "并分送各实施部门并联审批。"
            )
            % {
                "submitted": date_text(submitted),
                "industry": application.industry.name,
                "number": application.number,
                "state": _("基本齐全（部分材料容缺后补）") if deferrals else _("齐全"),
            }
        ),
        _facts(
            [
                (_("申请编号"), application.number or "—"),
                (_("受理日期"), date_text(accepted)),
                (_("申请人"), name),
                (_("统一社会信用代码"), uscc),
                (_("行业"), application.industry.name),
                (_("所在区"), application.district.name),
                (_("申请方式"), str(application.get_channel_display())),
                (_("受理窗口"), _("%(body)s 综合窗口") % {"body": window_name(application)}),
                (_("受理人"), clerk),
                (_("承诺办结日期"), promised),
            ]
        ),
        text(_("审批事项（%(n)s 项）") % {"n": application.items.count()}, "heading"),
        _items_table(application),
        text(
            _(
                "各事项并联审批，承诺办结日期按各事项中最长的承诺时限，自受理之次日起以工作日计算；"
                "补正材料、依法中止的期间不计算在内。"
            ),
            "small",
        ),
    ]
    materials = _materials_table(application)
    if materials is not None:
        # A long list may start on this page and go on to the next (the header row repeats).
        story += [_heading_that_may_split(_("已收材料")), materials]
    if deferrals is not None:
        story += [
            text(_("容缺材料"), "heading"),
            text(
                _(
                    "下列材料经申请人承诺容缺后补，请于补交期限前通过平台上传或到综合窗口提交；"
                    "逾期未补交的，相关事项将依规定处理。"
                )
            ),
            deferrals,
        ]
    story += [
        text(_("查询办理进度"), "heading"),
        text(
            _(
                "可登录%(platform)s，在“我的申请”中凭申请编号 %(number)s 查询各事项的办理进度；"
                "也可到%(window)s综合窗口查询。审批结果及综合许可凭证将在平台上告知。"
            )
            % {
                "platform": PLATFORM_NAME,
                "number": application.number,
                "window": window_name(application),
            }
        ),
        text(_("救济途径"), "heading"),
        text(_remedies_line(application)),
        _signature(application, accepted),
        Spacer(1, 6 * mm),
        text(_("申请人（经办人）签收：____________    日期：____________"), "small"),
    ]
    return story


def _remedies_line(application: Application) -> str:
    remedies = _remedies(application)
    return _(
        "申请人对各事项的审批决定不服的，可以自知道该决定之日起 %(review)s 日内申请行政复议，"
        "或者自知道该决定之日起 %(months)s 个月内依法向人民法院提起行政诉讼。"
        "各事项的复议机关：%(bodies)s。"
    ) % {
        "review": remedies["review_days"],
        "months": remedies["litigation_months"],
        "bodies": _review_bodies(application),
    }


def _footer(application: Application, kind: str) -> str:
    return f"{PLATFORM_NAME} · {kind} · {_('申请编号')} {application.number}"


def receipt_pdf(application: Application) -> bytes:
    """受理通知书 of an accepted application."""
    return document_build(
        _receipt_story(application),
        title=_("受理通知书 %(number)s") % {"number": application.number},
        footer=_footer(application, _("受理通知书")),
    )


def _refusal_story(application: Application) -> list[Flowable]:
    name, uscc = _enterprise(application)
    decided = timezone.localdate(application.decided_at) if application.decided_at else None
    submitted = timezone.localdate(application.submitted_at) if application.submitted_at else None
    remedies = _remedies(application)
    return [
        text(_("不予受理决定书"), "title"),
        text(
            _("%(platform)s · 申请编号 %(number)s")
            % {"platform": PLATFORM_NAME, "number": application.number},
            "subtitle",
        ),
        text(_("%(name)s：") % {"name": name}),
        text(
            _(
                "你单位于%(submitted)s提交的%(industry)s行业“一业一证”申请（申请编号 %(number)s），"
                "经审查，决定不予受理。"
            )
            % {
                "submitted": date_text(submitted),
                "industry": application.industry.name,
                "number": application.number,
            }
        ),
        _facts(
            [
                (_("申请人"), name),
                (_("统一社会信用代码"), uscc),
                (_("行业"), application.industry.name),
                (_("所在区"), application.district.name),
                (_("决定日期"), date_text(decided)),
                (_("经办人"), str(application.decided_by) if application.decided_by else "—"),
            ]
        ),
        text(_("不予受理的理由"), "heading"),
        text(application.refusal_reason),
        text(_("法律依据"), "heading"),
        text(application.refusal_basis),
        text(_("救济途径"), "heading"),
        text(
            _(
                "如不服本决定，可以自收到本决定书之日起 %(review)s 日内"
                "向北京市%(district)s人民政府申请行政复议，"
                "或者自收到本决定书之日起 %(months)s 个月内依法向人民法院提起行政诉讼。"
            )
            % {
                "review": remedies["review_days"],
                "district": application.district.name,
                "months": remedies["litigation_months"],
            }
        ),
        text(
            _("申请人补齐材料或消除不予受理的情形后，可以重新提出申请。"),
        ),
        _signature(application, decided),
    ]


def refusal_pdf(application: Application) -> bytes:
    """不予受理决定书 of a refused application, with its reasons, basis and remedies."""
    return document_build(
        _refusal_story(application),
        title=_("不予受理决定书 %(number)s") % {"number": application.number},
        footer=_footer(application, _("不予受理决定书")),
    )
