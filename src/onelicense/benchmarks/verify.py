"""Public verification under load: the live page and the API against a one-row lookup.

On N certificates with 4N permits (bulk.py: 1,000,000 on PostgreSQL unless `--n` says
otherwise; a small N on SQLite), a real server is started in a subprocess — granian WSGI,
2 workers, 1 blocking thread each (as `onelicense serve`), DEBUG off, the verification rate
limit raised (benchmarks/settings.py) — on a free port of 127.0.0.1. Then, in the same run and
one after the other, a load generator keeps 32 connections busy for a fixed time on:

(a) `GET /bench/lookup/<number>/`: the baseline, one indexed row read answered as JSON;
(b) `GET /api/v1/verify/{token}`: the verification API;
(c) `GET /v/<token>`: the live page a phone opens from the QR code;

each request with a random one of the sampled certificates (20,000 tokens), after a warm-up.
The load generator is `wrk` (Debian's package) when installed, else a Python asyncio client
(which takes CPU from the server: prefer wrk). Printed: requests/s, p50 and p99 latency,
errors, the CPU time per request of the server, the database and the load generator, the load
average, and the targets: (b)/(a) and (c)/(a) ≥ 0.7, p99 ≤ 50 ms. Figures only: nothing is
asserted.

Settings (environment): ONELICENSE_BENCH_SECONDS (20), ONELICENSE_BENCH_WARMUP_SECONDS (5),
ONELICENSE_BENCH_CLIENTS (32), ONELICENSE_BENCH_ROUNDS (1: a, b, c measured once each),
ONELICENSE_BENCH_LOADGEN (wrk or python; default wrk when found), ONELICENSE_BENCH_APP (the
WSGI application served, default onelicense.benchmarks.wsgi:application: set it to measure a
candidate change against the same data).
"""

import argparse
import asyncio
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import connections

from onelicense.benchmarks import bulk
from onelicense.benchmarks.table import Layout

TITLE = "verify：公开核验（页面 /v/<令牌> 与接口 GET /api/v1/verify/{token}）的吞吐量与延迟"
RATIO_TARGET = 0.7
P99_TARGET_MS = 50.0
CLI_DEFAULT_N = 200  # `onelicense bench`'s --n default: not a size anyone asked for here
SAMPLE = 20_000


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    paths: list[str]


