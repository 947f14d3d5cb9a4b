"""Benchmark: one full scheduled retraining, 100,000 generated pairs + 10,000 analysts' decisions (issue 11's bar).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_retraining.py [--n-pairs 100000] [--decisions 10000] [--json]

Method:

- **One core**: the process pins itself to one CPU (``sched_setaffinity``) and every BLAS/OpenMP pool to 1 thread.
- **Database**: ``--database-url``; by default ``DATABASE_URL`` when it names a PostgreSQL server (the database
  ``<name>_bench_retraining`` on it, unless the name already has ``bench`` in it: dropped and recreated, so an
  application's database is never touched), else a SQLite file in a temporary folder. Migrated with the test
  settings; the data folder (models, MLflow store, the embedded Celery broker) is a temporary folder too, and
  ``CELERY_BROKER_URL`` / ``MLFLOW_TRACKING_URI`` are ignored, so no real worker ever sees the runs queued here.
- **Baseline, same run**: the nightly training as it was before decisions were used: a run of ``--n-pairs``
  generated pairs and no decisions, executed and gated (``training_run_execute`` then ``training_run_gate``, the
  task's body); with no version active the gate activates it without comparing. That version (v1) is the active
  one the measured run is compared with.
- **Decisions**: ``--decisions`` trained-on decisions plus ``--held-out`` held-out audit decisions (the gate's
  sample), each a stored prediction served by v1 (its real verdict) and one analyst's Feedback row, bulk-inserted
  (not timed against the bar). A realistic mix: ``--policy-share`` (10%) are ``X Worldwide Ltd`` / ``X Ltd``
  pairs the organisation calls immaterial (``--policy-word``; v1 says material: corrections that teach a word
  policy). Worldwide, not Holdings: the golden set calls an added Holdings material, so a Holdings policy is
  (rightly) rejected by the gate's golden margin, and the timed path would skip the switch. The rest are
  fresh generated pairs (another seed) labelled with their true label, so the analyst confirms where v1 is right
  and corrects where it is wrong (a few percent). The held-out decisions follow the same mix.
- **Measured, the scheduled path**: ``retraining_scheduled_task()`` called in-process (the daily job: the
  triggers as a RetrainingCheck row, which queues one run), then the queued run's ``training_run_execute`` and
  ``training_run_gate`` (what ``training_run_execute_task`` runs). Stages are timed with ``time.perf_counter`` at
  each ``training_run_stage_set`` the pipeline calls (wrapped, not changed): collect (decisions read), generate
  (base pairs), fit (word policy + model), evaluate (frozen sets, drift baseline), register (artifact, MLflow,
  rows, decisions marked processed), then the gate (both versions on golden and the held-out decisions, switch).
  Wall time (``perf_counter``, the bar's measure) and this process's CPU time (``process_time``, steadier on a
  shared machine: another process's load moves the wall time of the same work by a third) for each.
- **Reported**: each stage of both runs, the totals, the ratio measured / baseline (wall and CPU), and the bar:
  the scheduled retraining (check + training + gate) in under 2 minutes of wall time.

Nothing here is a test and nothing asserts a wall-clock time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

REPO = Path(__file__).resolve().parents[1]
BAR_SECONDS = 120.0
POOL_SEED = 515_151
STAGES = ("collect", "generate", "fit", "evaluate", "register", "gate")
SYLLABLES = "ka lo ri ven tor mar sel nu bra dex fin gal hor zen qua pli mon ter vo sa bel dor kin lum".split()
FORMS = ("Ltd", "Inc", "GmbH", "S.A.", "plc", "B.V.", "AG", "LLC", "Corp", "")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pin_one_core() -> int | None:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


# ------------------------------------------------------------------------------------------------- database
def database_url_choose(given: str | None, tmp: Path) -> str:
    """The database to use: ``given``; else DATABASE_URL's PostgreSQL server with a bench database; else SQLite."""
    if given:
        return given
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = parts.path.lstrip("/") or "legalname"
        if "bench" not in name:
            name = f"{name}_bench_retraining"
        return urlunsplit(parts._replace(path=f"/{name}"))
    return f"sqlite:///{tmp / 'bench.sqlite3'}"


