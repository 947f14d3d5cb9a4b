"""The training pipeline: generated base pairs + analysts' feedback -> a registered, evaluated model version."""

from __future__ import annotations

import logging
import time
import traceback
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils import timezone

from comparisons.engine import Comparator
from comparisons.engine.datagen import generate_pairs
from comparisons.engine.evaluation import evaluate, read_pairs_csv
from feedback.selectors import feedback_for_training_list
from feedback.services import feedback_mark_processed
from legalname.common.exceptions import ApplicationError
from legalname.common.metrics import prometheus_training_run_record
from models_registry.models import ModelMetric, ModelVersion, TrainingRun
from models_registry.monitoring.alerts import alert_training_failed
from models_registry.monitoring.drift import baseline_compute, baseline_sample
from models_registry.services.mlflow_registry import mlflow_log_and_register

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

METRIC_KEYS = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "n")


def evaluation_sets() -> dict[str, Path]:
    """The frozen evaluation sets configured in LEGALNAME_EVALUATION_SETS whose files exist (never trained on).

    A configured set whose file is missing is skipped with a warning: evaluation then covers the others, and the
    app runs on a machine that has only some of the files."""
    sets = {}
    for name, path in settings.LEGALNAME_EVALUATION_SETS.items():
        if Path(path).is_file():
            sets[name] = Path(path)
        else:
            logger.warning("evaluation set %r skipped: no file at %s (LEGALNAME_EVALUATION_SETS)", name, path)
    return sets


def comparator_evaluate(*, comparator: Comparator) -> dict[str, dict]:
    results = {}
    for name, path in evaluation_sets().items():
        data = read_pairs_csv(path)
        probs = comparator.predict_proba(data.pairs)
        results[name] = evaluate(data.labels, probs, comparator.threshold, data.sources)
    return results


def training_run_create(
    *,
    trigger: str = "manual",
    params: dict | None = None,
    requested_by: User | None = None,
    model_name: str | None = None,
) -> TrainingRun:
    # The run records the settings it trains with, defaults included: the row says how its version was made.
    params = {
        "n_pairs": settings.LEGALNAME_TRAINING_N_PAIRS,
        "seed": settings.LEGALNAME_TRAINING_SEED,
        **(params or {}),
    }
    run = TrainingRun(
        model_name=model_name or settings.LEGALNAME_MODEL_NAME,
        trigger=trigger,
        params=params,
        requested_by=requested_by,
    )
    run.full_clean()
    run.save()
    return run


def training_run_queue(
    *,
    trigger: str = "admin",
    params: dict | None = None,
    requested_by: User | None = None,
    model_name: str | None = None,
) -> TrainingRun:
    """Record a queued TrainingRun and hand it to a Celery worker once the row is committed.

    Training takes minutes: a request (admin action, API, the retraining check) only queues it, the worker runs
    it. At most one run per model name is queued or running: the database's partial unique constraint decides
    between racing callers (two beat ticks, an admin and the schedule), so the loser gets an ApplicationError (409)
    and nothing is queued twice. A run whose worker died is failed first (``training_runs_stale_fail``), so it
    does not block the next one."""
    from models_registry.tasks import training_run_execute_task  # the task module imports this one: a cycle

    name = model_name or settings.LEGALNAME_MODEL_NAME
    training_runs_stale_fail(model_name=name)
    try:
        with transaction.atomic():
            run = training_run_create(trigger=trigger, params=params, requested_by=requested_by, model_name=name)
            transaction.on_commit(lambda: training_run_execute_task.delay(str(run.pk)))
    except (IntegrityError, ValidationError) as exc:
        if not TrainingRun.objects.filter(model_name=name, status__in=ACTIVE_STATUSES).exists():
            raise
        raise ApplicationError(
            f"a training of {name} is already queued or running; wait for it to finish", status_code=409
        ) from exc
    return run


ACTIVE_STATUSES = (TrainingRun.Status.QUEUED, TrainingRun.Status.RUNNING)


