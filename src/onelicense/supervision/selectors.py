"""Reads of supervision: checklists and the compliance manual, an inspector's inspections, an
enterprise's supervision record and the facts its grade is computed from."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind, District, User
from onelicense.applications.models import Enterprise
from onelicense.approvals.models import Verification
from onelicense.approvals.selectors import enterprise_verifications
from onelicense.core.errors import DomainError
from onelicense.licences.models import Permit, PermitEvent
from onelicense.licences.selectors import (
    holder_find,
    holder_permit_actions,
    holder_permits,
    holders_in_district,
)
from onelicense.supervision.models import (
    Assessment,
    Checklist,
    CheckPoint,
    Complaint,
    EnforcementAction,
    Inspection,
    InspectionResult,
    SamplingPlan,
)
from onelicense.supervision.scoring import Band, Rules, rules_current

Outcome = InspectionResult.Outcome


# --- Checklists and the manual --------------------------------------------------------------------


def checklist_get(industry_code: str) -> Checklist:
    checklist = Checklist.objects.filter(industry_code=industry_code).first()
    if checklist is None:
        raise DomainError("checklist_not_found", _("该行业尚未生成检查单"), status=404)
    return checklist


def checklist_points(
    checklist: Checklist, department_ids: list[int] | None = None
) -> list[CheckPoint]:
    """The active points of a checklist, of some departments only when given; 1 query."""
    rows = checklist.points.filter(active=True).select_related("department")
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    return list(rows)


def checklists_overview() -> QuerySet[Checklist]:
    """Every industry's checklist with how many points it has and how many are on; 1 query."""
    return Checklist.objects.annotate(
        point_count=Count("points"), active_count=Count("points", filter=Q(points__active=True))
    ).order_by("industry_code")


def checklist_all_points(checklist: Checklist) -> list[CheckPoint]:
    """Every point of a checklist, switched off ones too, for the city admin; 1 query."""
    return list(checklist.points.select_related("department"))


@dataclass(frozen=True)
class ManualSection:
    """一业一册: one item's obligations, with the department that checks them and its law."""

    item_name: str
    department: str
    legal_basis: str
    points: list[CheckPoint]


def manual_sections(checklist: Checklist) -> list[ManualSection]:
    sections: dict[tuple[str, int], ManualSection] = {}
    for point in checklist_points(checklist):
        key = (point.item_code, point.department_id)
        if key not in sections:
            sections[key] = ManualSection(
                point.item_name or str(_("其他合规要求")),
                point.department.city_name,
                point.legal_basis,
                [],
            )
        sections[key].points.append(point)
    return list(sections.values())


# --- Enterprises ----------------------------------------------------------------------------------


def enterprise_find(uscc: str) -> Enterprise:
    enterprise = holder_find(uscc=uscc)
    if enterprise is None:
        raise DomainError("enterprise_not_found", _("未找到该市场主体"), status=404)
    return enterprise


def enterprise_permits_in(enterprise: Enterprise, district: District | None) -> list[Permit]:
    """The enterprise's permits of the district's departments."""
    if district is None:
        return []
    return [p for p in holder_permits(enterprise.pk) if p.department.district_id == district.pk]


def enterprise_industry(permits: list[Permit]) -> str:
    """The industry the enterprise was licensed for (the most permits, then the latest)."""
    counts = Counter(p.application.industry.code for p in permits)
    return counts.most_common(1)[0][0] if counts else ""


def assessment_latest(enterprise_id: int) -> Assessment | None:
    return Assessment.objects.filter(enterprise_id=enterprise_id).first()


def assessments_latest(enterprise_ids: list[int]) -> dict[int, Assessment]:
    """Enterprise id → its latest assessment; 1 query."""
    latest: dict[int, Assessment] = {}
    for row in Assessment.objects.filter(enterprise_id__in=enterprise_ids).order_by(
        "enterprise_id", "-computed_at", "-id"
    ):
        latest.setdefault(row.enterprise_id, row)
    return latest


