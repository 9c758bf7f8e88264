"""双随机抽查: a seeded draw of a district's enterprises, weighted by grade, reproducible.

The population is the district's permit holders in USCC order, less the 无事不扰 list; each
enterprise's weight is its grade's (`scoring.yaml`, `sampling.weights`). The draw is weighted
sampling without replacement (Efraimidis–Spirakis: key = u^(1/w), the largest keys win) from
`random.Random(seed)`, so the same seed and the same population give the same sample, and the
plan records both, so anyone can draw it again.

The second draw picks the inspectors. For each enterprise drawn, for each department on its
industry's checklist, the pool is the district's inspectors of that department: two are drawn
(one when there is only one), from `random.Random(f"{seed}:{uscc}:{department}")`, avoiding the
inspectors of the enterprise's previous inspection as long as enough others remain. The plan
records each pool, the avoided and the drawn, so this draw too can be made again and compared.
`sampling_plan_inspections_create` then plans every sampled enterprise's joint inspection in
one go, or none.
"""

import datetime
import random
import secrets
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind, District, User
from onelicense.applications.models import Enterprise
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record
from onelicense.licences.selectors import holders_in_district
from onelicense.supervision import selectors
from onelicense.supervision.models import Checklist, Inspection, SamplingPlan
from onelicense.supervision.scoring import Rules, rules_current
from onelicense.supervision.selectors import assessments_latest, exempt_ids
from onelicense.supervision.services import inspection_write

# Inspectors drawn per department: two, or all there are when fewer.
PER_DEPARTMENT = 2

MAX_SIZE = 500


def sample_draw(population: list[dict[str, object]], size: int, seed: int) -> list[str]:
    """USCCs drawn from [{"uscc", "weight"}…]; the same arguments, the same answer."""
    rng = random.Random(seed)
    ordered = sorted(population, key=lambda row: str(row["uscc"]))
    keyed = [
        (rng.random() ** (1 / float(row["weight"])), str(row["uscc"]))  # type: ignore[arg-type]
        for row in ordered
    ]
    keyed.sort(reverse=True)
    return [uscc for _key, uscc in keyed[:size]]


def sampling_population(
    district_id: int, rules: Rules
) -> tuple[list[dict[str, object]], list[str]]:
    """The district's holders with their grade and weight, and the exempt ones' USCCs."""
    enterprises = list(holders_in_district(district_id))
    ids = [e.pk for e in enterprises]
    latest = assessments_latest(ids)
    exempt = exempt_ids(ids, rules=rules)
    population = []
    for enterprise in enterprises:
        if enterprise.pk in exempt:
            continue
        grade = latest[enterprise.pk].grade if enterprise.pk in latest else ""
        population.append(
            {
                "uscc": enterprise.uscc,
                "name": enterprise.name,
                "grade": grade,
                "weight": rules.weights.get(grade, rules.unrated_weight),
            }
        )
    return population, sorted(e.uscc for e in enterprises if e.pk in exempt)


def inspectors_pick(pool: list[int], avoid: list[int], seed: int, key: str) -> list[int]:
    """Two of the pool (all when fewer), drawn from `Random(f"{seed}:{key}")`, none of `avoid`
    unless too few others remain; the same arguments, the same answer."""
    rng = random.Random(f"{seed}:{key}")
    need = min(PER_DEPARTMENT, len(pool))
    fresh = sorted(set(pool) - set(avoid))
    picked = rng.sample(fresh, min(need, len(fresh)))
    stale = sorted(set(pool) & set(avoid))
    picked += rng.sample(stale, need - len(picked))
    return sorted(picked)


def _previous_participants(enterprise_id: int) -> list[int]:
    latest = Inspection.objects.filter(enterprise_id=enterprise_id).order_by("-created_at", "-id")
    row = latest.first()
    return sorted(row.participants.values_list("pk", flat=True)) if row else []


def inspectors_draw(district: District, drawn: list[str], seed: int) -> dict[str, Any]:
    """USCC → {"industry", "departments": code → {"pool", "avoided", "drawn"}} for every
    enterprise drawn; an industry without a checklist has no departments."""
    pools: dict[str, list[int]] = defaultdict(list)
    for person in selectors.district_inspectors(district.pk).order_by("pk"):
        assert person.department is not None
        pools[person.department.kind.code].append(person.pk)
    checklists: dict[str, list[str]] = {}
    assignments: dict[str, Any] = {}
    enterprises = Enterprise.objects.in_bulk(drawn, field_name="uscc")
    for uscc in drawn:
        enterprise = enterprises[uscc]
        industry = selectors.enterprise_industry(
            selectors.enterprise_permits_in(enterprise, district)
        )
        if industry not in checklists:
            checklist = Checklist.objects.filter(industry_code=industry).first()
            points = selectors.checklist_points(checklist) if checklist else []
            checklists[industry] = sorted({p.department.code for p in points})
        avoid = _previous_participants(enterprise.pk)
        assignments[uscc] = {
            "industry": industry,
            "departments": {
                kind: {
                    "pool": pools.get(kind, []),
                    "avoided": sorted(set(avoid) & set(pools.get(kind, []))),
                    "drawn": inspectors_pick(pools.get(kind, []), avoid, seed, f"{uscc}:{kind}"),
                }
                for kind in checklists[industry]
            },
        }
    return assignments


