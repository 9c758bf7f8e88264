"""Steps that later apps add to an earlier app's use case, named in settings.

Acceptance at the window opens the departments' cases (approvals), and an approval issues the
permit (licences); the earlier app cannot import the later one, so the steps are listed by
dotted path — like middleware — and run in the same transaction, in order.
"""

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


def pipeline_run(name: str, **kwargs: Any) -> None:
    for path in getattr(settings, name):
        import_string(path)(**kwargs)
