"""Reads of applications: who may see which, lists for each role, the timeline."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.catalogue.plan import Plan, plan_compute
from onelicense.core.errors import DomainError
from onelicense.core.models import Event


def applications_visible_to(user: User | AnonymousUser) -> QuerySet[Application]:
    """Every application the user may see: their own; their district's at the window; their
    department's items once accepted; all for the city."""
    rows = Application.objects.select_related("industry", "district")
    if not isinstance(user, User):
        return rows.none()
    if user.role == User.Role.APPLICANT:
        return rows.filter(Q(applicant=user) | Q(created_by=user))
    if user.role in (User.Role.CLERK, User.Role.DISTRICT_ADMIN):
        return rows.filter(district=user.district)
    if user.role == User.Role.CITY_ADMIN:
        return rows
    if user.role == User.Role.REVIEWER and user.department is not None:
        return (
            rows.filter(
                district=user.department.district,
                items__item__department_id=user.department.kind_id,
            )
            .exclude(status__in=[Application.Status.DRAFT, Application.Status.SUBMITTED])
            .distinct()
        )
    return rows.none()


def application_for_user(user: User | AnonymousUser, code: str) -> Application:
    """The one access helper: the application if this user may see it, else 404 (not 403, so
    that the existence of someone else's application is not told)."""
    application = applications_visible_to(user).filter(code=code).first()
    if application is None:
        raise DomainError("application_not_found", _("未找到该申请"), status=404)
    return application


def application_for_editing(user: User, code: str) -> Application:
    """A draft the user may change: the applicant's own, or one their window filed."""
    application = application_for_user(user, code)
    mine = application.created_by_id == user.pk or application.applicant_id == user.pk
    window = user.role == User.Role.CLERK and application.district_id == user.district_id
    if not (mine or window):
        raise DomainError("forbidden", _("无权修改该申请"), status=403)
    return application


def applications_of(user: User) -> QuerySet[Application]:
    """An applicant's own applications, newest first."""
    return applications_visible_to(user).filter(Q(applicant=user) | Q(created_by=user))


def applications_at_window(clerk: User, status: str | None = None) -> QuerySet[Application]:
    """The district's applications for its window, oldest waiting first."""
    rows = applications_visible_to(clerk).exclude(status=Application.Status.DRAFT)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("submitted_at", "id")


def application_plan(application: Application) -> Plan:
    """What the application's answers decide now (for a draft) or decided (once submitted)."""
    return plan_compute(
        industry=application.industry, answers=application.answers, district=application.district
    )


def application_timeline(application: Application) -> QuerySet[Event]:
    return Event.objects.filter(
        subject_type=application._meta.label_lower, subject_id=str(application.pk)
    ).select_related("actor")
