"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live
server, with the shipped Beijing catalogue and the personas of `onelicense/conftest.py`."""

import os
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

from onelicense.conftest import (  # noqa: F401 (fixtures shared with the apps' tests)
    applicant,
    beijing_catalogue,
    clerk,
    other_clerk,
)

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls
# from a thread with a running loop unless told that these synchronous calls are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests, and run them after every other database test: a live server
    needs a transactional test, whose flush empties the tables that migrations filled.
    (pytest-django orders them so, but pytest regroups items around pytest-playwright's
    session-scoped `browser_name` parameter afterwards.)"""
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.path)).parents]
    if ours and not CHROMIUM.exists():
        # A missing browser is a broken set-up, not a reason to pass: say how to mend it.
        raise pytest.UsageError(
            f"{CHROMIUM} is missing: run scripts/system-deps.sh --test (or deselect -m browser)"
        )
    for item in ours:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if item not in ours] + ours


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded materials go to the test's own folder, not the demo's data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def places(transactional_db: None) -> None:
    """Districts and departments as the data migration makes them, in case a transactional
    test before this one flushed them (serialized_rollback restores them, where it runs)."""
    from django.apps import apps

    from onelicense.accounts.models import DepartmentKind

    if not DepartmentKind.objects.exists():
        import_module("onelicense.accounts.migrations.0002_places").load_places(apps, None)
