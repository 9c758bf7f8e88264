"""一业一评 from data: the shipped rules load, faults are named, and the grade follows the file."""

import copy
from pathlib import Path

import pytest
import yaml

from onelicense.core.errors import DomainError
from onelicense.supervision import services
from onelicense.supervision.scoring import RULES_FILE, grade_compute, rules_current, rules_parse

SHIPPED = yaml.safe_load(Path(RULES_FILE).read_text("utf-8"))


def test_the_shipped_rules_load():
    rules = rules_current()
    assert [b.grade for b in rules.grades] == ["A", "B", "C", "D"]
    assert rules.factors["permit_revoked"].points == -40


def test_a_clean_record_is_the_best_grade_and_facts_lower_it():
    rules = rules_parse(SHIPPED)
    assert grade_compute(rules, {}).grade == "A"
    outcome = grade_compute(rules, {"finding_serious": 1, "permit_revoked": 1})
    assert (outcome.grade, outcome.score) == ("D", 30)
    assert [r["code"] for r in outcome.reasons] == ["finding_serious", "permit_revoked"]


def test_a_cap_limits_what_a_fact_earns():
    outcome = grade_compute(rules_parse(SHIPPED), {"inspection_clean": 5})
    assert outcome.score == 104 and outcome.reasons[0] == {
        "code": "inspection_clean",
        "label": "联合检查全部合格",
        "count": 5,
        "points": 4,
    }


def test_changing_the_data_changes_the_grade():
    lenient = copy.deepcopy(SHIPPED)
    lenient["factors"]["finding_serious"]["points"] = -5
    facts = {"finding_serious": 1}
    assert grade_compute(rules_parse(SHIPPED), facts).grade == "C"
    assert grade_compute(rules_parse(lenient), facts).grade == "B"


def test_faults_are_named_by_path():
    broken = copy.deepcopy(SHIPPED)
    del broken["factors"]["permit_revoked"]["points"]
    broken["factors"]["made_up"] = {"label": "x", "points": 1}
    broken["grades"][3]["min_score"] = 10
    broken["sampling"]["weights"]["C"] = 0
    broken["sampling"]["exempt_grade"] = "Z"
    with pytest.raises(DomainError) as caught:
        rules_parse(broken)
    assert set(caught.value.fields) == {
        "factors.permit_revoked.points",
        "factors.made_up",
        "grades[3].min_score",
        "sampling.weights.C",
        "sampling.exempt_grade",
    }


def test_a_grade_records_the_rules_version(restaurant, settings, tmp_path):
    changed = copy.deepcopy(SHIPPED) | {"version": "2025.1", "base": 80}
    path = tmp_path / "scoring.yaml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), "utf-8")
    settings.ONELICENSE_SCORING_FILE = str(path)
    grade = services.assessment_refresh(enterprise=restaurant)
    assert (grade.grade, grade.score, grade.rules_version) == ("C", 80, "2025.1")
