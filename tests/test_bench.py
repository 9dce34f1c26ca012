"""`bench/run.py` still runs (small scale, SQLite, two samples): a smoke test, no timing."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_script(script, *args, timeout):
    """``python <script> <args>`` from the project's root; fails the test on a non-zero exit."""
    result = subprocess.run(
        [sys.executable, script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_bench_runs_and_writes_the_table(tmp_path):
    out = tmp_path / "results.md"
    run_script(
        "bench/run.py",
        *("--scale", "small", "--db", "sqlite", "--repeat", "2", "--out", str(out)),
        timeout=600,
    )
    report = out.read_text(encoding="utf-8")
    assert "| case | median ms | min–max ms | baseline | ratio | budget | met | note |" in report
    for case in (
        "sqlite: /healthz",
        "staff search API q=thang",
        "coverage?org=DB, cached",
        "staff list page",
        "coverage dashboard page",
        "session page",
        "import staff file",
        "coverage query as of 30/06/2025, province + children",
        "coverage?org=DB&as_of=2025-06-30, cached",
        "reorganisation preview, whole province",
        "reorganisation apply, whole province",
        "coverage/breakdown?org=DB&by=school_level,ethnic_minority, computed",
        "coverage/breakdown?org=DB&by=school_level,ethnic_minority, cached",
        "report pack of the province (XLSX)",
        "report pack of the province (PDF)",
        "trend of the province, 24 months, per-unit day masks",
        "start a bulk-issue job for one school (answer)",
        "start a province-wide bulk-issue job (answer)",
        "start accounts for the whole province (answer)",
        "start the province's staff export (CSV) (answer)",
        "-row staff file (upload) (answer)",
        "province-wide advanced bulk issue as a job, per certificate",
    ):
        assert case in report, case
    assert "(alongside:" in report  # ratios against /healthz samples taken in turn


def test_the_floor_and_the_passes_append_their_sections(tmp_path):
    """`bench/floor.py` and `bench/passes.py` (a few pages, one sample) add their tables to
    the file given, making it when missing (the shared ``harness.section``)."""
    out = tmp_path / "results.md"
    for script, args in (
        ("bench/floor.py", ["--count", "2", "--repeat", "1"]),
        ("bench/passes.py", ["--count", "2", "--chunk", "2", "--repeat", "1"]),
    ):
        run_script(script, *args, "--append", "--out", str(out), timeout=300)
    report = out.read_text(encoding="utf-8")
    assert report.index("# The floor") < report.index("# Cutting a batch")
    assert "our certificate (default design)" in report
    assert "one pass of 2, each page written alone (ours)" in report
