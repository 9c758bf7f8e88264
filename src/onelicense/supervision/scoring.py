"""一业一评 as data: the scoring rules (`data/scoring.yaml`), checked whole, and their grade.

The rules name the facts the code counts (`FACTORS`); each fact has a label and points, and the
grade is the first band whose minimum the score reaches. Every grade keeps its reasons — one
line per fact that counted, with its points — so that it can be explained.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from onelicense.core.errors import DomainError

RULES_FILE = Path(__file__).parent / "data" / "scoring.yaml"

# The facts supervision counts for an enterprise (selectors.enterprise_facts).
FACTORS = (
    "finding_serious",
    "finding_minor",
    "inspection_clean",
    "verification_confirmed",
    "verification_rectify",
    "verification_revoked",
    "complaint_substantiated",
    "permit_suspended",
    "permit_revoked",
    "overdue",
)


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    points: int
    cap: int | None


@dataclass(frozen=True)
class Band:
    grade: str
    label: str
    min_score: int | None


@dataclass(frozen=True)
class Rules:
    version: str
    base: int
    window_days: int
    factors: dict[str, Factor]
    grades: list[Band]
    weights: dict[str, int]
    unrated_weight: int
    exempt_grade: str
    quiet_days: int

    def band(self, grade: str) -> Band | None:
        return next((b for b in self.grades if b.grade == grade), None)


@dataclass(frozen=True)
class Outcome:
    grade: str
    score: int
    reasons: list[dict[str, Any]]


class _Reader:
    """Reads the rules, collecting every fault by its path before giving up."""

    def __init__(self) -> None:
        self.faults: dict[str, str] = {}

    def fault(self, path: str, message: object) -> None:
        self.faults.setdefault(path, str(message))

    def integer(self, data: dict[str, Any], key: str, path: str, *, low: int | None = None) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fault(f"{path}{key}", _("应为整数"))
            return 0
        if low is not None and value < low:
            self.fault(f"{path}{key}", _("数值过小"))
        return value

    def mapping(self, data: Any, path: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fault(path or "__all__", _("应为键值表"))
            return {}
        return data


def _factors(reader: _Reader, data: dict[str, Any]) -> dict[str, Factor]:
    entries = reader.mapping(data.get("factors"), "factors")
    for code in sorted(set(entries) - set(FACTORS)):
        reader.fault(f"factors.{code}", _("不是可计分的事实"))
    factors = {}
    for code in FACTORS:
        entry = reader.mapping(entries.get(code), f"factors.{code}")
        cap = entry.get("cap")
        if cap is not None and (not isinstance(cap, int) or cap < 1):
            reader.fault(f"factors.{code}.cap", _("应为正整数"))
        label = str(entry.get("label") or "")
        if entry and not label:
            reader.fault(f"factors.{code}.label", _("此项必填"))
        points = reader.integer(entry, "points", f"factors.{code}.") if entry else 0
        factors[code] = Factor(code, label, points, cap if isinstance(cap, int) else None)
    return factors


def _grades(reader: _Reader, data: dict[str, Any]) -> list[Band]:
    rows = data.get("grades")
    if not isinstance(rows, list) or not rows:
        reader.fault("grades", _("至少需要一个等级"))
        return []
    bands: list[Band] = []
    for n, row in enumerate(rows):
        entry = reader.mapping(row, f"grades[{n}]")
        low = entry.get("min_score")
        last = n == len(rows) - 1
        if last and low is not None:
            reader.fault(f"grades[{n}].min_score", _("最低等级不设分数下限"))
        elif not last and (
            not isinstance(low, int) or (bands and low >= (bands[-1].min_score or 0))
        ):
            reader.fault(f"grades[{n}].min_score", _("分数下限应为整数并逐级递减"))
        bands.append(Band(str(entry.get("grade", "")), str(entry.get("label", "")), low))
    if len({b.grade for b in bands}) != len(bands) or not all(b.grade for b in bands):
        reader.fault("grades", _("等级代码应唯一且不为空"))
    return bands


def rules_parse(data: Any) -> Rules:
    """The rules from parsed YAML; any fault raises one DomainError naming every field."""
    reader = _Reader()
    data = reader.mapping(data, "")
    factors = _factors(reader, data)
    grades = _grades(reader, data)
    sampling = reader.mapping(data.get("sampling"), "sampling")
    weights = reader.mapping(sampling.get("weights"), "sampling.weights")
    for band in grades:
        weight = weights.get(band.grade)
        if not isinstance(weight, int) or weight < 1:
            reader.fault(f"sampling.weights.{band.grade}", _("应为正整数"))
    exempt = sampling.get("exempt_grade")
    if exempt not in {b.grade for b in grades}:
        reader.fault("sampling.exempt_grade", _("不是已定义的等级"))
    rules = Rules(
        version=str(data.get("version") or ""),
        base=reader.integer(data, "base", ""),
        window_days=reader.integer(data, "window_days", "", low=1),
        factors=factors,
        grades=grades,
        weights={str(k): v for k, v in weights.items() if isinstance(v, int)},
        unrated_weight=reader.integer(sampling, "unrated_weight", "sampling.", low=1),
        exempt_grade=str(exempt),
        quiet_days=reader.integer(sampling, "quiet_days", "sampling.", low=0),
    )
    if not rules.version:
        reader.fault("version", _("此项必填"))
    if reader.faults:
        raise DomainError(
            "scoring_rules_invalid", _("评分规则有误，未能载入"), fields=reader.faults, status=422
        )
    return rules


@cache
def _load(path: str) -> Rules:
    return rules_parse(yaml.safe_load(Path(path).read_text("utf-8")))


def rules_current() -> Rules:
    """The rules in force: `ONELICENSE_SCORING_FILE` if set, else the shipped file."""
    return _load(str(getattr(settings, "ONELICENSE_SCORING_FILE", "") or RULES_FILE))


def grade_compute(rules: Rules, facts: dict[str, int]) -> Outcome:
    """The grade for counted facts, with one reason per fact that counted."""
    score = rules.base
    reasons: list[dict[str, Any]] = []
    for code in FACTORS:
        factor = rules.factors[code]
        count = facts.get(code, 0)
        counted = min(count, factor.cap) if factor.cap is not None else count
        if counted <= 0 or factor.points == 0:
            continue
        points = counted * factor.points
        score += points
        reasons.append({"code": code, "label": factor.label, "count": count, "points": points})
    grade = next(b.grade for b in rules.grades if b.min_score is None or score >= b.min_score)
    return Outcome(grade=grade, score=score, reasons=reasons)
