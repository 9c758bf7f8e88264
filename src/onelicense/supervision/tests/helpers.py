"""Joint inspections built through the services, for the tests."""

import datetime

from django.utils import timezone

from onelicense.accounts.models import User
from onelicense.applications.models import Enterprise
from onelicense.supervision import selectors, services
from onelicense.supervision.models import Inspection, InspectionResult


def joint_inspection(
    inspector: User, fire_inspector: User, enterprise: Enterprise, **kwargs: object
) -> Inspection:
    return services.inspection_create(
        actor=inspector,
        enterprise=enterprise,
        department_codes=["market_regulation", "fire_rescue"],
        participants=[fire_inspector],
        planned_for=timezone.localdate() + datetime.timedelta(days=3),
        **kwargs,  # type: ignore[arg-type]
    )


def record_all(
    inspection: Inspection, actor: User, *, serious: int = 0, minor: int = 0
) -> list[InspectionResult]:
    """A result at every point: the first `serious` fail seriously, the next `minor` mildly."""
    rows = []
    for n, point in enumerate(selectors.inspection_points(inspection)):
        if n < serious:
            row = services.ResultInput(point.pk, "fail", "serious", "后厨无防鼠设施")
        elif n < serious + minor:
            row = services.ResultInput(point.pk, "fail", "minor", "台账不全")
        else:
            row = services.ResultInput(point.pk, "pass")
        rows.append(row)
    return services.inspection_results_record(inspection=inspection, actor=actor, results=rows)
