"""The printable guide (行业综合办事指南) and the personalised notice (告知单) as A4 PDFs,
built in the shell of `core.pdf`."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Spacer,
    Table,
)

from onelicense.catalogue.models import ApprovalItem, Question
from onelicense.catalogue.plan import Plan
from onelicense.catalogue.selectors import Guide, GuideItem
from onelicense.core.pdf import (
    CONTENT_WIDTH,
    PLATFORM_NAME,
    document_build,
    grid,
    text,
)

# --- Provenance, shared with the guide page ---------------------------------------------

# Entry-level keys of `sources` that are not model fields (see docs/catalogue-format.md).
_SOURCE_KEY_LABELS = {
    "permit": "证件",
    "commitment": "告知承诺",
    "materials": "申请材料",
    "elements": "信息要素",
    "questions": "情形问题",
    "items": "所含事项",
}


@dataclass(frozen=True)
class SourceRef:
    """来源：where one fact (or, with no label, the whole entry) comes from."""

    label: str
    text: str
    url: str = ""


def _source_label(model: type[Any], key: str) -> str:
    if key == "*":
        return ""
    if key in _SOURCE_KEY_LABELS:
        return _SOURCE_KEY_LABELS[key]
    try:
        return str(model._meta.get_field(key).verbose_name)
    except Exception:  # an unknown key still shows, under its own name
        return key


def sources_of(entry: Any) -> list[SourceRef]:
    """An entry's provenance for display: URLs as links, `law:` as citations, else 参考整理."""
    provenance: Mapping[str, str] = entry.provenance or {"*": "assumed"}
    refs = []
    for key, source in sorted(provenance.items(), key=lambda pair: pair[0] != "*"):
        label = _source_label(type(entry), key)
        if source.startswith(("http://", "https://")):
            refs.append(SourceRef(label, source, source))
        elif source.startswith("law:"):
            refs.append(SourceRef(label, source.removeprefix("law:").strip()))
        else:
            refs.append(SourceRef(label, _("参考整理")))
    return refs


_CHINESE_ORDINALS = "一二三四五六七八九十"


def _ordinal(number: int) -> str:
    if number <= 10:
        return _CHINESE_ORDINALS[number - 1]
    if number < 20:
        return "十" + _CHINESE_ORDINALS[number - 11]
    return str(number)


def days_text(days: int) -> str:
    return _("即办") if days == 0 else _("%(n)s 个工作日") % {"n": days}


def validity_text(item: ApprovalItem) -> str:
    if item.permit_validity_months is None:
        return _("长期")
    return _("%(n)s 个月") % {"n": item.permit_validity_months}


def remedies_text(review_body: str, remedies: Mapping[str, object]) -> str:
    return _(
        "对审批决定不服的，可以自知道该决定之日起 %(review)s 日内向%(body)s申请行政复议，"
        "或者自知道该决定之日起 %(months)s 个月内依法向人民法院提起行政诉讼。"
    ) % {
        "review": remedies.get("review_days", "—"),
        "body": review_body,
        "months": remedies.get("litigation_months", "—"),
    }


def _item_facts(guide_item: GuideItem, remedies: Mapping[str, object]) -> list[tuple[str, str]]:
    item = guide_item.item
    applies = _("必办") if guide_item.always else (guide_item.condition or _("视情形办理"))
    materials = "\n".join(
        f"{n}. {gm.material.name}（{gm.material.get_form_display()}）"
        + (_("，可容缺后补") if gm.deferrable else "")
        + (f"；{gm.condition}" if gm.condition else "")
        for n, gm in enumerate(guide_item.materials, start=1)
    )
    if item.commitment_allowed:
        commitment = _("可以。承诺后当场办理，%(n)s 个工作日内核查") % {"n": item.verification_days}
    else:
        commitment = _("不适用")
    if item.permit_name:
        permit = _("%(name)s，有效期：%(validity)s") % {
            "name": item.permit_name,
            "validity": validity_text(item),
        }
    else:
        permit = _("不发放证件")
    extension = (
        _("可延长 %(n)s 个工作日") % {"n": item.max_extension_days}
        if item.max_extension_days
        else _("不可延长")
    )
    facts = [
        (_("实施部门"), guide_item.department),
        (_("事项类别"), str(item.get_kind_display())),
        (_("国家基本编码"), item.national_code),
        (_("设定依据"), item.legal_basis),
        (_("受理条件"), item.conditions or _("无特别条件")),
        (_("适用情形"), applies),
        (_("申请材料"), materials or _("无需单独提交材料")),
        (_("法定时限"), days_text(item.statutory_limit_days)),
        (_("承诺时限"), days_text(item.promised_limit_days)),
        (_("延长"), extension),
        (_("收费"), item.fee),
        (_("证件及有效期"), permit),
        (_("告知承诺"), commitment),
        (_("现场核查"), _("需要") if item.onsite_check else _("不需要")),
        (_("救济途径"), remedies_text(guide_item.review_body, remedies)),
        (_("来源"), _sources_line(sources_of(item))),
    ]
    return [(label, value) for label, value in facts if value]


