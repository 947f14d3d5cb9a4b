"""The monitoring benchmark runs end to end on a tiny workload and reports every part, the baseline and the ratio.

It needs PostgreSQL (COPY, and the bar is about PostgreSQL): it runs when ``DATABASE_URL`` points to a PostgreSQL
server, against a database of its own on that server (``<name>_bench_smoke``, dropped and recreated by the script;
never the test database), and is skipped otherwise. Nothing here looks at a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "bench_monitoring.py"
PARTS = (
    "hourly_round",
    "performance_windows_compute",
    "performance_estimate_compute",
    "drift_compute",
    "monitoring_alerts_evaluate",
)


def _smoke_database_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return None
    name = parts.path.lstrip("/") or "legalname"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return urlunsplit(parts._replace(path=f"/{name}_bench_smoke{'_' + worker if worker else ''}"))


@pytest.mark.slow
@pytest.mark.services
def test_benchmark_reports_each_part_the_baseline_and_the_ratio() -> None:
    database_url = _smoke_database_url()
    if database_url is None:
        pytest.skip("the monitoring benchmark needs PostgreSQL: DATABASE_URL does not point to a PostgreSQL server")
    proc = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--database-url",
            database_url,
            "--predictions",
            "2000",
            "--decisions",
            "200",
            "--rounds",
            "2",
            "--json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    load = report["load"]
    assert load["predictions"] == 2000 and load["decisions"] == 200
    assert 0 < load["audit_decisions"] < 200 and load["superseding_decisions"] == 20
    measured = report["measure"]
    assert set(measured["parts"]) == set(PARTS)
    for name in PARTS:
        part = measured["parts"][name]
        assert len(part["rounds_s"]) == 2 and part["best_s"] == min(part["rounds_s"]), name
        assert part["queries"] > 0, name
    summary = measured["round_summary"]
    assert summary["window_rows"] > 0 and summary["estimate_rows"] > 0 and summary["drift_rows"] > 0
    assert measured["ratio_round_over_baseline"] > 0
    assert measured["bar"]["seconds"] == 10.0 and isinstance(measured["bar"]["met"], bool)

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_monitoring  # a script, importable only while benchmarks/ is on sys.path (above)
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    text = bench_monitoring.table(report)
    for needle in (*PARTS, "baseline: count(*), avg(confidence)", "ratio hourly round / baseline aggregate:", "met:"):
        assert needle in text, needle


def test_bad_sizes_are_refused_with_the_option_named() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--rounds", "0"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "--rounds must be at least 1 (got 0)" in proc.stderr
