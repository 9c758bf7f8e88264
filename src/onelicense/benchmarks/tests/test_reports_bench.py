"""`onelicense bench reports` runs end to end on a small SQLite history and prints a line per
page and persona (timings are never asserted: this machine's are not production's); a rollup
refreshed today is reused while its totals match the source tables."""

import pytest

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.approvals.tests.helpers import restaurant_submitted
from onelicense.benchmarks import BENCHMARKS
from onelicense.benchmarks import reports as reports_bench
from onelicense.benchmarks.tests.test_bench_smoke import bench
from onelicense.reports.services import figures_refresh
from onelicense.reports.tests.helpers import history_build


def test_the_reports_benchmark_is_registered():
    assert BENCHMARKS["reports"] == "onelicense.benchmarks.reports"


def test_reports_generates_history_refreshes_and_times_every_page_as_both_admins(tmp_path):
    done = bench("reports", "--n", "120", data_dir=tmp_path, ONELICENSE_BENCH_ROUNDS="1")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "生成历史数据：120 件申请" in out and "sqlite 上只生成少量数据" in out
    assert "汇总刷新 figures_refresh（全部历史）" in out
    for label in ("看板 /reports/", "导出 industries.xlsx", "接口 reports/departments"):
        assert out.count(label) == 2  # the city admin, then the district admin
    assert "市级" in out and "朝阳区" in out
    assert "未得到正常回答" not in out


@pytest.mark.django_db
def test_a_rollup_refreshed_today_is_reused_until_the_source_tables_change(
    completed: Application, applicant: User, clerk: User
) -> None:
    history_build(completed, applicant, clerk)
    assert reports_bench._rollup_covers_sources() == ""  # never refreshed
    figures_refresh()
    assert "刷新" in reports_bench._rollup_covers_sources()
    restaurant_submitted(applicant, seed=9)  # one more received than the rollup counted
    assert reports_bench._rollup_covers_sources() == ""
    figures_refresh()
    assert reports_bench._rollup_covers_sources()
