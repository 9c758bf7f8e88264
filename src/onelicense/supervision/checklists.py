"""一业一单 editing by the city admin: switching a check point off (or on again).

Editing and adding points is `services.check_point_save`; a point switched off leaves the
inspections planned from then on, keeps past results, and stays off when the checklist is
generated again from the catalogue (switching marks it edited).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record
from onelicense.supervision.models import CheckPoint


@transaction.atomic
def check_point_switch(*, point: CheckPoint, actor: User, active: bool) -> CheckPoint:
    """Switch a point off, or on again; city admins only."""
    if actor.role != User.Role.CITY_ADMIN:
        raise DomainError("forbidden", _("只有市级管理员可以修改检查单"), status=403)
    point = CheckPoint.objects.select_for_update().get(pk=point.pk)
    if point.active == active:
        return point
    point.active, point.edited = active, True
    point.save(update_fields=["active", "edited"])
    event_record(
        actor=actor,
        verb="check_point_switched_on" if active else "check_point_switched_off",
        subject=point.checklist,
        data={"point": point.code},
    )
    return point
