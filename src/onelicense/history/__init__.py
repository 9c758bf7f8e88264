"""Generated history: a year of applications across the districts, written straight as rows.

`history_generate(applications=N, seed=S)` writes N applications submitted over the 365 days
before today — in every district, for the industries live there (`DistrictOffering`), more in
the large districts, for the common industries, on working days and in the later months — with
what followed each of them up to now, as the services would have written it:

- the enterprise (市场主体, a USCC with its check character), the application (online by one of
  the history's applicant accounts or at the window by the district's clerk with the consent
  noted), its number from the district's daily counter, the answers of one of a few realistic
  answer sets per industry and the items the plan gives for them (`ApplicationItem`, with the
  告知承诺 route for half the items that allow it, and the signed `Commitment`);
- its fate: still waiting for acceptance (the last few days), 不予受理 at the window, withdrawn
  before acceptance, or accepted — then one `ItemCase` per item at the department
  `approvals.services._department_for` would choose, started on the day of acceptance, with the
  item's promised and statutory limits, due dates counted in working days (the calendar of
  `core.calendar`), most decided within the promised time, some late, a few never (open and
  overdue); one 补正 round on some (`CaseAction` correction and corrected, the paused working
  days added to the due dates; an open one `correction` with its start); 准予许可 mostly, a few
  不予许可; commitment items approved on acceptance with their `Verification` (pending, confirmed,
  ordered to rectify, or revoked);
- for every approved case its `Permit` (the next index of its department's status list; a few
  暂扣), and once every case is decided the application 已办结 with a `Certificate` listing its
  items (licensed or not) through `CertificateEntry` rows: see `history.certificates`.

Left out: drafts, withdrawals after acceptance, suspensions and extensions, the claim, approve
and refuse `CaseAction` rows (the case row holds the decision), material files and deferrals,
events, notifications and the outbox, permit events, certificate PDFs, e-licence library and
archive records. QR tokens are signed for every certificate up to SIGN_ALL applications and for
a sample of SIGN_SAMPLE beyond. ECDSA signatures are randomised, so tokens differ from run to
run; every other value is the same for the same seed on the same starting database.

On PostgreSQL the rows go in with COPY and the secondary indexes are rebuilt after a large load
(`benchmarks.bulk`'s machinery); elsewhere (SQLite) with batched INSERTs. A marker row
(SerialCounter ``history:<n>:<seed>``, `last` = the first application id) records the batch so
that the reports benchmark reuses it.
"""

import datetime
import random
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone

from onelicense.accounts.models import District
from onelicense.applications.models import ApplicationCounter
from onelicense.benchmarks import bulk
from onelicense.history.certificates import CertificateMaker
from onelicense.history.rows import Generator, Ids
from onelicense.history.tables import TABLES, check_columns
from onelicense.history.world import World
from onelicense.licences.identifiers import CITY_LIST
from onelicense.licences.models import SerialCounter

MARKER = "history:"
DAYS = 365
CHUNK = 5_000  # applications generated, then written, at a time
SIGN_ALL = 50_000
SIGN_SAMPLE = 20_000
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class HistorySummary:
    applications: int
    seed: int
    first_id: int  # the first application's id
    statuses: dict[str, int]
    rows: dict[str, int]  # table → rows written
    tokens: int  # certificates given a QR token
    seconds: float
    generated: bool = True
    timings: dict[str, float] = field(default_factory=dict)  # phase → seconds


def marker_code(applications: int, seed: int) -> str:
    return f"{MARKER}{applications}:{seed}"


def history_find(*, applications: int, seed: int) -> int | None:
    """The first application id of a batch generated earlier with these arguments, if any."""
    marker = SerialCounter.objects.filter(code=marker_code(applications, seed)).first()
    return marker.last if marker else None


def _now(today: datetime.date | None) -> datetime.datetime:
    now = timezone.now()
    if today is None or today >= timezone.localdate(now):
        return now
    return datetime.datetime.combine(today, datetime.time(17, 30), tzinfo=BEIJING)


