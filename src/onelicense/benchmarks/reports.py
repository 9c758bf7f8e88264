"""Reports on a year of history: the figures' refresh and every report page, export and API.

On N applications of generated history (`onelicense.history`: 1,000,000 on PostgreSQL unless
`--n` says otherwise, 3,000 on SQLite; generated once per N and `--seed`, then reused), the
benchmark opens every industry in every district where none is open yet, runs
`reports.services.figures_refresh` over the whole history (timed; unless a refresh ran today
and the rollup's totals still equal the source tables' counts, when it reuses the figures and
says so), then requests each report page in-process with Django's test client — the
dashboard, the page of each dimension (districts, industries, departments), the reform and
rollout pages, the CSV and XLSX exports, and the API (`/api/v1/reports/...`) — as the city
admin and as a district admin (朝阳区), after one warm-up request each, ONELICENSE_BENCH_ROUNDS
times (5 by default). Printed per page and persona: median, p95 and max in ms, the queries of
one request, the answer's status, and whether the slowest stays within the 1 s target. Figures
only: nothing is asserted.
"""

import argparse
import datetime
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import connection
from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from onelicense.accounts.models import District, User
from onelicense.applications.models import Application
from onelicense.approvals.models import ItemCase
from onelicense.benchmarks import bulk
from onelicense.benchmarks.table import Layout
from onelicense.catalogue.models import DistrictOffering, Industry
from onelicense.catalogue.selectors import version_current
from onelicense.catalogue.services import offerings_open
from onelicense.history import history_find, history_generate
from onelicense.licences.models import Certificate

TITLE = "reports：统计报表（汇总刷新，各页面、导出与接口）在一年历史数据上的响应时间"
TARGET_MS = 1000.0
CLI_DEFAULT_N = 200  # `onelicense bench`'s --n default: not a size anyone asked for here
POSTGRES_N = 1_000_000
SQLITE_N = 3_000
LIVE_FROM = datetime.date(2023, 11, 30)
DISTRICT = "110105"  # the district admin's: 朝阳区, the busiest


@dataclass(frozen=True)
class Page:
    label: str
    path: str


PAGES = (
    Page("看板 /reports/", "/reports/"),
    Page("按区 /reports/districts/", "/reports/districts/"),
    Page("按行业 /reports/industries/", "/reports/industries/"),
    Page("按部门 /reports/departments/", "/reports/departments/"),
    Page("改革成效 /reports/reform/", "/reports/reform/"),
    Page("推进情况 /reports/rollout/", "/reports/rollout/"),
    Page("导出 districts.csv", "/reports/districts.csv"),
    Page("导出 industries.xlsx", "/reports/industries.xlsx"),
    Page("导出 departments.xlsx", "/reports/departments.xlsx"),
    Page("接口 reports/districts", "/api/v1/reports/districts"),
    Page("接口 reports/industries", "/api/v1/reports/industries"),
    Page("接口 reports/departments", "/api/v1/reports/departments"),
    Page("接口 reports/rollout", "/api/v1/reports/rollout"),
    Page("接口 reports/reform", "/api/v1/reports/reform"),
)


@dataclass(frozen=True)
class Timing:
    samples: list[float]  # ms
    queries: int
    status: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def run(options: argparse.Namespace, out: TextIO) -> None:
    rounds = max(1, int(os.getenv("ONELICENSE_BENCH_ROUNDS", "") or 5))
    n = _size(options, out)
    out.write(f"数据库：{bulk.database_label()}\n")
    opened = _offerings_ensure()
    if opened:
        out.write(f"为各区开通行业 {opened} 项（所用数据库中尚无开通记录）\n")
    first = history_find(applications=n, seed=options.seed)
    if first is None:
        history_generate(applications=n, seed=options.seed, out=out)
    else:
        out.write(f"沿用已生成的历史数据：{n:,} 件申请（随机种子 {options.seed}）\n")
    out.flush()
    covered = first is not None and _rollup_covers_sources()
    if covered:
        out.write(
            f"沿用已有汇总（{covered}）：其收件、单项审批办结、凭证件数与源表一致，不重新全量刷新\n"
        )
    else:
        _refresh_whole(out)
    out.write(f"每个页面先预热 1 次，再计时 {rounds} 次；目标：每次 ≤ {TARGET_MS / 1000:g} s\n\n")
    layout = Layout([30, 8, 8, 8, 8, 6, 5, 6], "<<>>>>>>")
    header = ["页面", "身份", "中位 ms", "p95 ms", "最大 ms", "查询", "状态", "≤1s"]
    out.write(f"{layout.line(header)}\n{layout.rule()}\n")
    results: list[tuple[Page, str, Timing]] = []
    for persona, user in _personas():
        client = Client()
        client.force_login(user)
        for page in PAGES:
            timing = _measure(client, page.path, rounds)
            results.append((page, persona, timing))
            out.write(layout.line(_cells(page, persona, timing)) + "\n")
            out.flush()
    out.write(layout.rule() + "\n")
    _verdict(out, results)


