"""The embedded demo: catalogue, district offerings and people, loaded once and reused."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from onelicense.accounts.models import District
from onelicense.accounts.services import DemoLogin, demo_accounts_ensure
from onelicense.catalogue.models import CatalogueVersion, Industry
from onelicense.catalogue.services import catalogue_import, offerings_open

# The reform went live across the city at the end of November 2023 (京政办发〔2023〕5号).
LIVE_FROM = datetime.date(2023, 11, 30)
# Rolled out batch by batch (成熟一批，上线一批): a few industries not yet live in some districts,
# so that the portal shows how that reads.
NOT_YET_LIVE = {
    "110400": {"rural_homestay", "gas_station"},
    "110101": {"rural_homestay", "vehicle_repair"},
    "110102": {"rural_homestay"},
}


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
    codes = list(Industry.objects.filter(version=version).values_list("code", flat=True))
    for district in District.objects.all():
        live = [code for code in codes if code not in NOT_YET_LIVE.get(district.code, set())]
        offerings_open(districts=[district], industry_codes=live, live_from=LIVE_FROM)
    return DemoSummary(
        data_dir=Path(settings.DATA_DIR),
        catalogue=version.title,
        industries=len(codes),
        logins=demo_accounts_ensure(),
    )
