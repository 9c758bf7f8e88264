"""The serving and offline benchmarks run end to end on a tiny SQLite batch and print their
lines (timings are never asserted: this machine's are not production's)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum.cn import uscc
from stdnum.iso7064 import mod_37_36

from onelicense.benchmarks import BENCHMARKS, bulk


def bench(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "ONELICENSE_DATA_DIR": str(data_dir), **env}
    environ.pop("DATABASE_URL", None)  # the throwaway SQLite database, whatever the suite uses
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "onelicense", "bench", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_benchmarks_are_registered():
    assert {"verify", "offline"} <= set(BENCHMARKS)


def test_verify_serves_the_three_paths_under_load_and_prints_the_ratios(tmp_path):
    done = bench(
        "verify",
        "--n",
        "40",
        data_dir=tmp_path,
        ONELICENSE_BENCH_SECONDS="1",
        ONELICENSE_BENCH_WARMUP_SECONDS="0.5",
        ONELICENSE_BENCH_CLIENTS="4",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "生成数据：40 张凭证、160 个单项证件" in out and "sqlite 上只生成少量数据" in out
    for label in ("(a) 对照", "(b) 接口", "(c) 页面"):
        assert label in out
    assert out.count("吞吐量为对照的") == 2 and "p99" in out


def test_verify_runs_with_the_python_load_generator_too(tmp_path):
    done = bench(
        "verify",
        "--n",
        "20",
        data_dir=tmp_path,
        ONELICENSE_BENCH_SECONDS="1",
        ONELICENSE_BENCH_WARMUP_SECONDS="0",
        ONELICENSE_BENCH_CLIENTS="2",
        ONELICENSE_BENCH_LOADGEN="python",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "改用 Python 压测客户端" in done.stdout and "(c) 页面" in done.stdout


def test_offline_prints_the_rate_and_the_whole_check(tmp_path):
    done = bench("offline", "--n", "60", data_dir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "token_read + Es256Verifier：最好" in done.stdout
    assert "目标 ≥ 5,000 个/s" in done.stdout and "整个 verify_offline" in done.stdout


@pytest.mark.parametrize("j", [0, 1, 7, 999, 1000, 54_321, 999_999])
def test_the_fast_check_characters_are_the_librarys(j):
    """bulk.py computes the USCC and GB/T 36904 check characters from a kept prefix state."""
    prefix = "91110105MA3"
    state = bulk._uscc_sum(prefix)
    code = bulk._uscc(_PlaceStub(prefix, state), j)  # type: ignore[arg-type]
    assert code[-1] == uscc.calc_check_digit(code[:-1])
    text = f"11110000MB0000000U001{'11110105MB0110105X'}1101052024{j:06d}001"
    kept = bulk._mod37_36("11110000MB0000000U00111110105MB0110105X1101052024")
    tail = f"{j:06d}001"
    assert bulk._mod37_36_char(bulk._mod37_36(tail, kept)) == mod_37_36.calc_check_digit(text)


class _PlaceStub:
    def __init__(self, prefix: str, total: int) -> None:
        self.uscc_prefix, self.uscc_sum = prefix, total