def _since(rules: Rules, now: datetime.datetime, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def enterprise_facts(
    enterprise_id: int, *, rules: Rules, now: datetime.datetime | None = None
) -> dict[str, int]:
    """The facts the grade counts, within the rules' window; a fixed number of queries."""
    since = _since(rules, now or timezone.now(), rules.window_days)
    completed = Inspection.objects.filter(
        enterprise_id=enterprise_id,
        status=Inspection.Status.COMPLETED,
        completed_at__gte=since,
    )
    failures = InspectionResult.objects.filter(inspection__in=completed, outcome=Outcome.FAIL)
    facts: Counter[str] = Counter()
    facts["finding_serious"] = failures.filter(severity="serious").count()
    facts["finding_minor"] = failures.filter(severity="minor").count()
    facts["inspection_clean"] = completed.exclude(results__outcome=Outcome.FAIL).count()
    for check in enterprise_verifications(enterprise_id).filter(checked_at__gte=since):
        facts[f"verification_{check.outcome}"] += 1
    facts["complaint_substantiated"] = Complaint.objects.filter(
        enterprise_id=enterprise_id,
        status=Complaint.Status.SUBSTANTIATED,
        handled_at__gte=since,
    ).count()
    facts["overdue"] = EnforcementAction.objects.filter(
        inspection__enterprise_id=enterprise_id,
        kind=EnforcementAction.Kind.RECTIFY,
        overdue_at__gte=since,
    ).count()
    for event in holder_permit_actions(enterprise_id).filter(created_at__gte=since):
        suspended = event.operation == PermitEvent.Operation.SUSPEND
        facts["permit_suspended" if suspended else "permit_revoked"] += 1
    return dict(facts)


def exempt_ids(enterprise_ids: list[int], *, rules: Rules | None = None) -> set[int]:
    """无事不扰: of these, the enterprises of the best grade with no failure and no
    substantiated complaint within the quiet period."""
    rules = rules or rules_current()
    best = [
        eid
        for eid, row in assessments_latest(enterprise_ids).items()
        if row.grade == rules.exempt_grade
    ]
    since = _since(rules, timezone.now(), rules.quiet_days)
    noisy = set(
        InspectionResult.objects.filter(
            inspection__enterprise_id__in=best, outcome=Outcome.FAIL, recorded_at__gte=since
        ).values_list("inspection__enterprise_id", flat=True)
    ) | set(
        Complaint.objects.filter(
            enterprise_id__in=best, status=Complaint.Status.SUBSTANTIATED, handled_at__gte=since
        ).values_list("enterprise_id", flat=True)
    )
    return set(best) - noisy


@dataclass(frozen=True)
class ExemptRow:
    enterprise: Enterprise
    assessment: Assessment


def exempt_list(district: District) -> list[ExemptRow]:
    """The district's 无事不扰 list, by USCC."""
    enterprises = list(holders_in_district(district.pk))
    exempt = exempt_ids([e.pk for e in enterprises])
    latest = assessments_latest(list(exempt))
    return [ExemptRow(e, latest[e.pk]) for e in enterprises if e.pk in exempt]


@dataclass(frozen=True)
class EnterpriseRecord:
    """监管档案: what supervision knows of one enterprise."""

    enterprise: Enterprise
    permits: list[Permit]
    assessment: Assessment | None
    band: Band | None
    assessments: list[Assessment]
    inspections: list[Inspection]
    actions: list[EnforcementAction]
    complaints: list[Complaint]
    verifications: list[Verification]


def enterprise_record(enterprise: Enterprise) -> EnterpriseRecord:
    assessments = list(Assessment.objects.filter(enterprise=enterprise)[:20])
    latest = assessments[0] if assessments else None
    return EnterpriseRecord(
        enterprise=enterprise,
        permits=list(holder_permits(enterprise.pk)),
        assessment=latest,
        band=rules_current().band(latest.grade) if latest else None,
        assessments=assessments,
        inspections=list(
            Inspection.objects.filter(enterprise=enterprise).prefetch_related("departments")
        ),
        actions=list(
            EnforcementAction.objects.filter(inspection__enterprise=enterprise).select_related(
                "permit", "actor"
            )
        ),
        complaints=list(Complaint.objects.filter(enterprise=enterprise)),
        verifications=list(enterprise_verifications(enterprise.pk)),
    )


# --- Inspections ----------------------------------------------------------------------------------


def inspector_inspections(inspector: User) -> QuerySet[Inspection]:
    """The inspections an inspector takes part in or that their department joins in their
    district; none for anyone else."""
    if inspector.role != User.Role.INSPECTOR or inspector.department is None:
        return Inspection.objects.none()
    department = inspector.department
    return (
        Inspection.objects.filter(
            Q(participants=inspector)
            | Q(district_id=department.district_id, departments=department.kind_id)
        )
        .distinct()
        .select_related("enterprise", "plan")
        .prefetch_related("departments", "participants")
    )


def inspection_for_inspector(inspector: User, pk: int) -> Inspection:
    inspection = inspector_inspections(inspector).filter(pk=pk).first()
    if inspection is None:
        raise DomainError("inspection_not_found", _("未找到该检查"), status=404)
    return inspection


def inspection_points(inspection: Inspection) -> list[CheckPoint]:
    """The check points the inspection covers: its industry's, of its departments."""
    checklist = Checklist.objects.filter(industry_code=inspection.industry_code).first()
    if checklist is None:
        return []
    kinds = [kind.pk for kind in inspection.departments.all()]
    return checklist_points(checklist, kinds)


@dataclass(frozen=True)
class SheetLine:
    point: CheckPoint
    result: InspectionResult | None


def inspection_sheet(inspection: Inspection) -> list[SheetLine]:
    results = {r.point_id: r for r in inspection.results.all()}
    return [SheetLine(p, results.get(p.pk)) for p in inspection_points(inspection)]


def district_inspectors(district_id: int) -> QuerySet[User]:
    return User.objects.filter(
        role=User.Role.INSPECTOR, department__district_id=district_id, is_active=True
    ).select_related("department__kind")


def complaints_for_inspector(inspector: User) -> QuerySet[Complaint]:
    """Complaints about enterprises holding permits of the inspector's district."""
    if inspector.role != User.Role.INSPECTOR or inspector.department is None:
        return Complaint.objects.none()
    district_id = inspector.department.district_id
    if district_id is None:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(enterprise__permits__department__district_id=district_id)
        .distinct()
        .select_related("enterprise", "handled_by")
    )


# --- Sampling plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawnTeam:
    department: str
    inspectors: list[str]


@dataclass(frozen=True)
class PlanRow:
    """One enterprise drawn by a plan, with the inspectors drawn for it per department."""

    uscc: str
    name: str
    grade: str
    weight: int
    teams: list[DrawnTeam]


def plan_rows(plan: SamplingPlan) -> list[PlanRow]:
    """The plan's draw as the page shows it; 2 queries."""
    entries = {
        uscc: (plan.assignments.get(uscc) or {}).get("departments") or {} for uscc in plan.drawn
    }
    ids = {pk for teams in entries.values() for row in teams.values() for pk in row["drawn"]}
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    kinds = dict(DepartmentKind.objects.values_list("code", "name"))
    population = {row["uscc"]: row for row in plan.population}
    return [
        PlanRow(
            uscc=uscc,
            name=str(population[uscc]["name"]),
            grade=str(population[uscc]["grade"]),
            weight=int(population[uscc]["weight"]),
            teams=[
                DrawnTeam(kinds.get(kind, kind), [people.get(pk, str(pk)) for pk in row["drawn"]])
                for kind, row in sorted(entries[uscc].items())
            ],
        )
        for uscc in plan.drawn
    ]
