"""The `onelicense` command as a person runs it: a separate process, its own data folder."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "src/onelicense/catalogue/tests/fixtures/small.yaml"


def onelicense(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONELICENSE_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)  # the embedded default, whatever the suite runs on
    env.pop("ONELICENSE_PUBLIC_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "onelicense", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_prepares_the_embedded_database_and_is_safe_to_run_twice(tmp_path: Path) -> None:
    first = onelicense("demo", "--no-serve", "--history", "300", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:8000/" in first.stdout
    assert "凭证二维码打开：http://127.0.0.1:8000/v/…" in first.stdout
    assert "40 个行业" in first.stdout and "近一年 300 件申请" in first.stdout
    assert "clerk_chaoyang" in first.stdout
    assert (tmp_path / "onelicense.sqlite3").is_file()
    second = onelicense(
        "demo", "--no-serve", "--port", "8123", "--history", "300", data_dir=tmp_path
    )
    assert second.returncode == 0, second.stderr
    assert "http://127.0.0.1:8123/" in second.stdout
    assert "凭证二维码打开：http://127.0.0.1:8123/v/…" in second.stdout  # its own port
    assert "40 个行业" in second.stdout
    with sqlite3.connect(tmp_path / "onelicense.sqlite3") as db:
        applications = db.execute("select count(*) from applications_application").fetchone()[0]
        inspections = db.execute("select count(*) from supervision_inspection").fetchone()[0]
        figures = db.execute("select count(*) from reports_figure").fetchone()[0]
    assert applications == 300 and inspections > 0 and figures > 0  # not generated twice


def test_catalogue_import_then_export_round_trips(tmp_path: Path) -> None:
    imported = onelicense("catalogue", "import", str(SMALL), "--publish", data_dir=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "已导入目录版本 test-small并已发布" in imported.stdout
    out = tmp_path / "out.yaml"
    exported = onelicense(
        "catalogue", "export", "--version", "test-small", str(out), data_dir=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    assert out.read_text("utf-8") == SMALL.read_text("utf-8")


def test_catalogue_import_of_a_faulty_file_says_why_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text("utf-8").replace("fire_rescue", "fire_brigade"), "utf-8")
    result = onelicense("catalogue", "import", str(bad), data_dir=tmp_path)
    assert result.returncode == 2
    expected = "bad.yaml：items（fire_safety_check）.department：未知的部门“fire_brigade”"
    assert expected in result.stderr
    listed = onelicense("catalogue", "export", "--version", "test-small", "-", data_dir=tmp_path)
    assert "目录版本“test-small”不存在" in listed.stderr


def test_verify_explains_itself_and_needs_a_trust_list(tmp_path: Path) -> None:
    helped = onelicense("verify", "--help", data_dir=tmp_path)
    assert helped.returncode == 0 and "--trust-list" in helped.stdout
    missing = onelicense(
        "verify", "http://x/v/abc", "--trust-list", str(tmp_path / "none.json"), data_dir=tmp_path
    )
    assert missing.returncode == 2
    assert "none.json" in missing.stderr


def test_the_worker_runs_one_round_and_reports_each_job(tmp_path: Path) -> None:
    assert onelicense("demo", "--no-serve", "--history", "0", data_dir=tmp_path).returncode == 0
    result = onelicense("worker", "--once", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "onelicense.core.messaging.outbox_drain: (0, 0)" in result.stdout
    assert "onelicense.approvals.services.cases_warn: 0" in result.stdout
