"""The embedded demo: catalogue and people, loaded once and reused on every later run."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from onelicense.accounts.services import DemoLogin, demo_accounts_ensure
from onelicense.catalogue.models import CatalogueVersion, Industry
from onelicense.catalogue.services import catalogue_import


@dataclass(frozen=True)
class DemoSummary:
    data_dir: Path
    catalogue: str
    industries: int
    logins: list[DemoLogin]


def demo_prepare(*, catalogue_path: Path) -> DemoSummary:
    version = CatalogueVersion.objects.filter(status=CatalogueVersion.Status.PUBLISHED).first()
    if version is None:
        version = catalogue_import(
            text=catalogue_path.read_text("utf-8"), filename=catalogue_path.name, publish=True
        )
    return DemoSummary(
        data_dir=Path(settings.DATA_DIR),
        catalogue=version.title,
        industries=Industry.objects.filter(version=version).count(),
        logins=demo_accounts_ensure(),
    )
