"""Benchmark: one hourly monitoring round over a large PostgreSQL database (issue 10's second bar).

    .venv/bin/python benchmarks/bench_monitoring.py [--predictions 1000000] [--decisions 50000] [--json]

Method:

- **Database**: PostgreSQL at ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/ln_bench_monitoring``).
  The script drops and recreates that database (through the server's ``postgres`` database; it refuses a database
  without ``bench`` in its name, so that an application's ``DATABASE_URL`` is never dropped), then runs every
  migration (``call_command("migrate")``) with the test settings (``legalname.settings.test``; the data folder, and
  with it the Celery broker file, in a temporary directory).
- **Model**: a small ``Comparator`` trained on ``--train-n`` (4,000) generated pairs, saved to a temporary artifact,
  its drift baseline computed with ``baseline_compute`` over a ``baseline_sample`` of its training pairs; one active
  ``ModelVersion`` carries both.
- **Traffic**: a pool of ``--pool`` (3,000) fresh generated pairs (another seed), scored once by the comparator;
  ``--predictions`` rows draw a pair from the pool (the stored verdict, ``probability_material`` and confidence are
  the comparator's on that pair) and a time uniform over the 8 days before ``now``. ``--decisions`` feedback rows:
  90% first decisions on distinct predictions, 10% later decisions superseding one of those; ``--audit-share`` (20%)
  of the first decisions are the audit slice (predictions drawn uniformly), the others lean towards uncertain ones
  (weights ``1.5 - confidence``), like the review queue. The analyst's verdict is the pair's generated label, so
  the model's measured accuracy is its true one on generated pairs (about 0.95: no breach), and the traffic comes
  from the same generator as the baseline (no drift alert). Both tables are filled with PostgreSQL ``COPY``
  (``copy_expert``) and ``ANALYZE``d; that load time is reported apart and is not part of any ratio.
- **Timed** with ``time.perf_counter``: ``monitoring_hourly_run(now=now)`` (window metrics, label-free estimate,
  drift, alert evaluation), ``--rounds`` times, and then each part alone (``performance_windows_compute``,
  ``performance_estimate_compute``, ``drift_compute``, ``monitoring_alerts_evaluate``), ``--rounds`` times each.
  Before every round the engine's per-name caches are cleared (drift recomputes the features of up to 5,000 recent
  pairs: a cold start, the worst case). The headline is each one's best round; the first (coldest) is shown too.
  Queries of the first hourly round are counted with ``CaptureQueriesContext``: a constant, whatever the sizes,
  shows there is no loop over rows.
- **Baseline, same run**: one plain aggregate over the whole predictions table,
  ``SELECT count(*), avg(confidence) FROM comparisons_prediction``, best of ``--rounds``; the hourly round's time is
  reported as a ratio to it. The bar: the round in under 10 s.

Nothing here is a test and nothing asserts a wall-clock time.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ln_bench_monitoring"
BAR_SECONDS = 10.0
SPAN = timedelta(days=8)
TRAIN_SEED = 7
POOL_SEED = 424_242
COPY_CHUNK = 200_000
NULL = "\\N"  # COPY's NULL marker here (an empty CSV field is then an empty string)

PREDICTION_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "user_id",
    "model_version_id",
    "name1",
    "name2",
    "normalized1",
    "normalized2",
    "material",
    "probability_material",
    "confidence",
    "reasons",
    "latency_ms",
    "source",
    "reference",
    "variant",
    "experiment_subject",  # no experiment runs in this benchmark
)
FEEDBACK_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "prediction_id",
    "user_id",
    "user_correction",
    "confidence_score",
    "feedback_text",
    "audit",
    "holdout",  # the promotion gate's held-out sample: monitoring reads every decision alike
    "processed",
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------- database
def database_recreate(url: str) -> str:
    """Drop and create the database named in ``url`` (connecting to the server's ``postgres`` database); returns
    its name. Refuses anything but PostgreSQL."""
    import psycopg2  # type: ignore[import-untyped]  # no stubs in the app's environment
    from psycopg2 import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL (got scheme {parts.scheme!r})")
    name = parts.path.lstrip("/")
    if "bench" not in name:
        # DATABASE_URL often names the application's own database: never drop one not meant for this
        raise SystemExit(
            f"refusing to drop and recreate database {name!r}: the benchmark's database must have 'bench' in its name"
        )
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    return name


def django_setup(database_url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "legalname.settings.test"
    os.environ["LEGALNAME_DATA_DIR"] = str(data_dir)
    os.environ.pop("PYTEST_XDIST_WORKER", None)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def clear_engine_caches() -> None:
    """Cold per-name caches (as in ``bench_engine.py``): the LRU caches and memo dicts of the engine's hot modules."""
    from comparisons.engine import COMPILED_MODULES

    for mod_name in COMPILED_MODULES:
        try:
            mod = importlib.import_module(f"comparisons.engine.{mod_name}")
        except ImportError:
            continue
        for name, attr in vars(mod).items():
            if callable(getattr(attr, "cache_clear", None)):
                attr.cache_clear()
            if name.startswith("_cache") and isinstance(attr, dict):
                attr.clear()


# ----------------------------------------------------------------------------------------------------- load
def _ts(moment: datetime) -> str:
    return moment.isoformat()


def _copy(table: str, columns: tuple[str, ...], rows: Iterator[list[Any]]) -> None:
    """COPY ``rows`` into ``table`` in chunks of ``COPY_CHUNK`` (CSV through one StringIO per chunk)."""
    from django.db import connection

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        while True:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            written = 0
            for row in rows:
                writer.writerow(row)
                written += 1
                if written >= COPY_CHUNK:
                    break
            if not written:
                break
            buffer.seek(0)
            raw.copy_expert(statement, buffer)
            if written < COPY_CHUNK:
                break


def model_setup(*, train_n: int, artifact: Path) -> tuple[Any, Any, dict[str, float]]:
    """Train the small comparator, save it, compute its baseline, create the user and the active version."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from comparisons.engine import Comparator
    from comparisons.engine.datagen.generate import generate_pairs
    from models_registry.models import ModelVersion
    from models_registry.monitoring.drift import baseline_compute, baseline_sample

    timings: dict[str, float] = {}
    started = time.perf_counter()
    generated = generate_pairs(n=train_n, seed=TRAIN_SEED)
    pairs = [(a, b) for a, b, _ in generated]
    comparator = Comparator.train(pairs, [y for _, _, y in generated], random_state=TRAIN_SEED)
    comparator.save(artifact)
    timings["train_s"] = time.perf_counter() - started
    started = time.perf_counter()
    baseline = baseline_compute(comparator=comparator, pairs=baseline_sample(pairs, seed=TRAIN_SEED), seed=TRAIN_SEED)
    timings["baseline_s"] = time.perf_counter() - started
    from django.conf import settings

    user = get_user_model().objects.create_user(username="bench-analyst", password="bench-password")
    version = ModelVersion.objects.create(
        name=settings.LEGALNAME_MODEL_NAME,
        version=1,
        model_uri=f"models:/{settings.LEGALNAME_MODEL_NAME}/1",
        artifact_path=str(artifact),
        feature_version=comparator.feature_version,
        threshold=float(comparator.threshold),
        is_active=True,
        activated_at=timezone.now() - SPAN - timedelta(days=1),
        baseline=baseline,
    )
    return comparator, (user, version), timings


def traffic_load(
    *,
    comparator: Any,
    user: Any,
    version: Any,
    now: datetime,
    predictions: int,
    decisions: int,
    pool: int,
    audit_share: float,
    seed: int,
) -> dict[str, Any]:
    """COPY ``predictions`` and ``decisions`` rows (see the module docstring); returns counts and timings."""
    from django.db import connection

    from comparisons.engine.datagen.generate import generate_pairs

    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    generated = generate_pairs(n=pool, seed=POOL_SEED)
    names = [(a, b) for a, b, _ in generated]
    labels = np.array([y for _, _, y in generated], dtype=bool)
    probabilities = np.clip(comparator.predict_proba(names).astype(float), 0.0, 1.0)
    material = probabilities >= comparator.threshold
    confidence = np.where(material, probabilities, 1.0 - probabilities).clip(0.5, 1.0)
    pool_s = time.perf_counter() - started

    started = time.perf_counter()
    which = rng.integers(0, len(names), size=predictions)
    span_us = int(SPAN.total_seconds() * 1_000_000)
    offsets = np.sort(rng.integers(1, span_us, size=predictions))[::-1]  # microseconds before now
    latencies = rng.gamma(2.0, 2.0, size=predictions).round(3)
    sources = rng.choice(np.array(["web", "api", "batch"]), size=predictions, p=[0.3, 0.5, 0.2])
    n_first = min(predictions, decisions - decisions // 10) if decisions else 0
    n_audit = int(round(n_first * audit_share))
    audit_idx = rng.choice(predictions, size=n_audit, replace=False) if n_audit else np.array([], dtype=np.int64)
    weights = 1.5 - confidence[which]
    weights[audit_idx] = 0.0  # already drawn for the audit
    keys = np.log(rng.random(predictions)) / np.maximum(weights, 1e-12)  # weighted sampling without replacement
    n_queue = n_first - n_audit
    queue_idx: np.ndarray = np.argpartition(-keys, n_queue - 1)[:n_queue] if n_queue > 0 else np.array([], dtype=int)
    reviewed = {int(i): True for i in audit_idx} | {int(i): False for i in queue_idx}
    ids: dict[int, str] = {}
    base_us = int(now.timestamp() * 1_000_000)

    def moment(offset_us: int) -> datetime:
        return datetime.fromtimestamp((base_us - offset_us) / 1_000_000, tz=UTC)

    def prediction_rows() -> Iterator[list[Any]]:
        for i in range(predictions):
            k = int(which[i])
            row_id = str(uuid.uuid4())
            if i in reviewed:
                ids[i] = row_id
            created = _ts(moment(int(offsets[i])))
            a, b = names[k]
            yield [
                row_id, created, created, user.pk, version.pk, a, b, "", "",
                "t" if material[k] else "f", float(probabilities[k]), float(confidence[k]),
                "[]", float(latencies[i]), sources[i], "", "", "",
            ]  # fmt: skip

    _copy("comparisons_prediction", PREDICTION_COLUMNS, prediction_rows())
    predictions_s = time.perf_counter() - started

    started = time.perf_counter()
    first = sorted(reviewed)
    n_superseding = min(len(first), decisions - len(first))
    superseding: np.ndarray = (
        rng.choice(len(first), size=n_superseding, replace=False) if first else np.array([], dtype=int)
    )
    delays = rng.integers(60_000_000, 6 * 3_600_000_000, size=len(first) + len(superseding))  # 1 min to 6 h

    def decision_at(i: int, extra_us: int) -> str:
        return _ts(min(moment(int(offsets[i])) + timedelta(microseconds=extra_us), now - timedelta(seconds=1)))

    def feedback_rows() -> Iterator[list[Any]]:
        for j, i in enumerate(first):
            label = bool(labels[which[i]])
            created = decision_at(i, int(delays[j]))
            score = round(random.random(), 3)
            yield [str(uuid.uuid4()), created, created, ids[i], user.pk, "t" if label else "f", score, "",
                   "t" if reviewed[i] else "f", "f", "f"]  # fmt: skip
        for j, s in enumerate(superseding):
            i = first[int(s)]
            created = decision_at(i, int(delays[len(first) + j]) + 6 * 3_600_000_000)
            flipped = not bool(labels[which[i]]) if j % 5 == 0 else bool(labels[which[i]])  # some change their mind
            yield [
                str(uuid.uuid4()),
                created,
                created,
                ids[i],
                user.pk,
                "t" if flipped else "f",
                NULL,
                "",
                "f",
                "f",
                "f",
            ]

    _copy("feedback_feedback", FEEDBACK_COLUMNS, feedback_rows())
    feedback_s = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE comparisons_prediction")
        cursor.execute("ANALYZE feedback_feedback")
        cursor.execute("SELECT count(*) FROM comparisons_prediction")
        n_predictions = cursor.fetchone()[0]
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE audit) FROM feedback_feedback")
        n_decisions, n_audit_rows = cursor.fetchone()
    return {
        "predictions": n_predictions,
        "decisions": n_decisions,
        "audit_decisions": n_audit_rows,
        "superseding_decisions": len(superseding),
        "pool_pairs": len(names),
        "load_s": {
            "pool_score": pool_s,
            "predictions_copy": predictions_s,
            "feedback_copy": feedback_s,
            "analyze": time.perf_counter() - started,
        },
    }


# ----------------------------------------------------------------------------------------------------- timing
def timed(work: Callable[[], Any], rounds: int) -> tuple[list[float], Any]:
    """``rounds`` runs of ``work`` (engine caches cleared before each); the times in seconds and the last result."""
    times, result = [], None
    for _ in range(rounds):
        clear_engine_caches()
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return times, result


def queries_of(work: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clear_engine_caches()
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def measure(*, now: datetime, rounds: int) -> dict[str, Any]:
    from django.db import connection

    from models_registry.monitoring.drift import drift_compute
    from models_registry.monitoring.estimate import performance_estimate_compute
    from models_registry.monitoring.jobs import monitoring_alerts_evaluate, monitoring_hourly_run
    from models_registry.monitoring.performance import performance_windows_compute

    def baseline_query() -> tuple[int, float]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*), avg(confidence) FROM comparisons_prediction")
            return cursor.fetchone()

    parts: dict[str, Callable[[], Any]] = {
        "hourly_round": lambda: monitoring_hourly_run(now=now),
        "performance_windows_compute": lambda: performance_windows_compute(now=now),
        "performance_estimate_compute": lambda: performance_estimate_compute(now=now),
        "drift_compute": lambda: drift_compute(now=now),
        "monitoring_alerts_evaluate": lambda: monitoring_alerts_evaluate(now=now),
    }
    baseline_times, _ = timed(baseline_query, rounds)
    results: dict[str, Any] = {}
    summary = None
    queries = {name: queries_of(work) for name, work in parts.items()}  # also warms PostgreSQL's buffers once
    for name, work in parts.items():
        times, result = timed(work, rounds)
        if name == "hourly_round":
            summary = result
        results[name] = {"best_s": min(times), "first_s": times[0], "rounds_s": times, "queries": queries[name]}
    best = results["hourly_round"]["best_s"]
    baseline_best = min(baseline_times)
    return {
        "baseline": {
            "query": "SELECT count(*), avg(confidence) FROM comparisons_prediction",
            "best_s": baseline_best,
            "rounds_s": baseline_times,
        },
        "parts": results,
        "round_summary": summary,
        "ratio_round_over_baseline": best / baseline_best if baseline_best > 0 else float("inf"),
        "bar": {"seconds": BAR_SECONDS, "round_best_s": best, "met": best < BAR_SECONDS},
    }


# ----------------------------------------------------------------------------------------------------- report
def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


def table(report: dict[str, Any]) -> str:
    load = report["load"]
    m = report["measure"]
    pool_label = f"score pool ({load['pool_pairs']:,} pairs)"
    lines = [
        f"Monitoring benchmark: {load['predictions']:,} predictions, {load['decisions']:,} decisions "
        f"({load['audit_decisions']:,} audit, {load['superseding_decisions']:,} superseding), "
        f"PostgreSQL {report['postgres']}, {report['rounds']} rounds",
        "",
        "load (not timed against the bar)",
        f"  {'migrate':<36}{report['setup_s']['migrate']:8.2f} s",
        f"  {'train + baseline':<36}{report['setup_s']['train'] + report['setup_s']['baseline']:8.2f} s",
        f"  {pool_label:<36}{load['load_s']['pool_score']:8.2f} s",
        f"  {'COPY predictions':<36}{load['load_s']['predictions_copy']:8.2f} s",
        f"  {'COPY feedback':<36}{load['load_s']['feedback_copy']:8.2f} s",
        f"  {'ANALYZE':<36}{load['load_s']['analyze']:8.2f} s",
        "",
        f"{'part':<38}{'best s':>9}{'first s':>9}{'queries':>9}",
    ]
    for name, part in m["parts"].items():
        lines.append(f"{name:<38}{part['best_s']:9.3f}{part['first_s']:9.3f}{part['queries']:9d}")
    lines += [
        f"{'baseline: count(*), avg(confidence)':<38}{m['baseline']['best_s']:9.3f}",
        "",
        f"ratio hourly round / baseline aggregate: {m['ratio_round_over_baseline']:.1f}x",
        f"bar: hourly round < {m['bar']['seconds']:.0f} s: {m['bar']['round_best_s']:.2f} s, "
        f"met: {'yes' if m['bar']['met'] else 'no'}",
        f"round summary: {json.dumps(m['round_summary'])}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--predictions", type=int, default=1_000_000, help="prediction rows (default 1000000)")
    parser.add_argument("--decisions", type=int, default=50_000, help="feedback rows (default 50000)")
    parser.add_argument("--pool", type=int, default=3_000, help="distinct generated pairs behind them (default 3000)")
    parser.add_argument("--train-n", type=int, default=4_000, help="pairs the comparator trains on (default 4000)")
    parser.add_argument("--audit-share", type=float, default=0.2, help="share of first decisions that are audit")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each part (default 3)")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    for option in ("predictions", "pool", "train_n", "rounds"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1 (got {getattr(args, option)})")
    if args.decisions < 0:
        parser.error(f"--decisions must be at least 0 (got {args.decisions})")
    if not 0 <= args.audit_share <= 1:
        parser.error(f"--audit-share must be between 0 and 1 (got {args.audit_share})")
    random.seed(args.seed)

    with tempfile.TemporaryDirectory(prefix="ln-bench-monitoring-") as tmp:
        database_recreate(args.database_url)
        django_setup(args.database_url, Path(tmp))
        from django.core.management import call_command
        from django.utils import timezone

        log("migrating...")
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_s = time.perf_counter() - started
        log("training the comparator and its baseline...")
        comparator, (user, version), setup = model_setup(train_n=args.train_n, artifact=Path(tmp) / "bench.joblib")
        now = timezone.now()
        log(f"loading {args.predictions:,} predictions and {args.decisions:,} decisions...")
        load = traffic_load(
            comparator=comparator,
            user=user,
            version=version,
            now=now,
            predictions=args.predictions,
            decisions=args.decisions,
            pool=args.pool,
            audit_share=args.audit_share,
            seed=args.seed,
        )
        log("timing...")
        measured = measure(now=now, rounds=args.rounds)
        report = {
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
            },
            "postgres": server_version(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "now": now.isoformat(),
            "rounds": args.rounds,
            "setup_s": {"migrate": migrate_s, "train": setup["train_s"], "baseline": setup["baseline_s"]},
            "load": load,
            "measure": measured,
        }
    print(json.dumps(report, indent=2, default=str) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
