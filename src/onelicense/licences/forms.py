"""Forms of the certificate workbench and the permits pages.

They parse what was typed; the rules (who may issue, when a certificate may be reissued, which
operation a permit's state allows, what needs a legal basis) are the services'. A service's
DomainError is put back onto the form (`ReviewForm.add_domain_error`), beside its field.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onelicense.approvals.forms import ReviewForm
from onelicense.licences.models import Permit, PermitEvent
from onelicense.licences.selectors import TABS, Tab

QUERY_MAX_LENGTH = 50
Op = PermitEvent.Operation


def _text(rows: int = 0, **attrs: Any) -> forms.Widget:
    if rows:
        return forms.Textarea(attrs={"class": "ol-input ol-textarea", "rows": rows, **attrs})
    return forms.TextInput(attrs={"class": "ol-input", **attrs})


def _search() -> forms.CharField:
    return forms.CharField(
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "ol-input", "type": "search", "autocomplete": "off"}
        ),
    )


class WorkbenchFilterForm(forms.Form):
    """The workbench's tab and search, from the query string; a bad value is ignored."""

    tab = forms.ChoiceField(choices=list(TABS.items()), required=False)
    q = _search()

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return Tab.PENDING, ""
        return self.cleaned_data["tab"] or Tab.PENDING, self.cleaned_data["q"].strip()


class PermitFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部状态")), *Permit.Status.choices],
        required=False,
        widget=forms.Select(attrs={"class": "ol-select"}),
    )
    q = _search()

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["status"], self.cleaned_data["q"].strip()


class ReissueForm(ReviewForm):
    action = "reissue"
    title = _("换发")
    reason = forms.CharField(
        label=_("换发原因"),
        max_length=500,
        widget=_text(rows=3),
        error_messages={"required": _("请填写换发原因")},
        help_text=_("如：未许可事项已获许可；证件重新许可后编号变化；主体信息变更"),
    )


class KeyRetireForm(ReviewForm):
    action = "retire"
    title = _("停用密钥")
    confirm = forms.BooleanField(
        label=_("我已知悉：停用后，由该密钥签名的凭证将无法通过核验"),
        error_messages={"required": _("请确认已知悉停用的后果")},
        widget=forms.CheckboxInput(attrs={"class": "ol-checkboxes__input"}),
    )


# --- Permit operations -------------------------------------------------------------------------


class PermitActionForm(ReviewForm):
    """One lifecycle operation; `ends` operations void the certificates listing the permit,
    so they pass a confirmation step first (`confirmed`)."""

    ends = False
    hint: Any = ""
    reason_label: Any = _("理由")
    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=_text(rows=3),
        error_messages={"required": _("请填写理由")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.reason_label

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"reason": data["reason"], "legal_basis": data.get("legal_basis", "")}


class SuspendForm(PermitActionForm):
    action = Op.SUSPEND.value
    title = _("暂扣")
    hint = _("暂扣期间不得从事相关经营活动；凭证仍有效，二维码显示“暂扣”。")
    reason_label = _("暂扣理由")


class RestoreForm(PermitActionForm):
    action = Op.RESTORE.value
    title = _("暂扣发还")
    hint = _("整改完成等暂扣事由消除后，发还证件。")
    reason_label = _("发还理由")


class CancelForm(PermitActionForm):
    action = Op.CANCEL.value
    title = _("注销")
    hint = _("依法应当注销的（如主体申请、终止经营）。")
    reason_label = _("注销理由")
    ends = True


class _WithLegalBasis(PermitActionForm):
    ends = True
    legal_basis = forms.CharField(
        label=_("法律依据"),
        max_length=500,
        widget=_text(rows=2),
        error_messages={"required": _("撤销或吊销须写明法律依据")},
        help_text=_("写明法律、法规的名称和具体条款"),
    )


class AnnulForm(_WithLegalBasis):
    action = Op.ANNUL.value
    title = _("撤销")
    hint = _(
        "以欺骗等不正当手段取得许可，或违法准予许可的（《中华人民共和国行政许可法》第六十九条）。"
    )
    reason_label = _("撤销理由")


class RevokeForm(_WithLegalBasis):
    action = Op.REVOKE.value
    title = _("吊销")
    hint = _("违法经营，依法给予吊销许可证件的行政处罚。")
    reason_label = _("吊销理由")


class ChangeForm(PermitActionForm):
    """变更: what changed, kept with the permit; not printed on the certificate."""

    action = Op.CHANGE.value
    title = _("变更")
    hint = _("记录许可内容的变化（如经营项目），不改变凭证证面。")
    reason_label = _("变更理由")
    note = forms.CharField(
        label=_("变更内容"),
        max_length=1000,
        widget=_text(rows=3),
        error_messages={"required": _("请填写变更内容")},
        help_text=_("如：经营项目增加热食类食品制售。不改变综合许可凭证证面"),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return super().service_kwargs() | {"details": {"change": self.cleaned_data["note"]}}


class RenewForm(PermitActionForm):
    action = Op.RENEW.value
    title = _("延续")
    hint = _("有效期届满前依申请延续，不改变凭证证面。")
    reason_label = _("延续理由")
    valid_until = forms.DateField(
        label=_("延续后有效期至"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "ol-input ol-input--short"}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": _("请填写延续后的有效期"),
            "invalid": _("请填写有效的日期，如 2031-03-01"),
        },
    )

    def service_kwargs(self) -> dict[str, Any]:
        return super().service_kwargs() | {"valid_until": self.cleaned_data["valid_until"]}


PERMIT_FORMS: dict[str, type[PermitActionForm]] = {
    form.action: form
    for form in (
        SuspendForm,
        RestoreForm,
        ChangeForm,
        RenewForm,
        CancelForm,
        AnnulForm,
        RevokeForm,
    )
}
# Which operations a state offers (the service checks again: TRANSITIONS).
OFFERED: dict[str, tuple[str, ...]] = {
    Permit.Status.VALID: (Op.SUSPEND, Op.CHANGE, Op.RENEW, Op.CANCEL, Op.ANNUL, Op.REVOKE),
    Permit.Status.SUSPENDED: (Op.RESTORE, Op.CHANGE, Op.RENEW, Op.CANCEL, Op.ANNUL, Op.REVOKE),
}


def permit_forms(permit: Permit) -> dict[str, PermitActionForm]:
    """The blank forms of the operations the permit's state offers."""
    return {op: PERMIT_FORMS[op]() for op in OFFERED.get(permit.status, ())}
