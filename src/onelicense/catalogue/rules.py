"""Applicability rules: small JSON expressions over the applicant's answers.

A rule is ``None`` (always), a combination ``{"all": [...]}``, ``{"any": [...]}``,
``{"not": rule}``, or a test of one question ``{"q": code, <op>: value}`` where the operator is

- ``eq`` / ``ne``: the answer equals / differs from a value (an option code, a number, a boolean);
- ``in``: a single choice is one of a list;
- ``has``: a multiple choice includes an option;
- ``gt`` / ``gte`` / ``lt`` / ``lte``: a number compared with a number or a threshold
  ``{"param": code}``, whose value may differ by district (thresholds are data, 京政办发〔2023〕5号
  leaves them to the departments);
- ``answered``: the question has (true) or has not (false) been answered.

An unanswered question makes every test on it false except ``answered: false``, so an item
whose rule depends on a question the applicant has not reached yet does not apply yet.
"""

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

Rule = Mapping[str, Any] | None
Answers = Mapping[str, Any]
ParamLookup = Callable[[str], Decimal]

COMBINATORS = ("all", "any", "not")
COMPARISONS = ("eq", "ne", "in", "has", "gt", "gte", "lt", "lte", "answered")
NUMERIC = ("gt", "gte", "lt", "lte")


class RuleError(ValueError):
    """A rule that does not follow the grammar above; the message is Chinese."""


def evaluate(rule: Rule, answers: Answers, param: ParamLookup | None = None) -> bool:
    if rule is None:
        return True
    if "all" in rule:
        return all(evaluate(part, answers, param) for part in rule["all"])
    if "any" in rule:
        return any(evaluate(part, answers, param) for part in rule["any"])
    if "not" in rule:
        return not evaluate(rule["not"], answers, param)
    return _test(rule, answers, param)


def _test(rule: Mapping[str, Any], answers: Answers, param: ParamLookup | None) -> bool:
    op = _operator(rule)
    answer = answers.get(rule["q"])
    unanswered = answer is None or answer == "" or answer == []
    if op == "answered":
        return bool(rule[op]) != unanswered
    if unanswered:
        return False
    expected = rule[op]
    if op == "eq":
        return bool(_same(answer, expected))
    if op == "ne":
        return not _same(answer, expected)
    if op == "in":
        return any(_same(answer, value) for value in expected)
    if op == "has":
        return isinstance(answer, list | tuple) and expected in answer
    number = _number(answer)
    if number is None:
        return False
    limit = _threshold(expected, param)
    return {
        "gt": number > limit,
        "gte": number >= limit,
        "lt": number < limit,
        "lte": number <= limit,
    }[op]


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(answer, bool):
        return answer is expected or answer == expected
    if isinstance(expected, int | float | Decimal):
        return _number(answer) == Decimal(str(expected))
    return bool(answer == expected)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _threshold(expected: Any, param: ParamLookup | None) -> Decimal:
    if isinstance(expected, Mapping):
        if param is None:
            raise RuleError("规则引用了阈值参数，但未提供参数取值")
        return param(expected["param"])
    return Decimal(str(expected))


def _operator(rule: Mapping[str, Any]) -> str:
    ops = [key for key in rule if key != "q"]
    if "q" not in rule or len(ops) != 1 or ops[0] not in COMPARISONS:
        raise RuleError(
            "条件须为 {q: 问题代码, 比较: 取值}，"
            "比较为 eq、ne、in、has、gt、gte、lt、lte 或 answered 之一"
        )
    return ops[0]


def questions_in(rule: Rule) -> Iterator[str]:
    """Every question code a rule reads."""
    if rule is None:
        return
    for key in COMBINATORS:
        if key in rule:
            parts = [rule[key]] if key == "not" else rule[key]
            for part in parts:
                yield from questions_in(part)
            return
    yield rule["q"]


def params_in(rule: Rule) -> Iterator[str]:
    """Every threshold parameter a rule reads."""
    if rule is None:
        return
    for key in COMBINATORS:
        if key in rule:
            parts = [rule[key]] if key == "not" else rule[key]
            for part in parts:
                yield from params_in(part)
            return
    for op in NUMERIC:
        value = rule.get(op)
        if isinstance(value, Mapping):
            yield value["param"]


def check(rule: Any) -> None:
    """Raise RuleError when `rule` does not follow the grammar."""
    if rule is None:
        return
    if not isinstance(rule, Mapping):
        raise RuleError(
            "条件须为 {q: 问题代码, 比较: 取值}，"
            "比较为 eq、ne、in、has、gt、gte、lt、lte 或 answered 之一"
        )
    combinators = [key for key in COMBINATORS if key in rule]
    if combinators:
        if len(rule) != 1:
            raise RuleError("all、any、not 须单独使用")
        key = combinators[0]
        if key == "not":
            check(rule[key])
            return
        if not isinstance(rule[key], list) or not rule[key]:
            raise RuleError(f"{key} 须为非空列表")
        for part in rule[key]:
            check(part)
        return
    op = _operator(rule)
    value = rule[op]
    if op in NUMERIC:
        if isinstance(value, Mapping):
            if set(value) != {"param"}:
                raise RuleError("阈值须写作 {param: 参数代码}")
        elif _number(value) is None:
            raise RuleError(f"{op} 须与数值或阈值参数比较")
    if op == "in" and not isinstance(value, list):
        raise RuleError("in 须为列表")
    if op == "answered" and not isinstance(value, bool):
        raise RuleError("answered 须为 true 或 false")
