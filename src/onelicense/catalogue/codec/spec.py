"""The catalogue file's vocabulary: its sections, the keys of each entry, their defaults."""

import re
from typing import Any

Canonical = dict[str, Any]

CODE = re.compile(r"^[a-z][a-z0-9_]*$")
VERSION_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

MATERIAL_FORMS = ("original", "copy", "original_and_copy", "electronic")
ELEMENT_TYPES = (
    "text",
    "textarea",
    "integer",
    "decimal",
    "date",
    "choice",
    "multichoice",
    "boolean",
    "phone",
    "uscc",
    "id_number",
    "address",
)
SECTIONS = ("enterprise", "premises", "operations", "personnel", "facilities", "management")
ITEM_KINDS = ("licence", "filing")
LEVELS = ("district", "city")
REVIEW_BODIES = ("district_government", "city_government", "superior_authority")
QUESTION_TYPES = ("single", "multiple", "number", "boolean")
FORM_MODES = ("one_form", "joint_submission")
ONLINE_DEPTHS = ("full_online", "partly_online", "window_only")
VALIDATION_KEYS = ("min", "max", "max_length", "pattern", "in_district", "choices")
# The base block every catalogue defines: the enterprise as a certificate's face shows it.
IDENTITY_ELEMENTS = {
    "enterprise_name": "text",
    "uscc": "uscc",
    "legal_representative": "text",
    "legal_rep_id_number": "id_number",
    "contact_phone": "phone",
    "premises_address": "address",
}

# key → (required, default) for every kind of entry; the order is the order written back.
TOP = (
    "catalogue",
    "steps",
    "remedies",
    "parameters",
    "materials",
    "elements",
    "items",
    "industries",
)
SPECS: dict[str, dict[str, tuple[bool, Any]]] = {
    "catalogue": {
        "code": (True, None),
        "title": (True, None),
        "valid_from": (True, None),
        "valid_until": (False, None),
        "source": (False, "assumed"),
    },
    "step": {"title": (True, None), "text": (True, None)},
    "remedies": {
        "review_days": (True, None),
        "litigation_months": (True, None),
        "litigation_after_review_days": (True, None),
        "sources": (False, {}),
    },
    "parameter": {
        "code": (True, None),
        "label": (True, None),
        "value": (True, None),
        "unit": (False, ""),
        "districts": (False, {}),
        "sources": (False, {}),
    },
    "material": {
        "code": (True, None),
        "name": (True, None),
        "form": (True, None),
        "note": (False, ""),
        "sources": (False, {}),
    },
    "element": {
        "code": (True, None),
        "label": (True, None),
        "type": (True, None),
        "section": (True, None),
        "unit": (False, ""),
        "validation": (False, {}),
        "help": (False, ""),
        "sources": (False, {}),
    },
    "item": {
        "code": (True, None),
        "name": (True, None),
        "national_code": (False, ""),
        "kind": (True, None),
        "department": (True, None),
        "level": (True, None),
        "legal_basis": (True, None),
        "conditions": (False, ""),
        "statutory_limit_days": (True, None),
        "promised_limit_days": (True, None),
        "max_extension_days": (False, 0),
        "fee": (False, "不收费"),
        "permit": (False, None),
        "commitment": (False, None),
        "onsite_check": (False, False),
        "review_body": (True, None),
        "review_body_name": (False, ""),
        "materials": (False, []),
        "elements": (False, []),
        "sources": (False, {}),
    },
    "permit": {"name": (True, None), "validity_months": (False, None)},
    "commitment": {"verification_days": (True, None), "text": (True, None)},
    "item_material": {
        "code": (True, None),
        "required": (False, True),
        "deferrable": (False, False),
        "when": (False, None),
        "condition": (False, ""),
    },
    "item_element": {"code": (True, None), "required": (False, True), "when": (False, None)},
    "industry": {
        "code": (True, None),
        "name": (True, None),
        "category": (True, None),
        "aliases": (False, []),
        "keywords": (False, []),
        "lead_department": (True, None),
        "scope": (True, None),
        "form_mode": (False, "one_form"),
        "online_depth": (False, "full_online"),
        "questions": (False, []),
        "items": (True, None),
        "sources": (False, {}),
    },
    "question": {
        "code": (True, None),
        "text": (True, None),
        "type": (True, None),
        "help": (False, ""),
        "unit": (False, ""),
        "min": (False, None),
        "max": (False, None),
        "options": (False, []),
        "show_when": (False, None),
        "fills": (False, None),
    },
    "option": {"code": (True, None), "label": (True, None)},
    "industry_item": {"item": (True, None), "when": (False, None), "condition": (False, "")},
}
ALWAYS_WRITTEN = {
    "aliases",
    "keywords",
    "questions",
    "items",
    "form",
    "fee",
    "onsite_check",
    "source",
    "valid_until",
    "form_mode",
    "online_depth",
}
