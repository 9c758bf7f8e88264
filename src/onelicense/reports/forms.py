import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import District, User
from onelicense.core.errors import DomainError
from onelicense.reports.selectors import ReportFilter, departments_for, industry_names

DATE = forms.DateInput(attrs={"type": "date"})


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "ol-select" if isinstance(field.widget, forms.Select) else "ol-input"
        field.widget.attrs.setdefault("class", css)


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months: from the first day of the month eleven months back."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1), today


class ReportFilterForm(forms.Form):
    """统计条件：a period, and a district (the city only), industry and department."""

    since = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    until = forms.DateField(label=_("截止日期"), required=False, widget=DATE)
    district = forms.ModelChoiceField(
        label=_("区"), queryset=District.objects.all(), required=False, empty_label=_("全市")
    )
    industry = forms.ChoiceField(label=_("行业"), required=False)
    department = forms.TypedChoiceField(
        label=_("审批部门"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user
        own = user.district_id if user.role == User.Role.DISTRICT_ADMIN else None
        if own:
            del self.fields["district"]
        names = industry_names()
        industry = self.fields["industry"]
        assert isinstance(industry, forms.ChoiceField)
        industry.choices = [("", _("全部行业")), *names.items()]
        department = self.fields["department"]
        assert isinstance(department, forms.TypedChoiceField)
        department.choices = [("", _("全部部门"))] + [(d.pk, d.name) for d in departments_for(own)]
        _style(self)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = default_period(timezone.localdate())
        since = data.get("since") or start
        until = data.get("until") or end
        if isinstance(since, datetime.date) and isinstance(until, datetime.date):
            if until < since:
                self.add_error("until", _("统计截止日期不能早于起始日期"))
            data["since"], data["until"] = since, until
        return data

    def report_filter(self) -> ReportFilter:
        data = self.cleaned_data
        district = data.get("district")
        if self.user.role == User.Role.DISTRICT_ADMIN:
            district_id = self.user.district_id
        else:
            district_id = district.pk if district else None
        try:
            return ReportFilter(
                since=data["since"],
                until=data["until"],
                district_id=district_id,
                industry_code=data.get("industry") or "",
                department_id=data.get("department"),
            )
        except DomainError as error:  # pragma: no cover (clean() refuses a reversed period)
            raise forms.ValidationError(error.message) from error


class WorkPlanForm(forms.Form):
    """工作方案备案."""

    district = forms.ModelChoiceField(label=_("区"), queryset=District.objects.all())
    filed_on = forms.DateField(label=_("备案日期"), widget=DATE)
    title = forms.CharField(label=_("方案名称"), max_length=120)
    reference = forms.CharField(label=_("文号"), max_length=60)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if user.role == User.Role.DISTRICT_ADMIN:
            del self.fields["district"]
        _style(self)