def database_recreate(url: str) -> None:
    """A PostgreSQL database is dropped and created again (only one with ``bench`` in its name); a SQLite file is
    new in its temporary folder."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return
    import psycopg2  # type: ignore[import-untyped]  # no stubs in the app's environment
    from psycopg2 import sql

    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and recreate database {name!r}: its name must contain 'bench'")
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def django_setup(*, database_url: str, data_dir: Path, n_pairs: int) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "legalname.settings.test"
    os.environ["LEGALNAME_DATA_DIR"] = str(data_dir)
    os.environ["LEGALNAME_TRAINING_N_PAIRS"] = str(n_pairs)
    # The runs queued here must reach no real worker, and the MLflow store is the temporary one.
    for name in ("PYTEST_XDIST_WORKER", "LEGALNAME_DATA_DIR_ROOT", "CELERY_BROKER_URL", "MLFLOW_TRACKING_URI"):
        os.environ.pop(name, None)
    os.environ.pop("MLFLOW_ARTIFACT_ROOT", None)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


# ----------------------------------------------------------------------------------------------------- timing
class StageClock:
    """Times the pipeline's stages at each ``training_run_stage_set`` call (the function is wrapped, not
    changed)."""

    def __init__(self) -> None:
        from models_registry.services import training

        self.module = training
        self.original = training.training_run_stage_set
        self.marks: list[tuple[str, tuple[float, float]]] = []

    def __enter__(self) -> StageClock:
        def stage_set(*, training_run_id: Any, stage: Any) -> None:
            self.marks.append((str(stage), clock()))
            self.original(training_run_id=training_run_id, stage=stage)

        self.module.training_run_stage_set = stage_set
        return self

    def __exit__(self, *exc: object) -> None:
        self.module.training_run_stage_set = self.original


def clock() -> tuple[float, float]:
    """Wall and CPU time now (``perf_counter``, ``process_time``): CPU seconds are the steadier measure on a shared
    machine, wall seconds are the bar's."""
    return time.perf_counter(), time.process_time()


def run_timed(training_run_id: Any) -> tuple[dict[str, float], dict[str, float], Any, Any]:
    """``training_run_execute`` then ``training_run_gate`` (the task's body), each stage timed; returns the stage
    wall seconds, the stage CPU seconds, the run and the gate's decision."""
    from models_registry.services.promotion import training_run_gate
    from models_registry.services.training import training_run_execute

    with StageClock() as stage_clock:
        started = clock()
        run = training_run_execute(training_run_id=training_run_id)
        registered = clock()
    if run.status != "succeeded":
        raise SystemExit(f"training run {run.pk} {run.status}: {run.error}")
    gate_started = clock()
    decision = training_run_gate(training_run=run)
    gated = clock()
    marks = dict(stage_clock.marks)
    bounds = [started, marks["generating"], marks["fitting"], marks["evaluating"], marks["registering"], registered]
    wall, cpu = {}, {}
    for i, name in enumerate(STAGES[:-1]):
        wall[name], cpu[name] = bounds[i + 1][0] - bounds[i][0], bounds[i + 1][1] - bounds[i][1]
    wall["gate"], cpu["gate"] = gated[0] - gate_started[0], gated[1] - gate_started[1]
    run.refresh_from_db()
    return wall, cpu, run, decision


def mlflow_warm_up(tmp: Path) -> None:
    """Register a tiny comparator under another name, untimed: the MLflow store's first use (creating its tables,
    importing the pyfunc flavour) is a one-off of a fresh store, not a cost of either timed training."""
    from comparisons.engine import Comparator
    from comparisons.engine.datagen import generate_pairs
    from models_registry.services.mlflow_registry import mlflow_log_and_register

    generated = generate_pairs(n=500, seed=1)
    comparator = Comparator.train([(a, b) for a, b, _ in generated], [y for *_, y in generated], random_state=1)
    artifact = tmp / "warm-up.joblib"
    comparator.save(artifact)
    mlflow_log_and_register(
        model_name="bench-warm-up", artifact_path=artifact, params={}, evaluations={}, train_seconds=0.0
    )


# ----------------------------------------------------------------------------------------------------- data
def policy_pairs(rng: random.Random, n: int, word: str) -> list[tuple[str, str]]:
    """Made-up names that differ only by ``word`` added on one side, with assorted legal forms."""

    def made_up() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()

    pairs = []
    for _ in range(n):
        base = made_up() + (" " + made_up() if rng.random() < 0.4 else "")
        form = rng.choice(FORMS)
        with_word, without = f"{base} {word} {form}".strip(), f"{base} {form}".strip()
        pairs.append((with_word, without) if rng.random() < 0.5 else (without, with_word))
    return pairs


