"""`onelicense catalogue figures` and `onelicense bench`, run as a person runs them.

The restaurant's figures in the small fixture are computed by hand in
src/onelicense/catalogue/tests/test_api.py: 3 items; materials 9 → 5; fields 13 → 6;
53 statutory days → 10 promised.
"""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "src/onelicense/catalogue/tests/fixtures/small.yaml"


def onelicense(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONELICENSE_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)  # the embedded default, whatever the suite runs on
    return subprocess.run(
        [sys.executable, "-m", "onelicense", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _cells(line: str) -> list[str]:
    """A table row split on its column gaps (two spaces or more)."""
    return re.split(r"\s{2,}", line.strip())


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("small")
    imported = onelicense("catalogue", "import", str(SMALL), "--publish", data_dir=data_dir)
    assert imported.returncode == 0, imported.stderr
    return data_dir


class TestFigures:
    def test_prints_one_aligned_line_per_industry_and_a_total(self, small):
        result = onelicense("catalogue", "figures", data_dir=small)

        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == "目录版本 test-small（测试目录）各行业改革成效"
        header = lines[1]
        assert _cells(header) == [
            "代码",
            "名称",
            "事项",
            "材料 分别→合并",
            "填报项 分别→合并",
            "工作日 法定合计→承诺",
        ]
        rows = {_cells(line)[0]: _cells(line) for line in lines[3:] if not line.startswith("-")}
        assert rows["restaurant"] == ["restaurant", "餐饮店", "3", "9 → 5", "13 → 6", "53 → 10"]
        assert rows["coffee_shop"] == [
            "coffee_shop",
            "咖啡店/茶馆",
            "1",
            "4 → 4",
            "5 → 5",
            "20 → 10",
        ]
        assert rows["合计（2 个行业）"] == ["合计（2 个行业）", "4", "13 → 9", "18 → 11", "73 → 20"]

    def test_the_columns_line_up(self, small):
        lines = onelicense("catalogue", "figures", data_dir=small).stdout.splitlines()[1:]

        # Right-aligned numbers end in the same terminal column (a CJK character is two wide).
        def width(text: str) -> int:
            return sum(2 if "\u4e00" <= ch <= "\u9fff" or ch in "（）" else 1 for ch in text)

        assert len({width(line) for line in lines if not line.startswith("-")}) == 1

    def test_a_version_is_chosen_by_its_code(self, small):
        result = onelicense("catalogue", "figures", "--version", "test-small", data_dir=small)

        assert result.returncode == 0, result.stderr
        assert "restaurant" in result.stdout

    def test_an_unknown_version_is_named(self, small):
        result = onelicense("catalogue", "figures", "--version", "nope", data_dir=small)

        assert result.returncode == 2
        assert "目录版本“nope”不存在" in result.stderr

    def test_without_a_catalogue_it_says_so_and_creates_nothing(self, tmp_path):
        result = onelicense("catalogue", "figures", data_dir=tmp_path)

        assert result.returncode == 2
        assert "暂无已发布的行业目录" in result.stderr
        assert "onelicense catalogue import" in result.stderr
        assert result.stdout == ""
        database = tmp_path / "onelicense.sqlite3"
        tables = sqlite3.connect(database).execute("select name from sqlite_master").fetchall()
        assert tables == []  # nothing migrated


class TestBench:
    def test_the_plan_benchmark_prints_its_figures(self, tmp_path):
        result = onelicense(
            "bench", "plan", "--industries", "restaurant", "--n", "20", data_dir=tmp_path
        )

        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "== 基准 plan：" in out
        assert "beijing-2023" in out
        row = next(line for line in out.splitlines() if line.startswith("restaurant"))
        assert len(_cells(row)) == 10  # code, name, p50 p95 max share for each of two paths
        assert re.search(r"服务层：总体 p95 [\d.]+ ms", out)
        assert re.search(r"HTTP：总体 p95 [\d.]+ ms", out)
        # A throwaway database: nothing is left in the data folder given.
        assert not (tmp_path / "onelicense.sqlite3").exists()

    def test_an_unknown_industry_is_named(self, tmp_path):
        result = onelicense(
            "bench", "plan", "--industries", "spaceport", "--n", "1", data_dir=tmp_path
        )

        assert result.returncode == 2
        assert "spaceport" in result.stderr

    def test_an_unknown_benchmark_is_refused(self, tmp_path):
        result = onelicense("bench", "nope", data_dir=tmp_path)

        assert result.returncode == 2
        assert "plan" in result.stderr
