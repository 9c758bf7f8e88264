"""From an applicant's answers to what applies: the questions now visible, the items, the
merged materials and the one form (一表申请), every element asked once.

Rules are evaluated here, on the server, always. A published catalogue version never changes, so
its industries are loaded once per process and planned from memory.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import District
from onelicense.catalogue import rules
from onelicense.catalogue.codec.spec import IDENTITY_ELEMENTS
from onelicense.catalogue.models import (
    CatalogueVersion,
    Industry,
    IndustryItem,
    InfoElement,
    ItemElement,
    ItemMaterial,
    Parameter,
    Question,
)
from onelicense.catalogue.selectors import (
    GuideItem,
    MergedMaterial,
    ReformFigures,
    guide_items_build,
    merge_materials,
    reform_figures,
)
from onelicense.core.errors import DomainError

Answers = dict[str, Any]


@dataclass(frozen=True)
class CompiledIndustry:
    """An industry with everything planning reads, loaded in a fixed number of queries."""

    industry: Industry
    questions: list[Question]
    links: list[IndustryItem]
    parameters: list[Parameter]
    identity: list[InfoElement]

    def parameter_lookup(self, district: District | None) -> Callable[[str], Decimal]:
        values = {}
        for parameter in self.parameters:
            own = parameter.district_values.get(district.code) if district else None
            values[parameter.code] = parameter.value if own is None else Decimal(str(own))
        return values.__getitem__


_COMPILED: dict[tuple[int, str, str], CompiledIndustry] = {}


def industry_compile(industry: Industry) -> CompiledIndustry:
    version = industry.version
    immutable = version.status != CatalogueVersion.Status.DRAFT
    key = (version.pk, str(version.published_at), industry.code)
    if immutable and key in _COMPILED:
        return _COMPILED[key]
    compiled = CompiledIndustry(
        industry=industry,
        questions=list(industry.questions.select_related("fills").prefetch_related("options")),
        links=list(
            IndustryItem.objects.filter(industry=industry)
            .select_related("item__department")
            .prefetch_related(
                Prefetch(
                    "item__material_links",
                    queryset=ItemMaterial.objects.select_related("material"),
                ),
                Prefetch(
                    "item__element_links", queryset=ItemElement.objects.select_related("element")
                ),
            )
        ),
        parameters=list(Parameter.objects.filter(version=version)),
        identity=list(InfoElement.objects.filter(version=version, code__in=IDENTITY_ELEMENTS)),
    )
    if immutable:
        if len(_COMPILED) > 500:
            _COMPILED.clear()
        _COMPILED[key] = compiled
    return compiled


@dataclass(frozen=True)
class AskedQuestion:
    question: Question
    answer: Any


@dataclass(frozen=True)
class FormField:
    element: InfoElement
    item_names: list[str]
    required: bool
    prefill: Any


@dataclass(frozen=True)
class FormSection:
    code: str
    label: str
    fields: list[FormField]


@dataclass(frozen=True)
class Plan:
    """What the answers so far decide; `complete` once every visible question is answered."""

    industry: Industry
    district: District | None
    answers: Answers
    questions: list[AskedQuestion]
    items: list[GuideItem]
    materials: list[MergedMaterial]
    sections: list[FormSection]
    figures: ReformFigures

    @property
    def complete(self) -> bool:
        return all(not _blank(asked.answer) for asked in self.questions)

    @property
    def fields(self) -> list[FormField]:
        return [field for section in self.sections for field in section.fields]


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def answers_clean(questions: list[Question], raw: Mapping[str, Any]) -> Answers:
    """Answers checked against their questions; DomainError (422) naming each bad one."""
    if not isinstance(raw, Mapping):
        raise DomainError("invalid_answers", _("情形回答应为“问题代码: 回答”的映射"), status=422)
    by_code = {q.code: q for q in questions}
    cleaned: Answers = {}
    errors: dict[str, str] = {}
    for code, value in raw.items():
        question = by_code.get(code)
        if question is None:
            errors[code] = "没有这个问题"
            continue
        if _blank(value):
            continue
        try:
            cleaned[code] = _answer(question, value)
        except ValueError as exc:
            errors[code] = str(exc)
    if errors:
        raise DomainError("invalid_answers", _("情形回答有误，请检查"), fields=errors, status=422)
    return cleaned


def _answer(question: Question, value: Any) -> Any:
    if question.type == Question.Type.BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ValueError("请回答“是”或“否”")
    options = [option.code for option in question.options.all()]
    if question.type == Question.Type.SINGLE:
        if value not in options:
            raise ValueError("所选答案不在选项之中")
        return value
    if question.type == Question.Type.MULTIPLE:
        chosen = value if isinstance(value, list) else [value]
        if any(code not in options for code in chosen):
            raise ValueError("所选答案不在选项之中")
        return [code for code in options if code in chosen]
    return _number_answer(question, value)


def _number_answer(question: Question, value: Any) -> int | float:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError("请填写数字") from exc
    if isinstance(value, bool) or not number.is_finite():
        raise ValueError("请填写数字")
    unit = question.unit
    if question.min_value is not None and number < question.min_value:
        raise ValueError(f"不能小于 {question.min_value.normalize():f}{unit}")
    if question.max_value is not None and number > question.max_value:
        raise ValueError(f"不能大于 {question.max_value.normalize():f}{unit}")
    return int(number) if number == number.to_integral_value() else float(number)


def visible_answers(
    questions: list[Question], answers: Answers, param: Callable[[str], Decimal]
) -> list[AskedQuestion]:
    """The questions shown now, with their answers: a follow-up shows when its rule holds over
    the answers of the questions shown (the import has refused cycles, so this settles)."""
    shown: set[str] = set()
    while True:
        known = {code: answers[code] for code in shown if code in answers}
        now = {q.code for q in questions if rules.evaluate(q.show_when, known, param)}
        if now == shown:
            break
        shown = now
    return [AskedQuestion(q, answers.get(q.code)) for q in questions if q.code in shown]


def plan_compute(
    *, industry: Industry, answers: Mapping[str, Any], district: District | None
) -> Plan:
    """Everything that follows from the answers; hidden questions' answers are dropped."""
    compiled = industry_compile(industry)
    cleaned = answers_clean(compiled.questions, answers)
    param = compiled.parameter_lookup(district)
    asked = visible_answers(compiled.questions, cleaned, param)
    known = {a.question.code: a.answer for a in asked if not _blank(a.answer)}

    def holds(rule: rules.Rule) -> bool:
        return rules.evaluate(rule, known, param)

    links = [link for link in compiled.links if holds(link.rule)]
    items = guide_items_build(links, district, include=holds)
    prefills = {
        a.question.fills.code: a.answer for a in asked if a.question.fills and not _blank(a.answer)
    }
    return Plan(
        industry=industry,
        district=district,
        answers=known,
        questions=asked,
        items=items,
        materials=merge_materials(items),
        sections=_sections(items, compiled.identity, prefills, holds),
        figures=reform_figures(items),
    )


def _sections(
    items: list[GuideItem],
    identity: list[InfoElement],
    prefills: Answers,
    holds: Callable[[rules.Rule], bool],
) -> list[FormSection]:
    """The one form. The identity block (name, USCC, legal representative…) is always asked,
    whether or not an item lists it: the certificate's face shows it."""
    order = list(IDENTITY_ELEMENTS)
    fields: dict[str, tuple[InfoElement, list[str], bool]] = {
        element.code: (element, [], True)
        for element in sorted(identity, key=lambda e: order.index(e.code))
    }
    for guide_item in items:
        for link in guide_item.item.element_links.all():
            if not holds(link.rule):
                continue
            element, names, required = fields.get(link.element.code, (link.element, [], False))
            fields[link.element.code] = (
                element,
                [*names, guide_item.item.name],
                required or link.required,
            )
    sections = []
    for code, label in InfoElement.Section.choices:
        in_section = [
            FormField(element, names, required, prefills.get(element.code))
            for element, names, required in fields.values()
            if element.section == code
        ]
        if in_section:
            sections.append(FormSection(code, str(label), in_section))
    return sections