def decisions_seed(
    *, version: Any, decisions: int, held_out: int, policy_share: float, policy_word: str, seed: int
) -> dict[str, Any]:
    """Predictions served by ``version`` and one decision on each (module docstring); returns the counts."""
    from accounts.services import user_create
    from comparisons.engine.datagen import generate_pairs
    from comparisons.models import Prediction
    from comparisons.services import prediction_build
    from feedback.models import Feedback
    from models_registry.serving import load_comparator

    rng = random.Random(seed)
    total = decisions + held_out
    n_policy = int(round(total * policy_share))
    generated = generate_pairs(n=total - n_policy, seed=POOL_SEED)
    items = [((a, b), int(y)) for a, b, y in generated] + [
        (pair, 0) for pair in policy_pairs(rng, n_policy, policy_word)
    ]
    rng.shuffle(items)
    analyst = user_create(username="bench-analyst", role="analyst", password="bench-password-123")
    comparator = load_comparator(version.artifact_path)
    verdicts = comparator.compare_many([pair for pair, _ in items])
    predictions = Prediction.objects.bulk_create(
        (
            prediction_build(model_version=version, verdict=v, name1=a, name2=b, user=analyst, source="web")
            for ((a, b), _), v in zip(items, verdicts, strict=True)
        ),
        batch_size=2000,
    )
    rows = [
        Feedback(prediction=p, user=analyst, user_correction=bool(label), audit=i < held_out, holdout=i < held_out)
        for i, (p, (_, label)) in enumerate(zip(predictions, items, strict=True))
    ]
    Feedback.objects.bulk_create(rows, batch_size=2000)
    corrections = sum(1 for p, (_, label) in zip(predictions, items, strict=True) if bool(label) != p.material)
    return {
        "decisions": decisions,
        "held_out": held_out,
        "policy_pairs": n_policy,
        "policy_word": policy_word,
        "corrections": corrections,
        "confirmations": total - corrections,
    }


