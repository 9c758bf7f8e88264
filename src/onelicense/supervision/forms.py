"""Forms of the inspector's pages and the public complaint form; each only parses input, the
services check the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind, User
from onelicense.licences.models import Permit
from onelicense.supervision.models import Complaint, EnforcementAction, Inspection


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=120)
    size = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=500)
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=2**62,
        help_text=_("留空则随机生成；相同种子、相同范围的抽取结果相同，可供复核"),
    )


class CheckPointForm(forms.Form):
    text = forms.CharField(
        label=_("检查内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(
        label=_("依据"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    department_code = forms.ChoiceField(label=_("检查部门"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department_code"].choices = [  # type: ignore[attr-defined]
            (kind.code, kind.city_name) for kind in DepartmentKind.objects.order_by("code")
        ]


class PlanInspectionsForm(forms.Form):
    planned_for = forms.DateField(
        label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date", "class": "ol-input"})
    )


class RectifiedForm(forms.Form):
    note = forms.CharField(label=_("整改情况"), max_length=2000)


class InspectionForm(forms.Form):
    departments = forms.MultipleChoiceField(
        label=_("参加部门"), widget=forms.CheckboxSelectMultiple
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("检查人员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned_for = forms.DateField(
        label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date", "class": "ol-input"})
    )

    def __init__(self, *args: Any, departments: list[tuple[str, str]], people: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = departments  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("处理措施"), choices=EnforcementAction.Kind.choices)
    permit = forms.ModelChoiceField(label=_("证件"), queryset=Permit.objects.none(), required=False)
    rectify_by = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "ol-input"}),
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(
        label=_("法律依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("暂扣、吊销须写明法律依据"),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["permit"].queryset = Permit.objects.filter(  # type: ignore[attr-defined]
            holder_id=inspection.enterprise_id
        )


class ComplaintForm(forms.Form):
    identifier = forms.CharField(
        label=_("统一社会信用代码或凭证编号"),
        max_length=40,
        help_text=_("可在营业执照或综合许可凭证上找到"),
    )
    content = forms.CharField(
        label=_("投诉举报内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=11, required=False)

    def lookup(self) -> dict[str, str]:
        """Either may be written (both can be 18 characters): the USCC is tried first."""
        text = self.cleaned_data["identifier"].strip()
        return {"uscc": text, "certificate_number": text}


class HandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("处理"), choices=[c for c in Complaint.Status.choices if c[0] != "received"]
    )
    note = forms.CharField(
        label=_("核查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
