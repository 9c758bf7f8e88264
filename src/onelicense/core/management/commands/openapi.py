"""Write the committed OpenAPI document, or check that it is current (CI runs `--check`).

The document is written deterministically (sorted keys, two-space indent, UTF-8 as is, one
trailing newline) so that a change to the API shows as a small, readable diff in review.
"""

import difflib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from ninja.responses import NinjaJSONEncoder

DEFAULT_PATH = Path(settings.BASE_DIR).parent.parent / "docs" / "openapi.json"
_DIFF_LINES = 40


def openapi_document() -> str:
    """The API's OpenAPI document as the exact text to commit."""
    from onelicense.api import api  # the project's API, not a dependency of core's models

    schema = api.get_openapi_schema()
    text = json.dumps(schema, cls=NinjaJSONEncoder, sort_keys=True, indent=2, ensure_ascii=False)
    return text + "\n"


class Command(BaseCommand):
    help = "Write docs/openapi.json from the API, or with --check fail when it is out of date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero when the committed document differs.",
        )
        parser.add_argument(
            "--output", type=Path, default=DEFAULT_PATH, help=f"Default: {DEFAULT_PATH}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"]
        document = openapi_document()
        if options["check"]:
            self._check(path, document)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")

    def _check(self, path: Path, document: str) -> None:
        if not path.exists():
            raise CommandError(f"{path} does not exist; run `python manage.py openapi`.")
        committed = path.read_text(encoding="utf-8")
        if committed == document:
            self.stdout.write(f"{path} is up to date.")
            return
        diff = list(
            difflib.unified_diff(
                committed.splitlines(),
                document.splitlines(),
                fromfile=f"{path} (committed)",
                tofile="generated from the API",
                lineterm="",
            )
        )
        shown = "\n".join(diff[:_DIFF_LINES])
        more = f"\n… {len(diff) - _DIFF_LINES} more diff lines" if len(diff) > _DIFF_LINES else ""
        raise CommandError(
            f"{path} is out of date with the API; run `python manage.py openapi` "
            f"and commit the result.\n{shown}{more}"
        )
