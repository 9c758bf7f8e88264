"""Forms of the comprehensive window (一窗受理): search, accept with deferral, refuse."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onelicense.core.errors import DomainError

QUERY_MAX_LENGTH = 50
# 行政许可法 §32(1): an application outside the office's remit, or not needing a licence,
# is refused on the spot; the clerk names the paragraph that applies.
REFUSAL_BASIS = "《中华人民共和国行政许可法》第三十二条"


class WindowSearchForm(forms.Form):
    q = forms.CharField(
        label=_("按申请编号、企业名称或统一社会信用代码查找"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        strip=True,
    )


class AcceptForm(forms.Form):
    """受理: nothing to fill in, the check page is what the clerk confirms."""


class DeferredAcceptForm(forms.Form):
    """容缺受理: the missing materials that will follow within the deferral period.

    Every material of the application is a valid choice here; whether one may be deferred is the
    service's rule (the catalogue's `deferrable`), so that a wrong choice gets its own message.
    """

    deferred = forms.MultipleChoiceField(
        label=_("容缺后补的材料"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择容缺后补的材料")},
    )

    def __init__(self, *args: Any, materials: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["deferred"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = materials


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("不予受理的理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写不予受理的理由")},
        help_text=_("写明申请人能看懂的具体理由，将载入不予受理决定书"),
    )
    legal_basis = forms.CharField(
        label=_("法律依据"),
        max_length=500,
        initial=REFUSAL_BASIS,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写不予受理的法律依据")},
        help_text=_("如：%(basis)s第一款第（二）项；请写明具体条款") % {"basis": REFUSAL_BASIS},
    )


def form_errors_add(
    form: forms.Form,
    error: DomainError,
    *,
    field: str | None = None,
    labels: dict[str, str] | None = None,
) -> None:
    """Put a service's messages on a bound form: each onto the field of the same name, else onto
    `field` (a deferral's material codes go onto its checkboxes) or above the form, prefixed with
    the material's name from `labels`."""
    labels = labels or {}
    for key, message in error.fields.items():
        if key in form.fields:
            form.add_error(key, message)
        else:
            form.add_error(field, f"{labels[key]}：{message}" if key in labels else message)
    if not error.fields:
        form.add_error(None, error.message)
