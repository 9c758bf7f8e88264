"""The tables the history writes, each with its columns in the order the generator's rows give
them and how SQLite takes a value of each ("dt", "date", "uuid"; anything else as it is).

Enterprises, applications, certificates, permits and certificate entries are bulk.py's own
definitions; `check_columns` fails loudly when a model's columns change under either.
"""

from onelicense.applications.models import ApplicationItem, Commitment
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.benchmarks import bulk

ENTERPRISE = bulk._ENTERPRISE
APPLICATION = bulk._APPLICATION
CERTIFICATE = bulk._CERTIFICATE
PERMIT = bulk._PERMIT
ENTRY = bulk._ENTRY
ITEM: bulk.Table = (
    ApplicationItem,
    ("id", "application_id", "item_id", "route", "order"),
    (None,) * 5,
)
COMMITMENT: bulk.Table = (
    Commitment,
    ("id", "application_id", "item_id", "text", "signer_name", "signed_by_id", "signed_at"),
    (*[None] * 6, "dt"),
)
CASE: bulk.Table = (
    ItemCase,
    (
        "id",
        "application_id",
        "application_item_id",
        "item_id",
        "department_id",
        "route",
        "status",
        "assignee_id",
        "started_on",
        "limit_days",
        "statutory_days",
        "paused_days",
        "paused_since",
        "extension_days",
        "due_date",
        "statutory_due_date",
        "due_date_certain",
        "decided_at",
        "decided_by_id",
        "decision_reason",
        "legal_basis",
        "permit_number",
        "permit_valid_from",
        "permit_valid_until",
        "warned_percent",
    ),
    (
        *[None] * 8,
        "date",
        None,
        None,
        None,
        "date",
        None,
        "date",
        "date",
        None,
        "dt",
        None,
        None,
        None,
        None,
        "date",
        "date",
        None,
    ),
)
ACTION: bulk.Table = (
    CaseAction,
    ("id", "case_id", "kind", "actor_id", "approved_by_id", "created_at", "reason", "details"),
    (*[None] * 5, "dt", None, None),
)
VERIFICATION: bulk.Table = (
    Verification,
    (
        "id",
        "case_id",
        "due_date",
        "outcome",
        "rectify_by",
        "findings",
        "checked_at",
        "checked_by_id",
    ),
    (None, None, "date", None, "date", None, "dt", None),
)

# In the order they are written: a row's foreign keys point at rows of earlier tables (or of
# the same chunk, which the load's transaction defers).
TABLES: dict[str, bulk.Table] = {
    "enterprise": ENTERPRISE,
    "application": APPLICATION,
    "item": ITEM,
    "commitment": COMMITMENT,
    "case": CASE,
    "action": ACTION,
    "verification": VERIFICATION,
    "permit": PERMIT,
    "certificate": CERTIFICATE,
    "entry": ENTRY,
}


def check_columns() -> None:
    bulk._check_columns(list(TABLES.values()))