def _size(options: argparse.Namespace, out: TextIO) -> int:
    explicit = options.n != CLI_DEFAULT_N
    if bulk.is_postgres():
        return options.n if explicit else POSTGRES_N
    n = options.n if explicit else SQLITE_N
    out.write(
        f"（{connection.vendor} 上只生成少量数据：{n:,} 件申请；"
        "百万级数据请设置 DATABASE_URL 使用 PostgreSQL）\n"
    )
    return n


def _offerings_ensure() -> int:
    """Every industry live in every district, as the demo opens them, when none is open."""
    if DistrictOffering.objects.exists():
        return 0
    codes = list(Industry.objects.filter(version=version_current()).values_list("code", flat=True))
    return offerings_open(
        districts=District.objects.all(), industry_codes=codes, live_from=LIVE_FROM
    )


def _refresh_function() -> Callable[[], Any]:
    from onelicense.reports import services

    refresh = getattr(services, "figures_refresh", None)
    if refresh is None:
        raise ValueError("reports.services.figures_refresh 尚不存在")

    def whole_history() -> Any:
        return refresh(today=timezone.localdate())

    return whole_history


def _refresh_whole(out: TextIO) -> None:
    refresh = _refresh_function()
    start = time.perf_counter()
    result = refresh()
    seconds = time.perf_counter() - start
    rows = getattr(result, "rows", None)
    written = f"，写入 {rows:,} 行" if isinstance(rows, int) else ""
    out.write(f"汇总刷新 figures_refresh（全部历史）：{seconds:.1f} s{written}\n")


def _rollup_covers_sources() -> str:
    """When the figures were last refreshed, if that reached today and the rollup's totals
    (applications received, cases decided, certificates issued or reissued) equal the source
    tables' counts — rows loaded since, whatever their dates, change a count. Empty when the
    figures must be refreshed."""
    from onelicense.reports.models import Figure, Grain, Refresh

    last = Refresh.objects.order_by("-finished_at", "-id").first()
    if last is None or last.until < timezone.localdate():
        return ""
    totals = Figure.objects.filter(grain=Grain.MONTH).aggregate(
        received=Sum("received"),
        cases=Sum("cases_decided"),
        certificates=Sum(F("certificates_issued") + F("certificates_reissued")),
    )
    sources = {
        "received": Application.objects.filter(submitted_at__isnull=False).count(),
        "cases": ItemCase.objects.filter(status__in=ItemCase.DECIDED).count(),
        "certificates": Certificate.objects.count(),
    }
    if any((totals[name] or 0) != count for name, count in sources.items()):
        return ""
    return f"{timezone.localtime(last.finished_at):%Y-%m-%d %H:%M} 刷新"


def _personas() -> list[tuple[str, User]]:
    district = District.objects.filter(code=DISTRICT).first() or District.objects.first()
    assert district is not None
    city, _ = User.objects.get_or_create(
        username="bench_reports_city", defaults={"role": User.Role.CITY_ADMIN}
    )
    admin, _ = User.objects.get_or_create(
        username=f"bench_reports_{district.code}",
        defaults={"role": User.Role.DISTRICT_ADMIN, "district": district},
    )
    return [("市级", city), (f"{district.name}", admin)]


def _measure(client: Client, path: str, rounds: int) -> Timing:
    queries = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        answer = client.get(path)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            b"".join(getattr(response, "streaming_content", []))
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(samples, queries[0], answer.status_code)


def _cells(page: Page, persona: str, timing: Timing) -> list[str]:
    worst = max(timing.samples)
    return [
        page.label,
        persona,
        f"{timing.percentile(0.5):,.0f}",
        f"{timing.percentile(0.95):,.0f}",
        f"{worst:,.0f}",
        str(timing.queries),
        str(timing.status),
        "是" if worst <= TARGET_MS else "否",
    ]


def _verdict(out: TextIO, results: list[tuple[Page, str, Timing]]) -> None:
    slow = [(page, persona, t) for page, persona, t in results if max(t.samples) > TARGET_MS]
    failed = [(page, persona, t) for page, persona, t in results if t.status >= 400]
    if slow:
        names = "；".join(
            f"{p.label}（{who}，最大 {max(t.samples):,.0f} ms）" for p, who, t in slow
        )
        out.write(f"超过 {TARGET_MS / 1000:g} s 的：{names}\n")
    else:
        out.write(f"全部 {len(results)} 项在 {TARGET_MS / 1000:g} s 以内\n")
    if failed:
        names = "；".join(f"{p.label}（{who}，HTTP {t.status}）" for p, who, t in failed)
        out.write(f"注意：这些请求未得到正常回答：{names}\n")