def training_runs_stale_fail(*, model_name: str | None = None, now: datetime | None = None) -> list[TrainingRun]:
    """Fail the runs whose worker died: running with no heartbeat for LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS,
    or queued for longer than the task's hard time limit (the message was lost). Each gets its error and a
    ``training_failed`` alert (``training_run_fail``). Returns them."""
    now = now or timezone.now()
    stale_beat = now - timedelta(seconds=settings.LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS)
    stale_queue = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    qs = TrainingRun.objects.filter(
        Q(status=TrainingRun.Status.RUNNING, heartbeat_at__lt=stale_beat)
        | Q(status=TrainingRun.Status.RUNNING, heartbeat_at__isnull=True, started_at__lt=stale_beat)
        | Q(status=TrainingRun.Status.QUEUED, created_at__lt=stale_queue)
    )
    if model_name is not None:
        qs = qs.filter(model_name=model_name)
    failed = []
    for run in qs:
        if run.status == TrainingRun.Status.RUNNING:
            beat = run.heartbeat_at or run.started_at
            error = (
                f"worker lost: no heartbeat since {beat:%Y-%m-%d %H:%M:%S} UTC (stage {run.stage}, "
                f"{run.progress:.0%}); the run was failed by the sweeper and can be queued again"
            )
        else:
            error = f"never started: queued at {run.created_at:%Y-%m-%d %H:%M:%S} UTC and no worker took it"
        failed.append(training_run_fail(training_run_id=run.pk, error=error, expected_status=run.status))
    return failed


def _feedback_pairs() -> tuple[list[tuple[str, str]], list[int], list]:
    """The latest unprocessed decision per prediction, as training pairs."""
    rows = list(feedback_for_training_list())
    pairs = [(f.prediction.name1, f.prediction.name2) for f in rows]
    labels = [int(f.user_correction) for f in rows]
    return pairs, labels, rows


def training_run_execute(*, training_run_id: UUID | str) -> TrainingRun:
    """Train, evaluate, save and register one model version. The run row records status, timings and error."""
    # Claim the run in one conditional UPDATE: of two workers handed the same run (a redelivered task, a second
    # call), only the one whose UPDATE matched the QUEUED row trains.
    claimed = TrainingRun.objects.filter(pk=training_run_id, status=TrainingRun.Status.QUEUED).update(
        status=TrainingRun.Status.RUNNING, started_at=timezone.now(), error="", updated_at=timezone.now()
    )
    run = TrainingRun.objects.get(pk=training_run_id)
    if not claimed:
        logger.warning("training run %s is %s, not queued; not running it again", run.pk, run.status)
        return run
    try:
        n_pairs = int(run.params.get("n_pairs", settings.LEGALNAME_TRAINING_N_PAIRS))
        seed = int(run.params.get("seed", settings.LEGALNAME_TRAINING_SEED))
        generated = generate_pairs(n=n_pairs, seed=seed)
        pairs = [(a, b) for a, b, _ in generated]
        labels = [label for _, _, label in generated]
        fb_pairs, fb_labels, fb_rows = _feedback_pairs()
        started = time.perf_counter()
        comparator = Comparator.train(pairs + fb_pairs, labels + fb_labels, random_state=seed)
        train_seconds = time.perf_counter() - started
        evaluations = {"validation": comparator.validation_metrics, **comparator_evaluate(comparator=comparator)}
        # What the version saw, for drift: a seeded sample of its own training pairs (monitoring.drift says why)
        baseline = baseline_compute(
            comparator=comparator, pairs=baseline_sample(pairs + fb_pairs, seed=seed), seed=seed
        )
        version = _register(
            run=run,
            comparator=comparator,
            evaluations=evaluations,
            feedback_rows=fb_rows,
            train_seconds=train_seconds,
            n_pairs=len(pairs) + len(fb_pairs),
            baseline=baseline,
        )
    except Exception as exc:
        logger.exception("training run %s failed", run.pk)
        return training_run_fail(
            training_run_id=run.pk, error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
        )
    run.refresh_from_db()
    logger.info("training run %s registered %s", run.pk, version)
    prometheus_training_run_record(status=run.status, duration_seconds=run.duration_seconds)
    return run


