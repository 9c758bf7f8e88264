"""Who is told of a case: the applicant, and the reviewers of the case's department."""

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.approvals.models import ItemCase
from onelicense.core.messaging import Recipient, notify


def _link(name: str, code: object) -> str:
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        return ""


def tell_applicant(
    application: Application, title: Promise | str, body: Promise | str, *, key: str
) -> None:
    """The account holder in the app (and by e-mail), and the contact phone by SMS."""
    user = application.applicant
    phone = str(application.form_data.get("contact_phone") or (user.phone if user else ""))
    notify(
        recipients=[
            Recipient(
                user_id=user.pk if user else None, email=user.email if user else "", phone=phone
            )
        ],
        title=str(title),
        body=str(body),
        link=_link("portal:progress", application.code),
        key=key,
    )


def tell_department(case: ItemCase, title: Promise | str, body: Promise | str, *, key: str) -> None:
    """The assignee if there is one, else every reviewer of the department."""
    people = (
        [case.assignee]
        if case.assignee
        else list(User.objects.filter(role=User.Role.REVIEWER, department=case.department))
    )
    notify(
        recipients=[Recipient(user_id=p.pk, email=p.email) for p in people if p is not None],
        title=str(title),
        body=str(body),
        link=_link("approvals:case", case.pk),
        key=key,
    )