def _sources_line(refs: Iterable[SourceRef]) -> str:
    return "；".join(f"{ref.label}：{ref.text}" if ref.label else ref.text for ref in refs)


def _figures(guide: Guide | Plan) -> Table:
    f = guide.figures
    rows = [
        [
            _("事项"),
            _("%(items)s 项，涉及部门 %(departments)s 个")
            % {"items": f.items, "departments": f.departments},
        ],
        [
            _("申请材料"),
            _("分别提交 %(before)s 份 → 一次提交 %(after)s 份")
            % {"before": f.materials_separate, "after": f.materials_merged},
        ],
        [
            _("表单字段"),
            _("分别填写 %(before)s 项 → 一表填写 %(after)s 项")
            % {"before": f.fields_separate, "after": f.fields_merged},
        ],
        [
            _("办理时限"),
            _("法定合计 %(before)s 个工作日 → 承诺 %(after)s 个工作日（并联审批）")
            % {"before": f.statutory_days_total, "after": f.promised_days},
        ],
    ]
    return grid(rows, [30 * mm, CONTENT_WIDTH - 30 * mm], shaded_first_column=True)


def _materials_table(guide: Guide | Plan, width: float) -> Table:
    notes = [
        "；".join(filter(None, [*merged.conditions, merged.material.note]))
        for merged in guide.materials
    ]
    with_notes = any(notes)
    rows: list[list[Flowable | str]] = [
        [_("序号"), _("材料名称"), _("形式"), _("所需事项")] + ([_("说明")] if with_notes else [])
    ]
    for number, (merged, note) in enumerate(zip(guide.materials, notes, strict=True), start=1):
        row: list[Flowable | str] = [
            str(number),
            merged.material.name,
            str(merged.material.get_form_display()),
            "、".join(merged.item_names),
        ]
        rows.append(row + ([note or "—"] if with_notes else []))
    fixed = [10 * mm, 48 * mm, 22 * mm]
    rest = width - sum(fixed)
    widths = [*fixed, rest * 0.6, rest * 0.4] if with_notes else [*fixed, rest]
    return grid(rows, widths, header=True)


def _guide_story(guide: Guide) -> list[Flowable]:
    industry = guide.industry
    version = industry.version
    width = CONTENT_WIDTH
    place = guide.district.name if guide.district else _("全市通用")
    story: list[Flowable] = [
        text(_("%(name)s行业综合办事指南") % {"name": industry.name}, "title"),
        text(f"{PLATFORM_NAME} · {place} · {version.title}（{version.code}）", "subtitle"),
        text(_("适用范围：%(scope)s") % {"scope": industry.scope}),
        text(
            _("申请方式：%(mode)s；网办深度：%(depth)s")
            % {
                "mode": industry.get_form_mode_display(),
                "depth": industry.get_online_depth_display(),
            }
        ),
        text(_("改革成效"), "heading"),
        _figures(guide),
        text(_("审批事项"), "heading"),
    ]
    for number, guide_item in enumerate(guide.items, start=1):
        facts = _item_facts(guide_item, guide.remedies)
        story.append(
            KeepTogether(
                [
                    text(
                        _("事项%(n)s：%(name)s")
                        % {"n": _ordinal(number), "name": guide_item.item.name},
                        "subheading",
                    ),
                    grid(facts[:3], [30 * mm, width - 30 * mm], shaded_first_column=True),
                ]
            )
        )
        story.append(grid(facts[3:], [30 * mm, width - 30 * mm], shaded_first_column=True))
    story.append(
        text(_("申请材料清单（一次提交 %(n)s 份）") % {"n": len(guide.materials)}, "heading")
    )
    story.append(_materials_table(guide, width))
    questions = list(industry.questions.all())
    if questions:
        story.append(text(_("申请时需回答的情形问题"), "heading"))
        for number, question in enumerate(questions, start=1):
            options = "、".join(option.label for option in question.options.all())
            line = f"{number}. {question.text}"
            if options:
                line += f"（{options}）"
            elif question.type == Question.Type.BOOLEAN:
                line += _("（是/否）")
            elif question.unit:
                line += _("（单位：%(unit)s）") % {"unit": question.unit}
            story.append(text(line))
    if guide.steps:
        story.append(text(_("办理流程"), "heading"))
        for number, step in enumerate(guide.steps, start=1):
            story.append(text(f"{number}. {step.get('title', '')}：{step.get('text', '')}"))
    story.append(text(_("救济途径"), "heading"))
    story.append(
        text(
            _(
                "申请人对审批决定不服的，可以依法申请行政复议或者提起行政诉讼；"
                "各事项的复议机关见上文。对行政复议决定不服的，可以自收到复议决定书之日起 "
                "%(days)s 日内向人民法院提起行政诉讼。"
            )
            % {"days": guide.remedies.get("litigation_after_review_days", "—")}
        )
    )
    story.append(Spacer(1, 6 * mm))
    story.append(
        text(
            _("本指南依据%(title)s（%(code)s）生成，以各实施部门最终公布为准。")
            % {"title": version.title, "code": version.code},
            "small",
        )
    )
    return story


