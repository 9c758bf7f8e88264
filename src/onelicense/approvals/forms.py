"""Forms of the reviewer's workbench: the inbox's filters and one form per action.

Forms parse what was typed; the rules (who may act, the legal maximum of an extension, what a
correction must list …) are the services'. A service's DomainError is put back onto the form,
each message beside its field (`ReviewForm.add_domain_error`).
"""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.approvals.models import ItemCase, Verification
from onelicense.approvals.selectors import TAB_STATUSES, TABS, InboxFilter, Tab
from onelicense.approvals.services import SUSPENSION_KINDS
from onelicense.core.errors import DomainError

QUERY_MAX_LENGTH = 50


def _text(rows: int = 0, **attrs: Any) -> forms.Widget:
    if rows:
        return forms.Textarea(attrs={"class": "ol-input ol-textarea", "rows": rows, **attrs})
    return forms.TextInput(attrs={"class": "ol-input", **attrs})


def _date() -> forms.DateInput:
    return forms.DateInput(
        attrs={"type": "date", "class": "ol-input ol-input--short"}, format="%Y-%m-%d"
    )


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "ol-select"})


class InboxFilterForm(forms.Form):
    """The inbox's tab, filters and search, read from the query string; bad values are ignored."""

    tab = forms.ChoiceField(choices=list(TABS.items()), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, widget=_select())
    item = forms.ChoiceField(label=_("事项"), required=False, widget=_select())
    q = forms.CharField(
        label=_("申请编号或企业名称"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"class": "ol-input", "type": "search"}),
    )

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tab = self.data.get("tab") if self.data.get("tab") in TABS else Tab.TODO
        statuses = dict(ItemCase.Status.choices)
        self._choices("status", [(s, statuses[s]) for s in TAB_STATUSES[str(tab)]], _("全部状态"))
        self._choices("item", items, _("全部事项"))

    def _choices(self, name: str, choices: list[tuple[str, Any]], blank: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", blank), *choices]

    def inbox(self) -> InboxFilter:
        """The filter as given, each value dropped that is not one of its choices."""
        data = {name: self.data.get(name, "") for name in self.fields}
        valid = {}
        for name, value in data.items():
            field = self.fields[name]
            try:
                valid[name] = field.clean(value)
            except forms.ValidationError:
                valid[name] = ""
        return InboxFilter(
            tab=valid["tab"] or Tab.TODO,
            status=valid["status"],
            item=valid["item"],
            query=str(valid["q"]).strip(),
        )


class ReviewForm(forms.Form):
    """An action's form: fields marked for assistive technology, a service's errors placed."""

    # The action's name: its URL, its <details> on the page and its fields' ids (several
    # actions have a `reason`, and one page shows them all).
    action = ""
    title: Any = ""
    # A service's field name → this form's field, where they differ.
    aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.action}-%s")
        super().__init__(*args, **kwargs)
        for name, bound_field in self.fields.items():
            if bound_field.help_text:
                bound_field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field in self.fields:
            widget = self.fields[field].widget
            described = [widget.attrs.get("aria-describedby", ""), f"{self[field].auto_id}-error"]
            widget.attrs["aria-describedby"] = " ".join(d for d in described if d)
            widget.attrs["aria-invalid"] = "true"

    def add_domain_error(self, error: DomainError) -> None:
        if error.code != "required" or not error.fields:
            self.add_error(None, error.message)
        for key, message in error.fields.items():
            name = self.aliases.get(key, key)
            if name in self.fields:
                self.add_error(name, message)


class ClaimForm(ReviewForm):
    """认领: nothing to fill in."""

    action = "claim"
    title = _("认领")


class AssignForm(ReviewForm):
    action = "assign"
    title = _("分派给同事")
    assignee = forms.ModelChoiceField(
        label=_("分派给"),
        queryset=User.objects.none(),
        widget=_select(),
        empty_label=_("请选择同事"),
        error_messages={
            "required": _("请选择承办的同事"),
            "invalid_choice": _("只能分派给本部门的审批人员"),
        },
    )

    def __init__(self, *args: Any, colleagues: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = colleagues


class ApproveForm(ReviewForm):
    action = "approve"
    title = _("准予许可")
    permit_number = forms.CharField(
        label=_("证件编号"),
        max_length=60,
        required=False,
        widget=_text(autocomplete="off", spellcheck="false"),
        help_text=_("已按申请编号给出建议编号，可改为本部门的编号规则；留空则使用建议编号"),
    )
    valid_from = forms.DateField(
        label=_("有效期起"),
        required=False,
        widget=_date(),
        error_messages={"invalid": _("请填写有效的日期，如 2026-03-02")},
    )
    valid_until = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=_date(),
        error_messages={"invalid": _("请填写有效的日期，如 2031-03-01")},
        help_text=_("已按事项的证件有效期推算；留空则由系统按有效期计算（长期有效的留空）"),
    )
    reason = forms.CharField(
        label=_("审查意见"),
        max_length=1000,
        required=False,
        widget=_text(rows=2),
        help_text=_("留空则记为“符合法定条件、标准”"),
    )


class RefuseForm(ReviewForm):
    action = "refuse"
    title = _("不予许可")
    reason = forms.CharField(
        label=_("不予许可的理由"),
        max_length=1000,
        widget=_text(rows=4),
        error_messages={"required": _("请填写不予许可的理由")},
        help_text=_("写明申请人能看懂的具体理由，将告知申请人"),
    )
    legal_basis = forms.CharField(
        label=_("法律依据"),
        max_length=500,
        widget=_text(rows=2),
        error_messages={"required": _("请填写不予许可的法律依据")},
        help_text=_("写明法律、法规的名称和具体条款"),
    )