# ----------------------------------------------------------------------------------------------------- report
def table(report: dict[str, Any]) -> str:
    base, measured = report["baseline"], report["measured"]
    seed = report["seed_data"]
    lines = [
        f"Retraining benchmark: {report['n_pairs']:,} generated pairs + {seed['decisions']:,} decisions "
        f"({seed['held_out']:,} more held out; {seed['corrections']:,} corrections, {seed['confirmations']:,} "
        f"confirmations, {seed['policy_pairs']:,} '{seed['policy_word']}'-policy pairs), {report['database']}, "
        f"one core (cpu {report['machine']['pinned_cpu']})",
        "",
        "setup (not timed against the bar)",
        f"  {'migrate':<34}{report['setup_s']['migrate']:8.2f} s",
        f"  {'MLflow warm-up registration':<34}{report['setup_s']['mlflow_warm_up']:8.2f} s",
        f"  {'seed predictions + decisions':<34}{report['setup_s']['seed']:8.2f} s",
        "",
        f"{'':<34}{'wall s':>22}{'CPU s':>22}",
        f"{'stage':<34}{'baseline':>11}{'scheduled':>11}{'baseline':>11}{'scheduled':>11}",
        f"{'retraining check (scheduled)':<34}{'-':>11}{measured['check_s']:11.2f}{'-':>11}"
        f"{measured['check_cpu_s']:11.2f}",
    ]
    for name in STAGES:
        lines.append(
            f"{name:<34}{base['stages_s'][name]:11.2f}{measured['stages_s'][name]:11.2f}"
            f"{base['stages_cpu_s'][name]:11.2f}{measured['stages_cpu_s'][name]:11.2f}"
        )
    lines += [
        f"{'total':<34}{base['total_s']:11.2f}{measured['total_s']:11.2f}{base['total_cpu_s']:11.2f}"
        f"{measured['total_cpu_s']:11.2f}",
        "",
        "baseline: the same training with no decisions (the nightly job before decisions were used); its gate had",
        "  no active version to compare with",
        f"ratio scheduled retraining / baseline: {report['ratio']:.2f}x wall, {report['ratio_cpu']:.2f}x CPU",
        f"bar: scheduled retraining (check + training + gate) < {BAR_SECONDS:.0f} s: {measured['total_s']:.1f} s, "
        f"met: {'yes' if report['bar_met'] else 'no'}",
        f"check: fired {', '.join(measured['check']['fired'])}; {measured['check']['outcome_detail']}",
        f"run: {json.dumps(measured['data_counts'])}",
        f"gate: {measured['gate_detail']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL's PostgreSQL server, or SQLite")
    parser.add_argument("--n-pairs", type=int, default=100_000, help="generated pairs per training (default 100000)")
    parser.add_argument("--decisions", type=int, default=10_000, help="trained-on decisions (default 10000)")
    parser.add_argument("--held-out", type=int, default=1_000, help="held-out audit decisions (default 1000)")
    parser.add_argument("--policy-share", type=float, default=0.1, help="share of word-policy decisions (default 0.1)")
    parser.add_argument("--policy-word", default="Worldwide", help="the word the policy decisions call immaterial")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    for option in ("n_pairs", "decisions"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1 (got {getattr(args, option)})")
    if args.held_out < 0:
        parser.error(f"--held-out must be at least 0 (got {args.held_out})")
    if not 0 <= args.policy_share <= 1:
        parser.error(f"--policy-share must be between 0 and 1 (got {args.policy_share})")
    cpu = pin_one_core()

    # MLflow and the libraries print progress to stdout: keep stdout for the report (--json is parsed).
    with tempfile.TemporaryDirectory(prefix="ln-bench-retraining-") as tmp, contextlib.redirect_stdout(sys.stderr):
        database_url = database_url_choose(args.database_url, Path(tmp))
        database_recreate(database_url)
        django_setup(database_url=database_url, data_dir=Path(tmp) / "data", n_pairs=args.n_pairs)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from accounts.services import roles_sync
        from models_registry.models import RetrainingCheck
        from models_registry.services.training import training_run_create
        from models_registry.tasks import retraining_scheduled_task

        log("migrating...")
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        roles_sync()
        migrate_s = time.perf_counter() - started

        log("warming up MLflow (its store's tables, the pyfunc flavour) with a throwaway registration...")
        started = time.perf_counter()
        mlflow_warm_up(Path(tmp))
        warm_up_s = time.perf_counter() - started

        log(f"baseline: training on {args.n_pairs:,} generated pairs, no decisions...")
        started = clock()
        run = training_run_create(trigger="baseline")
        stages, stages_cpu, base_run, _ = run_timed(run.pk)
        ended = clock()
        baseline = {
            "stages_s": stages,
            "total_s": ended[0] - started[0],
            "stages_cpu_s": stages_cpu,
            "total_cpu_s": ended[1] - started[1],
            "run": str(base_run.pk),
        }
        version = base_run.model_version

        log(f"seeding {args.decisions:,} decisions and {args.held_out:,} held-out ones...")
        started = time.perf_counter()
        seed_data = decisions_seed(
            version=version,
            decisions=args.decisions,
            held_out=args.held_out,
            policy_share=args.policy_share,
            policy_word=args.policy_word,
            seed=args.seed,
        )
        seed_s = time.perf_counter() - started

        log("the scheduled retraining: check, training, gate...")
        started = clock()
        summary = retraining_scheduled_task()
        checked = clock()
        check = RetrainingCheck.objects.latest("checked_at")
        if check.training_run_id is None:
            raise SystemExit(f"the scheduled check queued nothing: {check.outcome_detail} ({summary})")
        stages, stages_cpu, run, decision = run_timed(check.training_run_id)
        ended = clock()
        total_s = ended[0] - started[0]
        measured = {
            "check_s": checked[0] - started[0],
            "check_cpu_s": checked[1] - started[1],
            "stages_s": stages,
            "total_s": total_s,
            "stages_cpu_s": stages_cpu,
            "total_cpu_s": ended[1] - started[1],
            "check": {"fired": check.fired, "outcome": check.outcome, "outcome_detail": check.outcome_detail},
            "run": str(run.pk),
            "trigger": run.trigger,
            "data_counts": run.data_counts,
            "gate_outcome": decision.outcome if decision else None,
            "gate_detail": decision.detail if decision else run.promotion,
        }
        report = {
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "pinned_cpu": cpu,
            },
            "database": f"{connection.vendor} {connection.settings_dict['NAME']}",
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "n_pairs": int(settings.LEGALNAME_TRAINING_N_PAIRS),
            "setup_s": {"migrate": migrate_s, "mlflow_warm_up": warm_up_s, "seed": seed_s},
            "seed_data": seed_data,
            "baseline": baseline,
            "measured": measured,
            "ratio": total_s / baseline["total_s"],
            "ratio_cpu": measured["total_cpu_s"] / baseline["total_cpu_s"],
            "bar_seconds": BAR_SECONDS,
            "bar_met": total_s < BAR_SECONDS,
        }
        connection.close()
    print(json.dumps(report, indent=2, default=str) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