def guide_pdf(guide: Guide) -> bytes:
    """The printable guide with the same facts as the guide page."""
    version = guide.industry.version
    footer = _("%(platform)s · 行业综合办事指南 · 目录版本 %(code)s") % {
        "platform": PLATFORM_NAME,
        "code": version.code,
    }
    title = _("%(name)s行业综合办事指南") % {"name": guide.industry.name}
    return document_build(_guide_story(guide), title=title, footer=footer)


# --- The personalised notice (告知单) ------------------------------------------------------


def answer_text(question: Question, answer: Any) -> str:
    """An answer as the applicant reads it: 是/否, the options' labels, a number with its unit."""
    if answer is None or answer == "" or answer == []:
        return _("未回答")
    if question.type == Question.Type.BOOLEAN:
        return _("是") if answer is True or answer == "true" else _("否")
    if question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        labels = {option.code: option.label for option in question.options.all()}
        chosen = answer if isinstance(answer, list) else [answer]
        return "、".join(labels.get(str(code), str(code)) for code in chosen)
    return f"{answer}{question.unit}"


def _notice_story(plan: Plan) -> list[Flowable]:
    industry = plan.industry
    version = industry.version
    width = CONTENT_WIDTH
    place = plan.district.name if plan.district else _("全市通用")
    story: list[Flowable] = [
        text(_("%(name)s个性化告知单") % {"name": industry.name}, "title"),
        text(f"{PLATFORM_NAME} · {place} · {version.title}（{version.code}）", "subtitle"),
        text(
            _(
                "根据您对情形问题的回答，开办本行业需要办理以下 %(n)s 个事项，"
                "一次提交 %(m)s 份材料，一张表填写 %(f)s 项信息。"
            )
            % {"n": len(plan.items), "m": len(plan.materials), "f": len(plan.fields)}
        ),
    ]
    if not plan.complete:
        story.append(text(_("尚有问题未回答，以下结果可能不完整。"), "small"))
    story.append(text(_("您的回答"), "heading"))
    rows = [[a.question.text, answer_text(a.question, a.answer)] for a in plan.questions]
    if rows:
        story.append(grid(rows, [width * 0.6, width * 0.4], shaded_first_column=True))
    story += [text(_("改革成效"), "heading"), _figures(plan)]
    story.append(text(_("需要办理的事项（%(n)s 项）") % {"n": len(plan.items)}, "heading"))
    if not plan.items:
        story.append(text(_("根据目前的回答，没有需要办理的事项。")))
    for number, guide_item in enumerate(plan.items, start=1):
        facts = _item_facts(guide_item, dict(version.remedies))
        title = _("事项%(n)s：%(name)s") % {"n": _ordinal(number), "name": guide_item.item.name}
        story.append(text(title, "subheading"))
        story.append(grid(facts, [30 * mm, width - 30 * mm], shaded_first_column=True))
    if plan.materials:
        story.append(
            text(_("申请材料清单（一次提交 %(n)s 份）") % {"n": len(plan.materials)}, "heading")
        )
        story.append(_materials_table(plan, width))
    if plan.fields:
        story.append(
            text(_("一表申请需填写的信息（%(n)s 项）") % {"n": len(plan.fields)}, "heading")
        )
        field_rows: list[list[Flowable | str]] = [[_("信息"), _("分组"), _("所需事项")]]
        for section in plan.sections:
            for field in section.fields:
                used = "、".join(field.item_names) or _("综合许可凭证")
                field_rows.append([field.element.label, section.label, used])
        story.append(grid(field_rows, [48 * mm, 24 * mm, width - 72 * mm], header=True))
    story.append(Spacer(1, 6 * mm))
    story.append(
        text(
            _(
                "本告知单根据您的回答，依据%(title)s（%(code)s）生成，仅供准备申请之用；"
                "以各实施部门最终公布和审查为准。"
            )
            % {"title": version.title, "code": version.code},
            "small",
        )
    )
    return story


def notice_pdf(plan: Plan) -> bytes:
    """The personalised notice (告知单): the guide cut down to what the answers decide."""
    footer = _("%(platform)s · 个性化告知单 · 目录版本 %(code)s") % {
        "platform": PLATFORM_NAME,
        "code": plan.industry.version.code,
    }
    title = _("%(name)s个性化告知单") % {"name": plan.industry.name}
    return document_build(_notice_story(plan), title=title, footer=footer)
