"""Forms of the applicant's pages.

The services check every value (answers against their questions, the one form against its
information elements) and name each bad one in `DomainError.fields`; the forms here only parse
what was posted into what the services take, and describe each field for the templates (label,
hint, value as typed, choices, and the service's message in its place).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from onelicense.applications.models import ApplicationItem
from onelicense.catalogue.codec.spec import IDENTITY_ELEMENTS
from onelicense.catalogue.elements import is_blank
from onelicense.catalogue.models import InfoElement, Question
from onelicense.catalogue.plan import AskedQuestion, FormField, FormSection, Plan
from onelicense.core.errors import DomainError

Raw = str | list[str]
# A single choice with more options than this is a drop-down; with fewer, radios.
RADIOS_UP_TO = 6
AUTOCOMPLETE = {
    "enterprise_name": "organization",
    "legal_representative": "name",
    "contact_phone": "tel",
    "premises_address": "street-address",
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool
    disabled: bool = False
    note: str = ""


@dataclass(frozen=True)
class Field:
    """One question or form element as `_field.html` draws it."""

    name: str
    id: str
    label: str
    widget: str  # text, textarea, number, date, tel, code, radios, inline, checkboxes, select
    value: Raw = ""
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    hint: str = ""
    error: str = ""
    used_for: str = ""
    optional: bool = False
    autocomplete: str = ""
    inputmode: str = ""

    @property
    def grouped(self) -> bool:
        """Radios and checkboxes sit in a fieldset whose legend is the label."""
        return self.widget in ("radios", "inline", "checkboxes")

    @property
    def anchor(self) -> str:
        """Where the error summary links to: the input itself, or the first of a group."""
        if self.grouped and self.choices:
            return f"{self.id}-{self.choices[0].value}"
        return self.id

    @property
    def described_by(self) -> str:
        parts = [
            f"{self.id}-hint" if self.hint else "",
            f"{self.id}-used" if self.used_for else "",
            f"{self.id}-error" if self.error else "",
        ]
        return " ".join(part for part in parts if part)


def raw(value: Any) -> Raw:
    """A saved value as a form shows it: booleans as true/false, lists of text, numbers as
    written (400, not 400.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _checked(value: Raw, code: str) -> bool:
    return code in value if isinstance(value, list) else value == code


def _yes_no(value: Raw) -> tuple[Choice, ...]:
    return (
        Choice("true", str(_("是")), value == "true"),
        Choice("false", str(_("否")), value == "false"),
    )


def labelled(label: str, message: str) -> str:
    """An error summary line: the field's label and its message, unless the message names it
    already; a question (ending in ？) needs no colon after it."""
    if label in message:
        return message
    return f"{label}{message}" if label.endswith(("？", "?", "：")) else f"{label}：{message}"


# --- Scenario questions (情形问题) -----------------------------------------------------------


def answers_raw(answers: Mapping[str, Any]) -> dict[str, Raw]:
    return {code: raw(value) for code, value in answers.items()}


def carried(values: Mapping[str, Raw], shown: set[str]) -> list[tuple[str, str]]:
    """(name, value) of answers whose question is not shown now, for hidden inputs."""
    return [
        (code, value)
        for code, raw_value in values.items()
        if code not in shown
        for value in (raw_value if isinstance(raw_value, list) else [raw_value])
    ]


def question_fields(
    asked: Iterable[AskedQuestion], values: Mapping[str, Raw], errors: Mapping[str, str]
) -> list[Field]:
    fields = []
    for question in (a.question for a in asked):
        value = values.get(question.code, "")
        common: dict[str, Any] = {
            "name": question.code,
            "id": f"q-{question.code}",
            "label": question.text,
            "hint": question.help_text,
            "error": errors.get(question.code, ""),
        }
        options = tuple(
            Choice(o.code, o.label, _checked(value, o.code)) for o in question.options.all()
        )
        if question.type == Question.Type.BOOLEAN:
            fields.append(Field(widget="inline", value=value, choices=_yes_no(value), **common))
        elif question.type == Question.Type.SINGLE:
            fields.append(Field(widget="radios", value=value, choices=options, **common))
        elif question.type == Question.Type.MULTIPLE:
            fields.append(Field(widget="checkboxes", value=value, choices=options, **common))
        else:
            fields.append(
                Field(
                    widget="number", value=value, unit=question.unit, inputmode="decimal", **common
                )
            )
    return fields


# --- The one form (一表申请) -----------------------------------------------------------------


NUMBERS = (InfoElement.Type.INTEGER, InfoElement.Type.DECIMAL)


def number_text(value: Any) -> str:
    """A stored number as people write it: 400, not 4E+2 (Decimal.normalize's form)."""
    try:
        return format(Decimal(str(value)), "f")
    except InvalidOperation:
        return str(value)


def _prefills(plan: Plan) -> dict[str, Any]:
    """What the answers fill in. FormField.prefill leaves out a `False` answer (a 否 is an
    answer too), so the form reads the asked questions itself."""
    return {
        asked.question.fills.code: asked.answer
        for asked in plan.questions
        if asked.question.fills is not None and not is_blank(asked.answer)
    }


def form_values(plan: Plan, form_data: Mapping[str, Any]) -> dict[str, Raw]:
    """What the form shows: the saved value, else what an answer fills in."""
    values = {}
    prefills = _prefills(plan)
    for form_field in plan.fields:
        element = form_field.element
        saved = form_data.get(element.code)
        value = prefills.get(element.code, form_field.prefill) if is_blank(saved) else saved
        if element.type in NUMBERS and not is_blank(value):
            value = number_text(value)
        values[element.code] = raw(value)
    return values


def form_posted(plan: Plan, data: QueryDict) -> dict[str, Any]:
    """Every field of the form as posted; a blank one clears what was saved."""
    posted: dict[str, Any] = {}
    for form_field in plan.fields:
        code = form_field.element.code
        if form_field.element.type == InfoElement.Type.MULTICHOICE:
            posted[code] = [value for value in data.getlist(code) if value]
        else:
            posted[code] = data.get(code, "").strip()
    return posted


def _element_widget(element: InfoElement, value: Raw) -> dict[str, Any]:
    kind = element.type
    choices = tuple(
        Choice(str(c["code"]), str(c["label"]), _checked(value, str(c["code"])))
        for c in (element.validation or {}).get("choices", [])
    )
    if kind == InfoElement.Type.BOOLEAN:
        return {"widget": "inline", "choices": _yes_no(value)}
    if kind == InfoElement.Type.MULTICHOICE:
        return {"widget": "checkboxes", "choices": choices}
    if kind == InfoElement.Type.CHOICE:
        return {
            "widget": "radios" if len(choices) <= RADIOS_UP_TO else "select",
            "choices": choices,
        }
    if kind in (InfoElement.Type.INTEGER, InfoElement.Type.DECIMAL):
        mode = "numeric" if kind == InfoElement.Type.INTEGER else "decimal"
        return {"widget": "number", "inputmode": mode}
    widgets = {
        InfoElement.Type.TEXTAREA: "textarea",
        InfoElement.Type.DATE: "date",
        InfoElement.Type.PHONE: "tel",
        InfoElement.Type.USCC: "code",
        InfoElement.Type.ID_NUMBER: "code",
    }
    return {"widget": widgets.get(InfoElement.Type(kind), "text")}


def used_for(form_field: FormField) -> str:
    """用于：the items that need the element; the identity block is the certificate's face."""
    if form_field.element.code in IDENTITY_ELEMENTS:
        return str(_("综合许可凭证"))
    return "、".join(form_field.item_names)


def form_sections(
    plan: Plan, values: Mapping[str, Raw], errors: Mapping[str, str]
) -> list[tuple[FormSection, list[Field]]]:
    result = []
    for section in plan.sections:
        fields = []
        for form_field in section.fields:
            element = form_field.element
            value = values.get(element.code, "")
            fields.append(
                Field(
                    name=element.code,
                    id=f"f-{element.code}",
                    label=element.label,
                    value=value,
                    unit=element.unit,
                    hint=element.help_text,
                    error=errors.get(element.code, ""),
                    used_for=used_for(form_field),
                    optional=not form_field.required,
                    autocomplete=AUTOCOMPLETE.get(element.code, ""),
                    **_element_widget(element, value),
                )
            )
        result.append((section, fields))
    return result


def element_text(element: InfoElement, value: Any) -> str:
    """A saved value as the check-your-answers page reads it."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    labels = {
        str(c["code"]): str(c["label"]) for c in (element.validation or {}).get("choices", [])
    }
    if isinstance(value, list):
        return "、".join(labels.get(str(v), str(v)) for v in value)
    text = number_text(value) if element.type in NUMBERS else labels.get(str(value), str(value))
    return f"{text} {element.unit}" if element.unit else text


# --- Small Django forms ------------------------------------------------------------------


class DomainErrorsMixin:
    """Put a service's DomainError onto a Django form: each field's message in its place."""

    def add_domain_error(self, error: DomainError) -> None:
        form: Any = self
        for name, message in error.fields.items():
            form.add_error(name if name in form.fields else None, message)
        if not error.fields:
            form.add_error(None, error.message)


class StartForm(DomainErrorsMixin, forms.Form):
    """Open a draft for one industry in one district; the token makes a double submit one."""

    industry = forms.SlugField(widget=forms.HiddenInput)
    district = forms.CharField(
        label=_("经营场所所在区"),
        error_messages={"required": _("请选择经营场所所在区")},
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    consent = forms.CharField(
        label=_("申请人授权情况"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("代为申请时填写，如：申请人张明当面委托，已核验身份证"),
    )


class RouteForm(DomainErrorsMixin, forms.Form):
    """办理方式 for one item; choosing 告知承诺 signs the commitment text shown."""

    route = forms.ChoiceField(
        label=_("办理方式"),
        choices=ApplicationItem.Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择办理方式")},
    )
    signer_name = forms.CharField(label=_("承诺人姓名"), required=False, max_length=40)
    agree = forms.BooleanField(label=_("本人已阅读并承诺"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("route") == ApplicationItem.Route.COMMITMENT:
            if not (data.get("signer_name") or "").strip():
                self.add_error("signer_name", _("请填写承诺人姓名"))
            if not data.get("agree"):
                self.add_error("agree", _("请勾选“本人已阅读并承诺”"))
        return data


class UploadForm(DomainErrorsMixin, forms.Form):
    material = forms.SlugField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("选择文件"),
        error_messages={
            "required": _("请选择要上传的文件"),
            "empty": _("所选文件是空的"),
            "invalid": _("文件没有上传成功，请重新选择"),
        },
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
