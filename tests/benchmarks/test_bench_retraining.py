"""The retraining benchmark runs end to end on a tiny workload and reports every stage, the baseline and the ratio.

On PostgreSQL when ``DATABASE_URL`` points to one (a database of its own on that server,
``<name>_bench_retraining_smoke``, dropped and recreated by the script; never the test database), else on a SQLite
file in the script's temporary folder. Nothing here looks at a time.
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
SCRIPT = REPO / "benchmarks" / "bench_retraining.py"
STAGES = ("collect", "generate", "fit", "evaluate", "register", "gate")


def _smoke_database_args() -> list[str]:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return []  # the script's SQLite default
    name = parts.path.lstrip("/") or "legalname"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    path = f"/{name}_bench_retraining_smoke{'_' + worker if worker else ''}"
    return ["--database-url", urlunsplit(parts._replace(path=path))]


@pytest.mark.slow
def test_benchmark_reports_each_stage_the_baseline_and_the_ratio() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            *_smoke_database_args(),
            "--n-pairs",
            "2000",
            "--decisions",
            "200",
            "--held-out",
            "40",
            "--json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["n_pairs"] == 2000
    seeded = report["seed_data"]
    assert (seeded["decisions"], seeded["held_out"], seeded["policy_pairs"]) == (200, 40, 24)
    assert seeded["corrections"] + seeded["confirmations"] == 240
    for side in ("baseline", "measured"):
        assert set(report[side]["stages_s"]) == set(STAGES), side
        assert all(seconds >= 0 for seconds in report[side]["stages_s"].values()), side
        assert report[side]["total_s"] >= sum(report[side]["stages_s"].values()), side
        assert set(report[side]["stages_cpu_s"]) == set(STAGES) and report[side]["total_cpu_s"] > 0, side
    measured = report["measured"]
    # the scheduled path: the daily check fired on the new decisions and queued the run that was timed
    assert measured["check"]["fired"] == ["schedule"] and measured["check"]["outcome"] == "queued"
    assert measured["trigger"] == "schedule"
    counts = measured["data_counts"]
    assert (counts["generated"], counts["decisions"], counts["held_out_decisions"]) == (2000, 200, 40)
    assert measured["gate_outcome"] in ("activated", "challenger", "rejected")
    assert (
        report["ratio"] > 0
        and report["ratio_cpu"] > 0
        and report["bar_seconds"] == 120.0
        and isinstance(report["bar_met"], bool)
    )

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_retraining  # a script, importable only while benchmarks/ is on sys.path (above)
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    text = bench_retraining.table(report)
    for needle in (*STAGES, "retraining check (scheduled)", "ratio scheduled retraining / baseline:", "met:"):
        assert needle in text, needle


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--decisions", "0"], "--decisions must be at least 1 (got 0)"),
        (["--held-out", "-1"], "--held-out must be at least 0 (got -1)"),
        (["--policy-share", "2"], "--policy-share must be between 0 and 1 (got 2.0)"),
    ],
)
def test_bad_sizes_are_refused_with_the_option_named(args, message) -> None:
    proc = subprocess.run([sys.executable, str(SCRIPT), *args], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert message in proc.stderr
