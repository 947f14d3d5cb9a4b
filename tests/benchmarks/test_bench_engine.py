"""The engine benchmark runs end to end on a tiny workload and reports what docs/benchmarks.md shows.

It runs in a subprocess: the script pins its process to one CPU. Nothing here looks at a speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_benchmark_reports_quality_and_speed_without_the_peer_environment(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_engine.py"),
            "--train-n",
            "3000",
            "--speed-n",
            "300",
            "--rounds",
            "2",
            "--latency-n",
            "20",
            "--bench-python",
            str(tmp_path / "missing-python"),
            "--json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert "missing-python not found" in report["logic_v2_error"]
    assert set(report["quality"]) == {"ours", "rapidfuzz_wratio"}
    assert "golden" in report["quality"]["ours"]
    golden = report["quality"]["ours"]["golden"]
    assert 0.5 <= golden["roc_auc"] <= 1.0 and golden["threshold"] == report["threshold"]
    assert report["speed_pairs"] == {"ours": 300, "logic_v2": 300, "rounds": 2}
    assert len(report["speed_rounds"]) == 2
    speed = report["pairs_per_s"]
    assert speed["ours_batch_cold"] == max(r["ours_batch_cold"] for r in report["speed_rounds"])
    assert speed["ours_batch_warm"] > 0 and speed["rapidfuzz_wratio"] > 0
    assert report["training"]["pairs"] == 3000
    assert report["memory"]["file_mb"] > 0


def test_bad_sizes_are_refused_with_the_option_named():
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_engine.py"), "--speed-n", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "--speed-n must be at least 1 (got 0)" in proc.stderr


def test_markdown_table_names_every_reported_number():
    # importing the script sets OMP_NUM_THREADS & co. to 1: keep that out of the rest of the session
    saved = dict(os.environ)
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_engine  # a script, importable only while benchmarks/ is on sys.path (above)
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
        os.environ.clear()
        os.environ.update(saved)
    report = {
        "engine": {"modules": {"features": "compiled"}},
        "quality": {"ours": {"golden": {"roc_auc": 0.99, "balanced_accuracy": 0.98, "f1": 0.97, "threshold": 0.4}}},
        "speed_pairs": {"ours": 20000, "logic_v2": 20000, "rounds": 3},
        "pairs_per_s": {
            "ours_batch_cold": 33000.0,
            "ours_batch_warm": 80000.0,
            "rapidfuzz_wratio": 400000.0,
            "logic_v2": 5000.0,
            "ours_over_logic_v2": 6.6,
            "ours_over_logic_v2_rounds": {"min": 6.2, "median": 6.4},
        },
        "compare_latency_ms": {"median": 0.17, "p95": 0.25},
        "training": {"pairs": 100000, "train_s": 5.0, "generate_s": 9.0},
        "memory": {"rss_delta_mb": 0.6, "file_mb": 0.08},
        "threshold": 0.4,
    }
    text = bench_engine.markdown(report)
    for needle in ("33,000 pairs/s", "**6.6x**", "min 6.2x, median 6.4x", "20,000 fresh generated pairs", "0.400"):
        assert needle in text, needle
