"""`manage.py reports_refresh [--since YYYY-MM-DD]`: recompute the report figures.

Without --since every day from the first application is recomputed: run it after history has
been loaded straight into the tables.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onelicense.core.errors import DomainError
from onelicense.reports.services import figures_refresh


class Command(BaseCommand):
    help = "Recompute the report figures from the given day (default: from the first application)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: object, **options: object) -> None:
        since = options["since"]
        assert since is None or isinstance(since, datetime.date)
        try:
            refresh = figures_refresh(since=since)
        except DomainError as error:
            raise CommandError(error.message) from error
        seconds = (refresh.finished_at - refresh.started_at).total_seconds()
        self.stdout.write(
            f"统计已刷新：{refresh.since} 至 {refresh.until}，"
            f"写入 {refresh.rows} 行，用时 {seconds:.1f} 秒"
        )