@transaction.atomic
def _register(
    *,
    run: TrainingRun,
    comparator: Comparator,
    evaluations: dict,
    feedback_rows: list,
    train_seconds: float,
    n_pairs: int,
    baseline: dict | None = None,
) -> ModelVersion:
    """Create the version, its metrics, and mark the feedback used as processed, all in one transaction."""
    name = run.model_name
    # An aggregate takes no row lock: lock the name's existing versions first, so that two registrations of the same
    # name take their numbers one after the other.
    list(ModelVersion.objects.select_for_update().filter(name=name).order_by("pk").values_list("pk", flat=True))
    number = (ModelVersion.objects.filter(name=name).aggregate(m=Max("version"))["m"] or 0) + 1
    models_dir = Path(settings.MODELS_DIR) / name
    models_dir.mkdir(parents=True, exist_ok=True)
    artifact = models_dir / f"v{number}-{run.pk}.joblib"
    comparator.save(artifact)
    mlflow_info = mlflow_log_and_register(
        model_name=name,
        artifact_path=artifact,
        params={
            **run.params,
            "n_pairs": n_pairs,
            "threshold": comparator.threshold,
            "feature_version": comparator.feature_version,
            **getattr(comparator, "hyper_parameters", {}),
        },
        evaluations=evaluations,
        train_seconds=train_seconds,
        tags={
            "legalname.training_run_id": str(run.pk),
            "legalname.trigger": run.trigger,
            "legalname.version": str(number),
            "legalname.feature_version": str(comparator.feature_version),
            "legalname.n_feedback": str(len(feedback_rows)),
        },
    )
    version = ModelVersion(
        name=name,
        version=number,
        artifact_path=str(artifact),
        feature_version=comparator.feature_version,
        threshold=float(comparator.threshold),
        created_by=run.requested_by,
        mlflow_run_id=mlflow_info.get("run_id", ""),
        model_uri=mlflow_info.get("model_uri") or f"file://{artifact}",
        baseline=baseline or {},
    )
    version.full_clean()
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:
        raise ApplicationError(
            f"{name} v{number} was registered by another training at the same time; this run registered nothing in "
            f"the database (its MLflow version {mlflow_info.get('model_uri', '')} is orphaned): {exc}"
        ) from exc
    # The version's measured metrics: ModelMetric rows are their one store (the admin, the API and the promotion
    # gate all read them there).
    now = timezone.now()
    measured = {**evaluations, "training": {"train_seconds": round(train_seconds, 2)}}
    ModelMetric.objects.bulk_create(
        [
            ModelMetric(
                model_version=version,
                metric_name=metric,
                metric_value=float(values[metric]),
                dataset=dataset,
                recorded_at=now,
            )
            for dataset, values in measured.items()
            for metric in (*METRIC_KEYS, "train_seconds")
            if values.get(metric) is not None
        ]
    )
    if feedback_rows:
        feedback_mark_processed(feedback_ids=[f.pk for f in feedback_rows], training_run=run)
    run.status, run.finished_at, run.model_version = TrainingRun.Status.SUCCEEDED, timezone.now(), version
    run.n_pairs, run.n_feedback = n_pairs, len(feedback_rows)
    run.save(update_fields=["status", "finished_at", "model_version", "n_pairs", "n_feedback", "updated_at"])
    return version


def training_run_fail(*, training_run_id: UUID | str, error: str) -> TrainingRun:
    """Record why a run stopped (an exception, or the worker's time limit killing the task)."""
    run = TrainingRun.objects.get(pk=training_run_id)
    if run.status == TrainingRun.Status.SUCCEEDED:
        return run
    run.status, run.finished_at, run.error = TrainingRun.Status.FAILED, timezone.now(), error
    run.save(update_fields=["status", "finished_at", "error", "updated_at"])
    prometheus_training_run_record(status=run.status, duration_seconds=run.duration_seconds)
    alert_training_failed(run=run)  # sent by a worker once this commits; never raises into the failing job
    return run
