"""双随机抽查: a seeded draw of a district's enterprises, weighted by grade, reproducible.

The population is the district's permit holders in USCC order, less the 无事不扰 list; each
enterprise's weight is its grade's (`scoring.yaml`, `sampling.weights`). The draw is weighted
sampling without replacement (Efraimidis–Spirakis: key = u^(1/w), the largest keys win) from
`random.Random(seed)`, so the same seed and the same population give the same sample, and the
plan records both, so anyone can draw it again.
"""

import random
import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record
from onelicense.licences.selectors import holders_in_district
from onelicense.supervision.models import SamplingPlan
from onelicense.supervision.scoring import Rules, rules_current
from onelicense.supervision.selectors import assessments_latest, exempt_ids

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
        drawn=sample_draw(population, size, seed),
        created_by=actor,
    )
    event_record(
        actor=actor, verb="sampling_plan_drawn", subject=plan, data={"seed": seed, "size": size}
    )
    return plan


def sampling_plan_redraw(plan: SamplingPlan) -> list[str]:
    """The plan drawn again from what it recorded: equal to `plan.drawn`, or it was altered."""
    return sample_draw(list(plan.population), plan.size, plan.seed)
