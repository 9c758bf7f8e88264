"""双随机: the same seed and population give the same draw; weights and the exempt list count."""

from collections import Counter

import pytest

from onelicense.core.errors import DomainError
from onelicense.supervision import sampling, services
from onelicense.supervision.models import SamplingPlan

POPULATION = [{"uscc": f"9111010500000000{n:02d}", "weight": 1} for n in range(30)]


def test_the_same_seed_draws_the_same_sample():
    first = sampling.sample_draw(POPULATION, 5, seed=2025)
    assert sampling.sample_draw(list(reversed(POPULATION)), 5, seed=2025) == first
    assert sampling.sample_draw(POPULATION, 5, seed=2026) != first
    assert len(set(first)) == 5


def test_a_heavier_weight_is_drawn_more_often():
    population = [{"uscc": "A", "weight": 8}] + [{"uscc": f"B{n}", "weight": 1} for n in range(9)]
    counts = Counter(
        uscc for seed in range(400) for uscc in sampling.sample_draw(population, 1, seed)
    )
    assert counts["A"] > 400 * 0.35  # 8/17 ≈ 47 %, against 1/17 ≈ 6 % for each other


def test_a_plan_records_its_seed_population_and_draw(restaurant, inspector):
    plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=3, seed=11)
    assert plan.seed == 11 and plan.drawn == [restaurant.uscc]
    assert plan.population[0]["uscc"] == restaurant.uscc and plan.population[0]["weight"] == 2
    assert sampling.sampling_plan_redraw(plan) == plan.drawn


def test_the_low_risk_are_left_alone(restaurant, inspector):
    services.assessment_refresh(enterprise=restaurant)  # A, nothing found: 无事不扰
    plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=3, seed=11)
    assert plan.exempt == [restaurant.uscc] and plan.drawn == [] and plan.population == []


def test_a_plan_needs_an_inspector_and_a_sensible_size(restaurant, inspector, market_reviewer):
    with pytest.raises(DomainError) as caught:
        sampling.sampling_plan_create(actor=inspector, title="", size=0)
    assert set(caught.value.fields) == {"size", "title"}
    with pytest.raises(DomainError):
        sampling.sampling_plan_create(actor=market_reviewer, title="抽查", size=1)
    assert SamplingPlan.objects.count() == 0
