"""Benchmark: what experiment routing adds to one compare (issue 12's bar: under 0.2 ms per comparison).

    .venv/bin/python benchmarks/bench_routing.py [--compares 2000] [--rounds 5] [--json]

Method:

- **Database**: a SQLite file in a temporary folder (``legalname.settings.test``, every migration run), or
  ``--database-url``. **Model**: a small ``Comparator`` trained on 4,000 generated pairs; two versions of one model
  name load it (the active one, arm A, and a challenger, arm B), so both arms cost the same to score and the
  difference measured is routing alone.
- **Timed** with ``time.perf_counter``: ``--compares`` calls of ``comparisons.services.prediction_create`` (score and
  store, as the API does) on fresh generated pairs, in three modes: no experiment; a running 50/50 experiment; the
  same with shadow scoring (the other arm scores too, by design not free). The modes alternate in ``--rounds``
  rounds (their order rotates); the headline is each mode's best round, in ms per compare, and the routing
  overhead is the experiment mode minus the plain one.

Nothing here is a test and nothing asserts a wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def django_setup(*, database_url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "legalname.settings.test"
    os.environ["LEGALNAME_DATA_DIR"] = str(data_dir)
    for name in ("PYTEST_XDIST_WORKER", "LEGALNAME_DATA_DIR_ROOT", "CELERY_BROKER_URL", "MLFLOW_TRACKING_URI"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compares", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        django_setup(database_url=args.database_url or f"sqlite:///{tmp}/bench.sqlite3", data_dir=Path(tmp) / "data")
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from accounts.services import user_create
        from comparisons.engine import Comparator
        from comparisons.engine.datagen import generate_pairs
        from comparisons.services import prediction_create
        from experiments.models import Experiment
        from experiments.services import experiment_create, experiment_start, experiment_stop
        from models_registry.models import ModelVersion
        from models_registry.serving import model_server

        train = generate_pairs(n=4000, seed=7)
        comparator = Comparator.train([(a, b) for a, b, _ in train], [y for _, _, y in train], random_state=7)
        artifact = Path(tmp) / "model.joblib"
        comparator.save(artifact)
        name = "bench-routing"
        a = ModelVersion.objects.create(name=name, version=1, artifact_path=str(artifact), is_active=True)
        b = ModelVersion.objects.create(name=name, version=2, artifact_path=str(artifact))
        user = user_create(username="bench", role="analyst", password="bench-password-123")
        pairs = [(x, y) for x, y, _ in generate_pairs(n=args.compares, seed=99)]

        def timed(mode: str) -> float:
            Experiment.objects.filter(is_active=True).update(is_active=False)  # any earlier mode's experiment
            if mode != "plain":
                experiment = experiment_create(
                    name=f"{mode}-{time.monotonic_ns()}", model_a=a, model_b=b, shadow=mode == "shadow"
                )
                experiment_start(experiment=experiment)
            for x, y in pairs[:50]:  # warm: both arms loaded, caches filled
                prediction_create(user=user, name1=x, name2=y, model_name=name)
            started = time.perf_counter()
            for x, y in pairs:
                prediction_create(user=user, name1=x, name2=y, model_name=name)
            elapsed = (time.perf_counter() - started) * 1000 / len(pairs)
            if mode != "plain":
                experiment_stop(experiment=experiment)
            return elapsed

        model_server.current(name)
        modes = ["plain", "experiment", "shadow"]
        rounds: dict[str, list[float]] = {m: [] for m in modes}
        for r in range(args.rounds):
            for mode in modes[r % 3 :] + modes[: r % 3]:
                rounds[mode].append(timed(mode))
        best = {m: min(v) for m, v in rounds.items()}
        result = {
            "ms_per_compare_best": best,
            "routing_overhead_ms": best["experiment"] - best["plain"],
            "shadow_overhead_ms": best["shadow"] - best["plain"],
            "rounds_ms": rounds,
            "compares": args.compares,
            "database": "sqlite" if not args.database_url else args.database_url.split(":")[0],
        }
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            for m in modes:
                print(f"{m:>10}: {best[m]:.3f} ms per compare (best of {args.rounds}; rounds {rounds[m]})")
            print(
                f"routing adds {result['routing_overhead_ms']:.3f} ms, shadow scoring {result['shadow_overhead_ms']:.3f} ms"
            )


if __name__ == "__main__":
    main()
