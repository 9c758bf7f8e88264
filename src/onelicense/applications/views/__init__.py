"""The applicant's pages (一网通办): start, the task list, the questions, the one form, the
materials, route and commitment, check and submit, the confirmation, my applications, the
status page with its timeline, and withdrawal.

Each view fetches through one access helper, validates with a form, calls one service and
renders, following the GOV.UK patterns that DESIGN.md names: task list, error summary linking to
each field, check your answers, confirmation page. Window clerks use the same pages to file or
complete an application for an applicant (application_for_editing lets them).
"""

from onelicense.applications.views.start import application_list, start
from onelicense.applications.views.status import detail
from onelicense.applications.views.steps import (
    commitments,
    material_delete,
    material_download,
    materials,
    one_form,
    questions,
    questions_preview,
)
from onelicense.applications.views.submission import check, confirmation, submit, withdraw

__all__ = [
    "application_list",
    "check",
    "commitments",
    "confirmation",
    "detail",
    "material_delete",
    "material_download",
    "materials",
    "one_form",
    "questions",
    "questions_preview",
    "start",
    "submit",
    "withdraw",
]