@dataclass
class Load:
    """One measured run of the load generator on one scenario."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int  # connection errors and timeouts
    bad_status: int  # 4xx and 5xx answers
    cpu: dict[str, float] = field(default_factory=dict)  # seconds: server, database, loadgen
    load_average: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def cpu_per_request_us(self, part: str) -> float:
        return 1e6 * self.cpu.get(part, 0.0) / max(1, self.requests)


def _env_number(name: str, default: float) -> float:
    text = os.getenv(name, "")
    try:
        return float(text) if text else default
    except ValueError as exc:
        raise ValueError(f"{name}={text}：应为数字") from exc


def run(options: argparse.Namespace, out: TextIO) -> None:
    seconds = _env_number("ONELICENSE_BENCH_SECONDS", 20.0)
    warmup = _env_number("ONELICENSE_BENCH_WARMUP_SECONDS", 5.0)
    clients = int(_env_number("ONELICENSE_BENCH_CLIENTS", 32))
    rounds = max(1, int(_env_number("ONELICENSE_BENCH_ROUNDS", 1)))
    n, note = bulk.batch_size(options.n, explicit=options.n != CLI_DEFAULT_N)
    out.write(f"数据库：{bulk.database_label()}{note}\n")
    batch = bulk.batch_ensure(n, out=out, sample=SAMPLE)
    sample = batch.token_sample(SAMPLE)
    if not sample:
        raise ValueError("基准数据中没有带令牌的凭证")
    numbers, tokens = [number for number, _ in sample], [token for _, token in sample]
    scenarios = [
        Scenario("a", "(a) 对照：/bench/lookup/<编号>/", [f"/bench/lookup/{c}/" for c in numbers]),
        Scenario("b", "(b) 接口：/api/v1/verify/{token}", [f"/api/v1/verify/{t}" for t in tokens]),
        Scenario("c", "(c) 页面：/v/<令牌>", [f"/v/{t}" for t in tokens]),
    ]
    tool = _loadgen()
    out.write(
        f"服务：granian WSGI，2 个进程，每进程 1 个阻塞线程，DEBUG=False；"
        f"{len(sample):,} 个令牌中随机取用\n"
        f"压测：{tool}，{clients} 个并发连接，每项预热 {warmup:g} s、计时 {seconds:g} s，"
        f"{rounds} 轮；{os.cpu_count()} 个 CPU 核，Python {platform.python_version()}；"
        f"开始前 1 分钟平均负载 {os.getloadavg()[0]:.1f}\n"
    )
    if tool != "wrk":
        out.write("注意：未找到 wrk，改用 Python 压测客户端，它与服务争用 CPU，数字偏低\n")
    out.flush()
    connections.close_all()
    results: dict[str, list[Load]] = {s.key: [] for s in scenarios}
    with (
        tempfile.TemporaryDirectory(prefix="onelicense-verify-") as folder,
        _server(Path(folder)) as server,
    ):
        _check(server, scenarios)
        layout = _layout()
        out.write(f"\n{layout.line(HEADER)}\n{layout.rule()}\n")
        for _ in range(rounds):
            for scenario in scenarios:
                paths = Path(folder) / f"{scenario.key}.txt"
                paths.write_text("\n".join(scenario.paths) + "\n", "utf-8")
                if warmup > 0:
                    _drive(tool, server, paths, clients, warmup)
                load = _drive(tool, server, paths, clients, seconds)
                results[scenario.key].append(load)
                out.write(layout.line(_cells(scenario.label, load)) + "\n")
                out.flush()
        out.write(layout.rule() + "\n")
    _verdicts(out, scenarios, results)


HEADER = ["", "请求/s", "p50 ms", "p99 ms", "平均 ms", "出错", "服务µs", "库µs", "压测µs", "负载"]


def _layout() -> Layout:
    return Layout([34, 8, 7, 7, 7, 5, 7, 6, 7, 5], "<" + ">" * 9)


def _cells(label: str, load: Load) -> list[str]:
    return [
        label,
        f"{load.rate:,.0f}",
        f"{load.p50_ms:.1f}",
        f"{load.p99_ms:.1f}",
        f"{load.mean_ms:.1f}",
        str(load.errors + load.bad_status),
        f"{load.cpu_per_request_us('server'):.0f}",
        f"{load.cpu_per_request_us('database'):.0f}",
        f"{load.cpu_per_request_us('loadgen'):.0f}",
        f"{load.load_average:.1f}",
    ]


def _verdicts(out: TextIO, scenarios: list[Scenario], results: dict[str, list[Load]]) -> None:
    out.write(
        "（服务µs、库µs、压测µs：每个请求在服务进程、数据库、压测程序上花的 CPU 时间；"
        "负载：计时结束时的 1 分钟平均负载）\n\n"
    )

    def rate(key: str) -> float:
        loads = results[key]
        return sum(x.requests for x in loads) / sum(x.seconds for x in loads)

    base = rate("a")
    for scenario in scenarios[1:]:
        ratio = rate(scenario.key) / base if base else 0.0
        p99 = max(x.p99_ms for x in results[scenario.key])
        verdict = "达到" if ratio >= RATIO_TARGET else "未达到"
        p99_verdict = "达到" if p99 <= P99_TARGET_MS else "未达到"
        out.write(
            f"{scenario.label}：吞吐量为对照的 {ratio:.2f} 倍（目标 ≥ {RATIO_TARGET}，{verdict}）；"
            f"p99 {p99:.1f} ms（目标 ≤ {P99_TARGET_MS:g} ms，{p99_verdict}）\n"
        )
    failures = sum(x.errors + x.bad_status for loads in results.values() for x in loads)
    if failures:
        out.write(f"注意：共 {failures} 个请求出错或未得到 2xx/3xx 回答\n")


# -- the server ------------------------------------------------------------------------------


@dataclass
class Server:
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server(folder: Path) -> Iterator[Server]:
    """granian on a free port with the benchmark settings, until the block ends."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onelicense.benchmarks.settings"}
    env["ONELICENSE_DATA_DIR"] = str(settings.DATA_DIR)
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        "2",
        "--blocking-threads",
        "1",
        "--no-ws",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        os.getenv("ONELICENSE_BENCH_APP", "onelicense.benchmarks.wsgi:application"),
    ]
    log = folder / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server("127.0.0.1", port, process, log)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"服务进程已退出：\n{server.log.read_text('utf-8', 'replace')}")
        try:
            with urllib.request.urlopen(f"{server.base}/verify/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise RuntimeError(f"服务 {timeout:g} s 内未就绪：\n{server.log.read_text('utf-8', 'replace')}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (granian and its workers), then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def _get(server: Server, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(server.base + path, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _check(server: Server, scenarios: list[Scenario]) -> None:
    """Each scenario answers as it should before it is measured: a valid certificate."""
    lookup, api, page = scenarios
    for i in range(min(3, len(lookup.paths))):
        status, body = _get(server, lookup.paths[i])
        if status != 200 or "identifier" not in json.loads(body):
            raise RuntimeError(f"{lookup.paths[i]}：HTTP {status} {body[:200]}")
        status, body = _get(server, api.paths[i])
        answer = json.loads(body) if status == 200 else {}
        if not answer.get("valid"):
            raise RuntimeError(f"{api.paths[i][:60]}…：HTTP {status} {body[:300]}")
        status, body = _get(server, page.paths[i])
        if status != 200 or "ol-verdict--valid" not in body:
            raise RuntimeError(f"{page.paths[i][:40]}…：HTTP {status}，页面不是“有效”")


# -- CPU accounting (Linux /proc; zeros elsewhere) ---------------------------------------------


def _cpu_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return found


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings: a process that started meanwhile counts whole (a
    database backend reconnects when its connection ages out); one that ended is lost."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process we can see."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
        except OSError:
            continue
        found.append((int(entry.name), int(stat[1]), command))
    return found


def _groups(server: Server) -> dict[str, list[int]]:
    """The server's processes (granian and its workers) and the database backends of the
    benchmark's database (PostgreSQL names each backend after its database)."""
    processes = _processes()
    server_pids = {server.process.pid}
    for pid, parent, _ in processes:
        if parent in server_pids:
            server_pids.add(pid)
    name = str(settings.DATABASES["default"].get("NAME", ""))
    database = [
        pid
        for pid, _, command in processes
        if bulk.is_postgres() and command.startswith("postgres: ") and f" {name} " in command
    ]
    return {"server": sorted(server_pids), "database": database}


# -- the load generators ----------------------------------------------------------------------


def _loadgen() -> str:
    wanted = os.getenv("ONELICENSE_BENCH_LOADGEN", "")
    if wanted not in ("", "wrk", "python"):
        raise ValueError("ONELICENSE_BENCH_LOADGEN 应为 wrk 或 python")
    if wanted == "python" or shutil.which("wrk") is None:
        return "python"
    return "wrk"


WRK_SCRIPT = """
local paths = {}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() * 1000 + number)
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %.1f %.1f %.1f %.1f\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
"""


def _drive(tool: str, server: Server, paths: Path, clients: int, seconds: float) -> Load:
    before = {part: _cpu_of(pids) for part, pids in _groups(server).items()}
    own = os.times()
    if tool == "wrk":
        load = _wrk(server, paths, clients, seconds)
        after_own = os.times()
        loadgen = (after_own.children_user + after_own.children_system) - (
            own.children_user + own.children_system
        )
    else:
        load = _python_load(server, paths, clients, seconds)
        after_own = os.times()
        loadgen = (after_own.user + after_own.system) - (own.user + own.system)
    after = {part: _cpu_of(pids) for part, pids in _groups(server).items()}
    load.cpu = {part: _cpu_used(before[part], after[part]) for part in after}
    load.cpu["loadgen"] = loadgen
    load.load_average = os.getloadavg()[0]
    return load


def _wrk(server: Server, paths: Path, clients: int, seconds: float) -> Load:
    script = paths.with_suffix(".lua")
    script.write_text(WRK_SCRIPT, "utf-8")
    duration = max(1, math.ceil(seconds))
    command = ["wrk", "-t2", f"-c{clients}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(script), server.base, "--", str(paths)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    found = re.search(r"^BENCH (.+)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"wrk 失败：{done.stdout}\n{done.stderr}")
    requests, micros, errors, bad, p50, p99, mean, top = found.group(1).split()
    return Load(
        requests=int(requests),
        seconds=int(micros) / 1e6,
        p50_ms=float(p50) / 1000,
        p99_ms=float(p99) / 1000,
        mean_ms=float(mean) / 1000,
        max_ms=float(top) / 1000,
        errors=int(errors),
        bad_status=int(bad),
    )


def _python_load(server: Server, paths: Path, clients: int, seconds: float) -> Load:
    """Keep-alive HTTP/1.1 from `clients` asyncio connections: a stand-in when wrk is missing."""
    choices = paths.read_text("utf-8").split()
    latencies: list[float] = []
    failures = {"errors": 0, "bad": 0}

    async def client(seed: int, deadline: float) -> None:
        rng = random.Random(seed)
        reader, writer = await asyncio.open_connection(server.host, server.port)
        host = f"Host: {server.host}:{server.port}\r\n"
        try:
            while time.perf_counter() < deadline:
                request = f"GET {rng.choice(choices)} HTTP/1.1\r\n{host}\r\n".encode()
                start = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                await _read_body(reader, head)
                latencies.append(time.perf_counter() - start)
                failures["bad"] += status >= 400
        except (OSError, asyncio.IncompleteReadError, ValueError):
            failures["errors"] += 1
        finally:
            writer.close()

    async def main() -> float:
        start = time.perf_counter()
        deadline = start + seconds
        await asyncio.gather(*(client(i, deadline) for i in range(clients)))
        return time.perf_counter() - start

    elapsed = asyncio.run(main())
    ordered = sorted(latencies) or [0.0]

    def percentile(p: float) -> float:
        return 1000 * ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    return Load(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(0.5),
        p99_ms=percentile(0.99),
        mean_ms=1000 * sum(ordered) / len(ordered),
        max_ms=1000 * ordered[-1],
        errors=failures["errors"],
        bad_status=failures["bad"],
    )


async def _read_body(reader: asyncio.StreamReader, head: bytes) -> None:
    headers = head.decode("latin-1").lower()
    found = re.search(r"\r\ncontent-length: *(\d+)", headers)
    if found:
        await reader.readexactly(int(found.group(1)))
        return
    if "transfer-encoding: chunked" not in headers:
        raise ValueError("response without a length")
    while True:
        size = int((await reader.readuntil(b"\r\n")).strip(), 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return