@transaction.atomic
def sampling_plan_create(
    *, actor: User, title: str, size: int, seed: int | None = None
) -> SamplingPlan:
    """Draw `size` enterprises of the inspector's district and record the plan whole."""
    if actor.role != User.Role.INSPECTOR or actor.department is None:
        raise DomainError("forbidden", _("只有执法检查人员可以制定抽查计划"), status=403)
    fields = {}
    if not 1 <= size <= MAX_SIZE:
        fields["size"] = str(_("抽取数量应在 1 至 500 之间"))
    if not title.strip():
        fields["title"] = str(_("此项必填"))
    if fields:
        raise DomainError("invalid_plan", _("抽查计划填写有误"), fields=fields, status=422)
    district = actor.department.district
    assert district is not None
    rules = rules_current()
    population, exempt = sampling_population(district.pk, rules)
    seed = seed if seed is not None else secrets.randbits(48)
    plan = SamplingPlan.objects.create(
        district=district,
        title=title.strip(),
        seed=seed,
        size=size,
        population=population,
        exempt=exempt,
        drawn=(drawn := sample_draw(population, size, seed)),
        assignments=inspectors_draw(district, drawn, seed),
        created_by=actor,
    )
    event_record(
        actor=actor, verb="sampling_plan_drawn", subject=plan, data={"seed": seed, "size": size}
    )
    return plan


def sampling_plan_redraw(plan: SamplingPlan) -> list[str]:
    """The plan drawn again from what it recorded: equal to `plan.drawn`, or it was altered."""
    return sample_draw(list(plan.population), plan.size, plan.seed)


def sampling_plan_reproduces(plan: SamplingPlan) -> bool:
    """Both draws made again from what the plan recorded give what it recorded."""
    if sampling_plan_redraw(plan) != plan.drawn or set(plan.assignments) != set(plan.drawn):
        return False
    return all(
        inspectors_pick(row["pool"], row["avoided"], plan.seed, f"{uscc}:{kind}") == row["drawn"]
        for uscc, entry in plan.assignments.items()
        for kind, row in entry["departments"].items()
    )


@transaction.atomic
def sampling_plan_inspections_create(
    *, plan: SamplingPlan, actor: User, planned_for: datetime.date
) -> list[Inspection]:
    """A joint inspection for every enterprise drawn, with the inspectors drawn for it: all of
    them, or none when a department has no inspector or an inspector is no longer one here."""
    if actor.role != User.Role.INSPECTOR or actor.department is None:
        raise DomainError("forbidden", _("只有执法检查人员可以进行此操作"), status=403)
    plan = SamplingPlan.objects.select_for_update().get(pk=plan.pk)
    if actor.department.district_id != plan.district_id:
        raise DomainError("plan_not_found", _("未找到该抽查计划"), status=404)
    if plan.inspections.exists():
        raise DomainError("plan_inspections_exist", _("该计划的联合检查已经安排"), status=409)
    if not plan.drawn:
        raise DomainError("plan_empty", _("该计划没有抽中的市场主体"), status=409)
    kinds = {k.code: k for k in DepartmentKind.objects.all()}
    people = {u.pk: u for u in selectors.district_inspectors(plan.district_id)}
    names = {row["uscc"]: row["name"] for row in plan.population}
    for uscc in plan.drawn:
        departments = (plan.assignments.get(uscc) or {}).get("departments") or {}
        if not departments:
            raise DomainError(
                "checklist_not_found",
                _("%(enterprise)s所属行业尚未生成检查单，不能安排检查")
                % {"enterprise": names.get(uscc, uscc)},
                status=409,
            )
        for kind, row in departments.items():
            if not row["drawn"]:
                raise DomainError(
                    "department_without_inspector",
                    _("本区%(department)s没有执法检查人员，不能安排对%(enterprise)s的检查")
                    % {"department": kinds[kind].name, "enterprise": names.get(uscc, uscc)},
                    status=409,
                )
            if any(
                pk not in people or people[pk].department.kind.code != kind  # type: ignore[union-attr]
                for pk in row["drawn"]
            ):
                raise DomainError(
                    "inspector_gone",
                    _("抽中的检查人员已调离或停用，请重新制定抽查计划"),
                    status=409,
                )
    enterprises = Enterprise.objects.in_bulk(plan.drawn, field_name="uscc")
    created = [
        inspection_write(
            actor=actor,
            enterprise=enterprises[uscc],
            industry_code=plan.assignments[uscc]["industry"],
            kinds=[kinds[kind] for kind in sorted(plan.assignments[uscc]["departments"])],
            people={
                people[pk]
                for row in plan.assignments[uscc]["departments"].values()
                for pk in row["drawn"]
            },
            planned_for=planned_for,
            plan_id=plan.pk,
        )
        for uscc in plan.drawn
    ]
    event_record(
        actor=actor,
        verb="sampling_plan_inspections_planned",
        subject=plan,
        data={"inspections": len(created)},
    )
    return created
