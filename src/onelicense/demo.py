"""The embedded demo: catalogue, district offerings, people and a year of history, loaded once
and reused."""

import datetime
import io
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from onelicense.accounts.models import District, User
from onelicense.accounts.services import DemoLogin, demo_accounts_ensure, inspectors_ensure
from onelicense.applications.samples import sample_person
from onelicense.catalogue.models import CatalogueVersion, Industry
from onelicense.catalogue.services import catalogue_import, offerings_open
from onelicense.history import history_find, history_generate
from onelicense.licences.selectors import holders_in_district
from onelicense.reports.models import WorkPlanFiling
from onelicense.reports.services import figures_refresh, work_plan_file
from onelicense.supervision.samples import supervision_samples
from onelicense.supervision.services import assessment_refresh

# The reform went live across the city at the end of November 2023 (京政办发〔2023〕5号).
LIVE_FROM = datetime.date(2023, 11, 30)
# Rolled out batch by batch (成熟一批，上线一批): a few industries not yet live in some districts,
# so that the portal shows how that reads.
NOT_YET_LIVE = {
    "110400": {"rural_homestay", "gas_station"},
    "110101": {"rural_homestay", "vehicle_repair"},
    "110102": {"rural_homestay"},
}
# A year of applications in every district and state, so that the workbenches and the
# dashboards show a living system; the same seed gives the same history.
HISTORY = 3000
HISTORY_SEED = 2023
SUPERVISED_DISTRICT = "110105"  # 朝阳区, where the demo inspectors work
SUPERVISED = 40
# Districts filed their work plans with the city in the spring of 2023 (demo dates and numbers);
# two have not yet, so that the rollout tracker shows how that reads.
PLANS_FILED_FROM = datetime.date(2023, 2, 20)
PLANS_NOT_FILED = {"110400", "110119"}


@dataclass(frozen=True)
class DemoSummary:
    data_dir: Path
    catalogue: str
    industries: int
    logins: list[DemoLogin]
    history: int  # applications of generated history in the database


def demo_prepare(*, catalogue_path: Path, history: int = HISTORY) -> DemoSummary:
    version = CatalogueVersion.objects.filter(status=CatalogueVersion.Status.PUBLISHED).first()
    if version is None:
        version = catalogue_import(
            text=catalogue_path.read_text("utf-8"), filename=catalogue_path.name, publish=True
        )
    codes = list(Industry.objects.filter(version=version).values_list("code", flat=True))
    for district in District.objects.all():
        live = [code for code in codes if code not in NOT_YET_LIVE.get(district.code, set())]
        offerings_open(districts=[district], industry_codes=live, live_from=LIVE_FROM)
    logins = demo_accounts_ensure()
    _work_plans_file()
    if history and history_find(applications=history, seed=HISTORY_SEED) is None:
        _history_make(history)
    return DemoSummary(
        data_dir=Path(settings.DATA_DIR),
        catalogue=version.title,
        industries=len(codes),
        logins=logins,
        history=history,
    )


def _work_plans_file() -> None:
    city = User.objects.get(username="city_admin")
    filed = set(WorkPlanFiling.objects.values_list("district_id", flat=True))
    for n, district in enumerate(District.objects.exclude(code__in=PLANS_NOT_FILED)):
        if district.pk not in filed:
            work_plan_file(
                actor=city,
                district=district,
                filed_on=PLANS_FILED_FROM + datetime.timedelta(days=3 * n),
                title=f"{district.name}“一业一证”改革实施方案",
                reference=f"{district.name[:2]}政办发〔2023〕{n + 3}号",
            )


def _history_make(applications: int) -> None:
    """The generated year, its report figures, and supervision of some of 朝阳区's holders."""
    history_generate(applications=applications, seed=HISTORY_SEED, out=io.StringIO())
    figures_refresh()
    district = District.objects.get(code=SUPERVISED_DISTRICT)
    rng = random.Random(HISTORY_SEED)
    names = [sample_person(rng) for _ in range(64)]
    inspectors_ensure(district=district, per_department=2, names=names)
    holders = list(holders_in_district(district.pk))
    supervision_samples(enterprises=holders[:SUPERVISED])
    for enterprise in holders[SUPERVISED:]:  # every holder graded, so sampling has weights
        assessment_refresh(enterprise=enterprise)