class CorrectionForm(ReviewForm):
    """补正告知: everything missing, said at once, so that the applicant corrects once."""

    action = "correction"
    title = _("补正告知")
    aliases = {"missing": "materials"}

    materials = forms.MultipleChoiceField(
        label=_("需补正的材料"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ol-checkboxes__input"}),
        error_messages={"invalid_choice": _("所选材料不属于本事项")},
    )
    elements = forms.MultipleChoiceField(
        label=_("需补正的申请信息"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ol-checkboxes__input"}),
        error_messages={"invalid_choice": _("所选信息不属于本事项")},
    )
    other = forms.CharField(
        label=_("其他需补正的内容"),
        max_length=2000,
        required=False,
        widget=_text(rows=3),
        help_text=_("每行写一项"),
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=1000,
        required=False,
        widget=_text(rows=2),
        help_text=_("如补正的具体要求"),
    )

    def __init__(
        self,
        *args: Any,
        choices: tuple[list[tuple[str, str]], list[tuple[str, str]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.labels: dict[str, str] = {}
        for name, options in zip(("materials", "elements"), choices, strict=True):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = options
            self.labels |= {f"{name}:{code}": label for code, label in options}

    def missing(self) -> list[str]:
        """What the applicant is told to correct: the names ticked, then each line typed."""
        listed = [
            self.labels[f"{name}:{code}"]
            for name in ("materials", "elements")
            for code in self.cleaned_data[name]
        ]
        typed = [line.strip() for line in self.cleaned_data["other"].splitlines()]
        return listed + [line for line in typed if line]


class SuspendForm(ReviewForm):
    action = "suspend"
    title = _("中止审查")
    kind = forms.ChoiceField(
        label=_("中止事由"),
        choices=list(SUSPENSION_KINDS.items()),
        widget=forms.RadioSelect(attrs={"class": "ol-choice__input"}),
        error_messages={"required": _("请选择中止事由"), "invalid_choice": _("请选择中止事由")},
    )
    reason = forms.CharField(
        label=_("中止的理由"),
        max_length=1000,
        widget=_text(rows=3),
        error_messages={"required": _("请填写中止的理由")},
    )
    expected_end = forms.DateField(
        label=_("预计结束日期"),
        widget=_date(),
        error_messages={
            "required": _("请填写预计结束日期"),
            "invalid": _("请填写有效的日期，如 2026-03-20"),
        },
    )


class ResumeForm(ReviewForm):
    action = "resume"
    title = _("恢复审查")
    note = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=_text(rows=2))


class ExtendForm(ReviewForm):
    action = "extend"
    title = _("申请延期")
    days = forms.IntegerField(
        label=_("延长工作日"),
        widget=forms.NumberInput(
            attrs={"class": "ol-input ol-input--short", "inputmode": "numeric"}
        ),
        error_messages={"required": _("请填写延长的工作日数"), "invalid": _("请填写整数")},
    )
    reason = forms.CharField(
        label=_("延期理由"),
        max_length=1000,
        widget=_text(rows=3),
        error_messages={"required": _("请填写延期理由")},
    )
    lead = forms.ModelChoiceField(
        label=_("批准的负责人"),
        queryset=User.objects.none(),
        widget=_select(),
        empty_label=_("请选择本部门负责人"),
        error_messages={
            "required": _("请选择批准延期的本部门负责人"),
            "invalid_choice": _("延期须经本部门负责人批准"),
        },
    )

    def __init__(self, *args: Any, leads: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = leads


class OnsiteForm(ReviewForm):
    action = "onsite"
    title = _("安排现场核查")
    on = forms.DateField(
        label=_("核查日期"),
        widget=_date(),
        error_messages={
            "required": _("请填写核查日期"),
            "invalid": _("请填写有效的日期，如 2026-03-20"),
        },
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=1000,
        required=False,
        widget=_text(rows=2),
        help_text=_("如核查人员、需现场备查的材料；将告知申请人"),
    )


VERIFICATION_OUTCOMES = [
    (value, label)
    for value, label in Verification.Outcome.choices
    if value != Verification.Outcome.PENDING
]


class VerificationForm(ReviewForm):
    action = "verify"
    title = _("记录核查结果")
    outcome = forms.ChoiceField(
        label=_("核查结果"),
        choices=VERIFICATION_OUTCOMES,
        widget=forms.RadioSelect(attrs={"class": "ol-choice__input"}),
        error_messages={"required": _("请选择核查结果"), "invalid_choice": _("请选择核查结果")},
    )
    findings = forms.CharField(
        label=_("核查情况"),
        max_length=2000,
        widget=_text(rows=4),
        error_messages={"required": _("请填写核查情况")},
    )
    rectify_by = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=_date(),
        error_messages={"invalid": _("请填写有效的日期，如 2026-04-30")},
        help_text=_("责令限期整改时填写"),
    )


def action_forms(
    *,
    colleagues: QuerySet[User],
    leads: QuerySet[User],
    choices: tuple[list[tuple[str, str]], list[tuple[str, str]]],
    permit_number: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
) -> dict[str, ReviewForm]:
    """Every action's form, blank, the approval's prefilled with the suggested permit."""
    initial = {"permit_number": permit_number, "valid_from": valid_from, "valid_until": valid_until}
    blank: list[ReviewForm] = [
        ClaimForm(),
        AssignForm(colleagues=colleagues),
        ApproveForm(initial=initial),
        RefuseForm(),
        CorrectionForm(choices=choices),
        SuspendForm(),
        ResumeForm(),
        ExtendForm(leads=leads),
        OnsiteForm(),
        VerificationForm(),
    ]
    return {form.action: form for form in blank}
