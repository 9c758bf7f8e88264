"""A little supervision history for the demo: checklists for every industry, then for the given
enterprises (permit holders) a few graded records — a clean joint inspection, a substantiated
complaint, a minor finding with an order to rectify — made through the services.

Call `supervision_samples(enterprises=[...])` after the demo has certified some enterprises
and `accounts.services.demo_accounts_ensure()` has made the 朝阳区 inspectors.
"""

import datetime

from django.utils import timezone

from onelicense.accounts.models import User
from onelicense.applications.models import Enterprise
from onelicense.core.errors import DomainError
from onelicense.licences.selectors import holder_permits
from onelicense.supervision import selectors, services
from onelicense.supervision.models import Complaint, Inspection


def _inspectors(district_id: int, kinds: list[str]) -> list[User]:
    people = selectors.district_inspectors(district_id)
    return [p for p in people if p.department and p.department.kind.code in kinds]


def _inspect(enterprise: Enterprise, lead: User, minor: int) -> Inspection | None:
    assert lead.department is not None and lead.department.district_id is not None
    checklist_kinds = {
        p.department.code
        for p in selectors.checklist_points(
            selectors.checklist_get(
                selectors.enterprise_industry(
                    selectors.enterprise_permits_in(enterprise, lead.department.district)
                )
            )
        )
    }
    team = _inspectors(lead.department.district_id, sorted(checklist_kinds))
    inspection = services.inspection_create(
        actor=lead,
        enterprise=enterprise,
        department_codes=sorted({p.department.kind.code for p in team if p.department}),
        participants=team,
        planned_for=timezone.localdate(),
    )
    rows = [
        services.ResultInput(p.pk, "fail", "minor", "台账记录不全")
        if n < minor
        else services.ResultInput(p.pk, "pass")
        for n, p in enumerate(selectors.inspection_points(inspection))
    ]
    services.inspection_results_record(inspection=inspection, actor=lead, results=rows)
    services.inspection_complete(inspection=inspection, actor=lead, summary="示例检查")
    if minor:
        services.action_take(
            inspection=inspection,
            actor=lead,
            kind="rectify",
            reason="完善进货查验和索证索票记录",
            rectify_by=timezone.localdate() + datetime.timedelta(days=15),
        )
    return inspection


def _lead(enterprise: Enterprise) -> User | None:
    """A market-regulation inspector of the district that licensed the enterprise."""
    permit = holder_permits(enterprise.pk).first()
    if permit is None or permit.department.district_id is None:
        return None
    leads = _inspectors(permit.department.district_id, ["market_regulation"])
    return leads[0] if leads else None


def supervision_samples(*, enterprises: list[Enterprise]) -> None:
    """Checklists for all industries; for each enterprise in turn: a clean inspection, a minor
    finding ordered to be rectified, a substantiated complaint, or only a grade."""
    services.checklists_generate_all()
    for n, enterprise in enumerate(enterprises):
        lead = _lead(enterprise)
        try:
            if lead and n % 4 in (0, 1):
                _inspect(enterprise, lead, minor=n % 4)
            elif lead and n % 4 == 2:
                complaint = services.complaint_submit(
                    uscc=enterprise.uscc, content="门口占道经营，油烟扰民，多次反映未改。"
                )
                services.complaint_handle(complaint=complaint, actor=lead, status="accepted")
                services.complaint_handle(
                    complaint=complaint,
                    actor=lead,
                    status=Complaint.Status.SUBSTANTIATED,
                    note="现场核实属实，已责令改正",
                )
        except DomainError:
            pass  # an enterprise without a checklist or inspectors still gets its grade
        services.assessment_refresh(enterprise=enterprise)