def history_generate(
    *, applications: int, seed: int, today: datetime.date | None = None, out: TextIO
) -> HistorySummary:
    """Write `applications` applications of generated history ending `today` (default: now)."""
    if applications < 1:
        raise ValueError("applications must be positive")
    check_columns()
    started = time.perf_counter()
    now = _now(today)
    last_day = now.astimezone(BEIJING).date()
    first_day = last_day - datetime.timedelta(days=DAYS - 1)
    out.write(f"生成历史数据：{applications:,} 件申请，随机种子 {seed}（{connection.vendor}）……\n")
    out.flush()
    timings: defaultdict[str, float] = defaultdict(float)
    with transaction.atomic():
        batch = SerialCounter.objects.filter(code__startswith=MARKER).count()
        if batch > 9:
            raise ValueError("已有 10 批历史数据：请换一个新的数据库")
        indexes: list[tuple[str, str]] = []
        tables = list(TABLES.values())
        if bulk.is_postgres():
            bulk._fast_load_session()
            if applications >= bulk.INDEX_REBUILD_FROM:
                indexes = bulk._secondary_indexes_drop(tables)
        step = time.perf_counter()
        world = World(seed=seed, start=first_day, today=last_day)
        ids = Ids({name: bulk._next_id(table[0]) for name, table in TABLES.items()})
        first_id = ids.next["application"]
        lists = [d.code for d in District.objects.all()] + [CITY_LIST]
        years = range(first_day.year, last_day.year + 1)
        maker = CertificateMaker(
            world=world,
            ids=ids,
            sign_every=1 if applications <= SIGN_ALL else applications // SIGN_SAMPLE,
            status_last={code: bulk._counter(f"status:{code}").last for code in lists},
            serial_last={
                (d.code, y): bulk._counter(f"certificate:{d.code}:{y}").last
                for d in world.districts
                for y in years
            },
        )
        generator = Generator(world, random.Random(seed), now, ids, maker, batch)
        counters = {
            (c.district_id, c.day): c
            for c in ApplicationCounter.objects.select_for_update().filter(
                day__range=(first_day, last_day)
            )
        }
        generator.serials = {key: c.last for key, c in counters.items()}
        arrivals = generator.arrivals(applications, first_day)
        timings["准备"] = time.perf_counter() - step
        written: Counter[str] = Counter()
        for k, arrival in enumerate(arrivals, 1):
            step = time.perf_counter()
            generator.application(*arrival)
            timings["生成"] += time.perf_counter() - step
            if k % CHUNK == 0 or k == len(arrivals):
                _flush(generator, written, timings)
                if applications >= 100_000 and k % (20 * CHUNK) == 0:
                    elapsed = time.perf_counter() - started
                    out.write(f"  {k:>10,} 件  {elapsed:6.0f} s\n")
                    out.flush()
        step = time.perf_counter()
        if indexes:
            bulk._indexes_create(indexes)
            timings[f"重建 {len(indexes)} 个二级索引"] = time.perf_counter() - step
        _counters_move(generator, maker, counters)
        bulk._reset_sequences(tables)
        SerialCounter.objects.create(code=marker_code(applications, seed), last=first_id)
    if bulk.is_postgres():
        step = time.perf_counter()
        bulk._vacuum(tables)
        timings["VACUUM ANALYZE"] = time.perf_counter() - step
    summary = HistorySummary(
        applications=applications,
        seed=seed,
        first_id=first_id,
        statuses=dict(generator.statuses),
        rows=dict(written),
        tokens=maker.signed,
        seconds=time.perf_counter() - started,
        timings=dict(timings),
    )
    _report(summary, out)
    return summary


def _flush(generator: Generator, written: Counter[str], timings: defaultdict[str, float]) -> None:
    for name, table in TABLES.items():
        rows = generator.rows.pop(name, [])
        if rows:
            step = time.perf_counter()
            written[name] += bulk._write(table, iter(rows))
            timings[f"写入 {table[0]._meta.db_table}"] += time.perf_counter() - step


def _counters_move(
    generator: Generator,
    maker: CertificateMaker,
    counters: dict[tuple[int, datetime.date], ApplicationCounter],
) -> None:
    """Move every counter the history drew from past what it used."""
    for code, last in maker.status_last.items():
        SerialCounter.objects.filter(code=f"status:{code}").update(last=last)
    for (district, year), last in maker.serial_last.items():
        SerialCounter.objects.filter(code=f"certificate:{district}:{year}").update(last=last)
    new = []
    for (district_id, day), last in generator.serials.items():
        counter = counters.get((district_id, day))
        if counter is None:
            new.append(ApplicationCounter(district_id=district_id, day=day, last=last))
        elif counter.last != last:
            ApplicationCounter.objects.filter(pk=counter.pk).update(last=last)
    ApplicationCounter.objects.bulk_create(new, batch_size=2000)


def _report(summary: HistorySummary, out: TextIO) -> None:
    statuses = "，".join(f"{k} {v:,}" for k, v in sorted(summary.statuses.items()))
    out.write(f"  申请状态：{statuses}\n")
    for name, count in summary.rows.items():
        out.write(f"  {TABLES[name][0]._meta.db_table:<30} {count:>10,} 行\n")
    for phase, seconds in summary.timings.items():
        out.write(f"  {phase}：{seconds:.1f} s\n")
    out.write(f"  带二维码令牌的凭证 {summary.tokens:,} 张；共用 {summary.seconds:.1f} s\n")
    out.flush()
