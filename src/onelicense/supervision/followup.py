"""整改跟踪: the follow-up of orders to rectify (责令限期整改).

A worker job (`rectifications_overdue`, in `ONELICENSE_WORKER_JOBS`) finds the orders past
their date with no rectification recorded, marks each overdue once (a conditional update claims
it, so two workers or two runs tell once), tells the district's inspectors, and recomputes the
enterprise's grade, which counts the `overdue` fact (`data/scoring.yaml`). An inspector of the
district records that the rectification was done (`rectification_record`); an order done late
stays counted as overdue for the rules' window.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.core.errors import DomainError
from onelicense.core.messaging import Recipient, notify
from onelicense.core.services import event_record
from onelicense.supervision import selectors
from onelicense.supervision.models import EnforcementAction
from onelicense.supervision.services import assessment_refresh

Kind = EnforcementAction.Kind


def orders_overdue(today: datetime.date) -> list[EnforcementAction]:
    """Orders to rectify past their date, not rectified, not yet marked overdue."""
    return list(
        EnforcementAction.objects.filter(
            kind=Kind.RECTIFY,
            rectify_by__lt=today,
            rectified_at__isnull=True,
            overdue_at__isnull=True,
        )
        .select_related("inspection__enterprise")
        .order_by("rectify_by", "id")
    )


def rectifications_overdue(*, today: datetime.date | None = None) -> int:
    """Mark each order past its date overdue and tell the district's inspectors, once per
    order; returns how many were marked this run (a worker job)."""
    today = today or timezone.localdate()
    marked = 0
    for action in orders_overdue(today):
        with transaction.atomic():
            claimed = EnforcementAction.objects.filter(
                pk=action.pk, overdue_at__isnull=True, rectified_at__isnull=True
            ).update(overdue_at=timezone.now())
            if not claimed:
                continue
            inspection = action.inspection
            enterprise = inspection.enterprise
            notify(
                recipients=[
                    Recipient(user_id=person.pk, email=person.email)
                    for person in selectors.district_inspectors(inspection.district_id)
                ],
                title=str(_("责令限期整改逾期")),
                body=str(
                    _("%(enterprise)s（%(uscc)s）未在 %(date)s 前完成整改：%(reason)s")
                    % {
                        "enterprise": enterprise.name,
                        "uscc": enterprise.uscc,
                        "date": action.rectify_by,
                        "reason": action.reason,
                    }
                ),
                link=reverse("supervision:inspection", args=[inspection.pk]),
                key=f"action:{action.pk}:overdue",
            )
            event_record(actor=None, verb="rectification_overdue", subject=inspection)
            assessment_refresh(enterprise=enterprise)
            marked += 1
    return marked


@transaction.atomic
def rectification_record(*, action: EnforcementAction, actor: User, note: str) -> EnforcementAction:
    """An inspector of the district records that the order was carried out, and how."""
    if actor.role != User.Role.INSPECTOR or actor.department is None:
        raise DomainError("forbidden", _("只有执法检查人员可以进行此操作"), status=403)
    action = EnforcementAction.objects.select_for_update().get(pk=action.pk)
    if actor.department.district_id != action.inspection.district_id:
        raise DomainError("action_not_found", _("未找到该处理措施"), status=404)
    if action.kind != Kind.RECTIFY:
        raise DomainError("not_an_order", _("只有责令限期整改需要记录整改情况"), status=409)
    if action.rectified_at is not None:
        raise DomainError("already_rectified", _("已记录整改完成"), status=409)
    if not note.strip():
        raise DomainError(
            "note_required", _("请写明整改情况"), fields={"note": str(_("此项必填"))}, status=422
        )
    action.rectified_at, action.rectified_by = timezone.now(), actor
    action.rectification_note = note.strip()
    action.save(update_fields=["rectified_at", "rectified_by", "rectification_note"])
    event_record(actor=actor, verb="rectification_recorded", subject=action.inspection, reason=note)
    assessment_refresh(enterprise=action.inspection.enterprise)
    return action
