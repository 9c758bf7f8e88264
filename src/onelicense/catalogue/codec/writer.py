"""Writing the canonical form as the catalogue file, leaving out what equals a default."""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import yaml

from onelicense.catalogue.codec.spec import ALWAYS_WRITTEN, SPECS, VALIDATION_KEYS, Canonical


def _compact(
    kind: str, entry: Mapping[str, Any], nested: Mapping[str, Callable[[Any], Any]]
) -> dict[str, Any]:
    """An entry as written: defaults left out (but the keys everyone reads kept).

    Maps stored as JSON come back from PostgreSQL's jsonb in its own key order, so the
    writer puts every map in a fixed order of its own.
    """
    out: dict[str, Any] = {}
    for key, (required, default) in SPECS[kind].items():
        value = entry.get(key)
        if key in nested and value is not None:
            value = nested[key](value)
        elif key == "sources":
            value = _ordered_sources(value or {}, kind)
        elif key in ("when", "show_when"):
            value = _ordered_rule(value)
        if required or key in ALWAYS_WRITTEN or value != default:
            out[key] = value
    return out


def _ordered_sources(sources: Mapping[str, Any], kind: str) -> dict[str, Any]:
    order = ["*", *SPECS[kind]]
    return {key: sources[key] for key in sorted(sources, key=order.index)}


def _ordered_rule(rule: Any) -> Any:
    if not isinstance(rule, Mapping):
        return rule
    for key in ("all", "any"):
        if key in rule:
            return {key: [_ordered_rule(part) for part in rule[key]]}
    if "not" in rule:
        return {"not": _ordered_rule(rule["not"])}
    return {"q": rule["q"], **{k: v for k, v in rule.items() if k != "q"}}


def _plain_number(value: Any) -> Any:
    if isinstance(value, Decimal | float) and value == int(value):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_catalogue(canonical: Canonical) -> str:
    """The canonical form as the catalogue file."""

    def each(
        kind: str, nested: Mapping[str, Callable[[Any], Any]] | None = None
    ) -> Callable[[Any], Any]:
        return lambda entries: [_compact(kind, e, nested or {}) for e in entries]

    def numbers(mapping: Mapping[str, Any]) -> dict[str, Any]:
        return {str(k): _plain_number(mapping[k]) for k in sorted(mapping, key=str)}

    def validation(rules_: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: _plain_number(rules_[k]) for k in VALIDATION_KEYS if k in rules_}
        if "choices" in out:
            out["choices"] = each("option")(out["choices"])
        return out

    doc = {
        "catalogue": _compact("catalogue", canonical["catalogue"], {}),
        "steps": each("step")(canonical["steps"]),
        "remedies": _compact("remedies", canonical["remedies"], {}),
        "parameters": each("parameter", {"value": _plain_number, "districts": numbers})(
            canonical["parameters"]
        ),
        "materials": each("material")(canonical["materials"]),
        "elements": each("element", {"validation": validation})(canonical["elements"]),
        "items": each(
            "item",
            {
                "permit": lambda p: _compact("permit", p, {}),
                "commitment": lambda c: _compact("commitment", c, {}),
                "materials": each("item_material"),
                "elements": each("item_element"),
            },
        )(canonical["items"]),
        "industries": each(
            "industry",
            {
                "questions": each(
                    "question",
                    {
                        "min": _plain_number,
                        "max": _plain_number,
                        "options": each("option"),
                    },
                ),
                "items": each("industry_item"),
            },
        )(canonical["industries"]),
    }
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)
