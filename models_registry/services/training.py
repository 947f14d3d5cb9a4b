"""The training pipeline: generated base pairs + analysts' feedback -> a registered, evaluated model version."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from comparisons.engine import Comparator
from comparisons.engine.datagen import generate_pairs
from comparisons.engine.policy import WordPolicy
from feedback.selectors import feedback_for_training_list, feedback_holdout_list
from feedback.services import feedback_mark_processed
from legalname.common.exceptions import ApplicationError
from legalname.common.metrics import prometheus_training_run_record
from models_registry.models import ModelMetric, ModelVersion, TrainingRun
from models_registry.monitoring.alerts import alert_training_failed
from models_registry.monitoring.drift import baseline_compute, baseline_sample
from models_registry.services.evaluation import comparator_evaluate
from models_registry.services.mlflow_registry import (
    mlflow_log_and_register,
    mlflow_run_versions_list,
    mlflow_version_delete,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

METRIC_KEYS = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "n")


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


@dataclass(frozen=True)
class Decisions:
    """The analysts' decisions a training uses, as labelled pairs (``training_decisions_collect``)."""

    pairs: list[tuple[str, str]]
    labels: list[int]
    feedback_ids: list
    n_corrections: int  # decisions that overturned the served verdict
    n_confirmations: int  # decisions that agreed with it


def training_decisions_collect() -> Decisions:
    """The decisions the next training uses (``feedback_for_training_list``: in force, unprocessed, decisive, not
    held out), each the pair its prediction compared, labelled by the analyst. A correction (the analyst overturned
    the verdict) and a confirmation both teach: the one moves the model, the other keeps it where it was right."""
    rows = list(
        feedback_for_training_list().values_list(
            "pk", "prediction__name1", "prediction__name2", "user_correction", "prediction__material"
        )
    )
    corrections = sum(1 for *_, label, served in rows if label != served)
    return Decisions(
        pairs=[(name1, name2) for _, name1, name2, _, _ in rows],
        labels=[int(label) for *_, label, _ in rows],
        feedback_ids=[pk for pk, *_ in rows],
        n_corrections=corrections,
        n_confirmations=len(rows) - corrections,
    )


def decision_weight(*, n_generated: int, n_decisions: int) -> float:
    """How many generated pairs one decision weighs (LEGALNAME_TRAINING_DECISION_WEIGHT_SHARE / _MAX)."""
    if n_decisions == 0:
        return 1.0
    share = settings.LEGALNAME_TRAINING_DECISION_WEIGHT_SHARE * n_generated / n_decisions
    return float(min(settings.LEGALNAME_TRAINING_DECISION_WEIGHT_MAX, max(1.0, share)))


_STAGE_PROGRESS = {
    TrainingRun.Stage.COLLECTING: 0.02,
    TrainingRun.Stage.GENERATING: 0.05,
    TrainingRun.Stage.FITTING: 0.35,
    TrainingRun.Stage.EVALUATING: 0.75,
    TrainingRun.Stage.REGISTERING: 0.85,
    TrainingRun.Stage.GATING: 0.92,
    TrainingRun.Stage.DONE: 1.0,
}


def training_run_stage_set(*, training_run_id: UUID | str, stage: TrainingRun.Stage) -> None:
    """Record that a run reached ``stage`` (with its progress and a heartbeat), visible at once to the admin."""
    now = timezone.now()
    TrainingRun.objects.filter(pk=training_run_id).exclude(status=TrainingRun.Status.FAILED).update(
        stage=stage, progress=_STAGE_PROGRESS[stage], heartbeat_at=now, updated_at=now
    )


@contextmanager
def _heartbeat(training_run_id: UUID | str) -> Iterator[None]:
    """Write the run's heartbeat every LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS / 10 from a thread while the
    block runs (fitting is minutes of C code without a stage change): a run whose heartbeat stops had its worker
    die, and the sweeper fails it (``training_runs_stale_fail``)."""
    stop = threading.Event()
    interval = max(1.0, settings.LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS / 10)

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    TrainingRun.objects.filter(pk=training_run_id, status=TrainingRun.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError as exc:  # a busy SQLite file, a blip: the next beat tries again
                    logger.warning("training run %s: heartbeat not written: %s", training_run_id, exc)
        finally:
            connection.close()  # the thread's own database connection

    thread = threading.Thread(target=beat, name=f"training-heartbeat-{training_run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _claim(training_run_id: UUID | str) -> bool:
    """Take the run for this worker in one conditional UPDATE: a queued run, or a running one whose heartbeat is
    stale (its worker died and the broker redelivered the task: the run starts again from the beginning, since
    nothing of it was registered). Of two workers handed the same run, only the one whose UPDATE matched trains."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS)
    return bool(
        TrainingRun.objects.filter(
            Q(status=TrainingRun.Status.QUEUED) | Q(status=TrainingRun.Status.RUNNING, heartbeat_at__lt=stale),
            pk=training_run_id,
        ).update(
            status=TrainingRun.Status.RUNNING,
            stage=TrainingRun.Stage.COLLECTING,
            progress=_STAGE_PROGRESS[TrainingRun.Stage.COLLECTING],
            started_at=now,
            heartbeat_at=now,
            error="",
            updated_at=now,
        )
    )


def training_run_execute(*, training_run_id: UUID | str) -> TrainingRun:
    """Train, evaluate and register one model version, recording each stage (collecting, generating, fitting,
    evaluating, registering) with its progress and heartbeat on the run row; the promotion gate follows
    (``models_registry.services.promotion.training_run_gate``). A failure records the error and raises an alert."""
    if not _claim(training_run_id):
        run = TrainingRun.objects.get(pk=training_run_id)
        logger.warning("training run %s is %s, not queued; not running it again", run.pk, run.status)
        return run
    run = TrainingRun.objects.get(pk=training_run_id)
    try:
        with _heartbeat(run.pk):
            version = _train_and_register(run)
    except Exception as exc:
        logger.exception("training run %s failed", run.pk)
        return training_run_fail(
            training_run_id=run.pk, error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"
        )
    run.refresh_from_db()
    logger.info("training run %s registered %s", run.pk, version)
    prometheus_training_run_record(status=run.status, duration_seconds=run.duration_seconds)
    return run


def _train_and_register(run: TrainingRun) -> ModelVersion:
    n_pairs = int(run.params.get("n_pairs", settings.LEGALNAME_TRAINING_N_PAIRS))
    seed = int(run.params.get("seed", settings.LEGALNAME_TRAINING_SEED))
    decisions = training_decisions_collect()
    training_run_stage_set(training_run_id=run.pk, stage=TrainingRun.Stage.GENERATING)
    generated = generate_pairs(n=n_pairs, seed=seed)
    pairs = [(a, b) for a, b, _ in generated] + decisions.pairs
    labels = [label for _, _, label in generated] + decisions.labels
    weight = decision_weight(n_generated=len(generated), n_decisions=len(decisions.pairs))
    weights = [1.0] * len(generated) + [weight] * len(decisions.pairs)
    training_run_stage_set(training_run_id=run.pk, stage=TrainingRun.Stage.FITTING)
    started = time.perf_counter()
    # The organisation's words (engine.policy) come from its decisions only: the generated set speaks for everyone.
    policy = WordPolicy.learn(decisions.pairs, decisions.labels)
    comparator = Comparator.train(pairs, labels, random_state=seed, sample_weight=weights, policy=policy)
    train_seconds = time.perf_counter() - started
    training_run_stage_set(training_run_id=run.pk, stage=TrainingRun.Stage.EVALUATING)
    evaluations = {"validation": comparator.validation_metrics, **comparator_evaluate(comparator=comparator)}
    # What the version saw, for drift: a seeded sample of its own training pairs (monitoring.drift says why)
    baseline = baseline_compute(comparator=comparator, pairs=baseline_sample(pairs, seed=seed), seed=seed)
    data_counts = {
        "generated": len(generated),
        "decisions": len(decisions.pairs),
        "corrections": decisions.n_corrections,
        "confirmations": decisions.n_confirmations,
        "decision_weight": round(weight, 3),
        "held_out_decisions": feedback_holdout_list().count(),
        "policy_words": [rule["written"] for rule in policy.to_dict()["rules"]],
    }
    training_run_stage_set(training_run_id=run.pk, stage=TrainingRun.Stage.REGISTERING)
    return _register(
        run=run,
        comparator=comparator,
        evaluations=evaluations,
        feedback_ids=decisions.feedback_ids,
        train_seconds=train_seconds,
        n_pairs=len(pairs),
        baseline=baseline,
        data_counts=data_counts,
    )


@transaction.atomic
def _register(
    *,
    run: TrainingRun,
    comparator: Comparator,
    evaluations: dict,
    feedback_ids: list,
    train_seconds: float,
    n_pairs: int,
    baseline: dict | None = None,
    data_counts: dict | None = None,
) -> ModelVersion:
    """Create the version, its metrics, and mark the decisions used as processed (with the run), all in one
    transaction, only once the version is registered: a failed run leaves them unprocessed.

    The MLflow version and the row exist together or not at all: MLflow registers inside the transaction, and if
    anything after it fails the MLflow version is deleted before the error goes on (a worker killed in between
    leaves an MLflow version tagged with a failed run, which the sweeper deletes: ``training_runs_stale_fail``)."""
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
            "legalname.n_feedback": str(len(feedback_ids)),
        },
    )
    try:
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
                f"{name} v{number} was registered by another training at the same time; this run registered nothing "
                f"(its MLflow version {mlflow_info.get('model_uri', '')} is deleted): {exc}"
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
        if feedback_ids:
            feedback_mark_processed(feedback_ids=feedback_ids, training_run=run)
        run.status, run.finished_at, run.model_version = TrainingRun.Status.SUCCEEDED, timezone.now(), version
        run.n_pairs, run.n_feedback, run.data_counts = n_pairs, len(feedback_ids), data_counts or {}
        run.stage, run.progress = TrainingRun.Stage.GATING, _STAGE_PROGRESS[TrainingRun.Stage.GATING]
        run.save(
            update_fields=[
                "status",
                "finished_at",
                "model_version",
                "n_pairs",
                "n_feedback",
                "data_counts",
                "stage",
                "progress",
                "updated_at",
            ]
        )
        return version
    except BaseException:
        mlflow_version_delete(model_name=name, mlflow_version=mlflow_info["mlflow_version"])
        raise


def training_run_fail(*, training_run_id: UUID | str, error: str, expected_status: str | None = None) -> TrainingRun:
    """Record why a run stopped (an exception, the worker's time limit, a dead worker found by the sweeper) and
    raise a ``training_failed`` alert. A run that succeeded meanwhile (or, with ``expected_status``, moved on from
    it) is left alone. An MLflow version its dead worker registered without a database row is deleted."""
    with transaction.atomic():
        run = TrainingRun.objects.select_for_update().get(pk=training_run_id)
        if run.status == TrainingRun.Status.SUCCEEDED or (expected_status and run.status != expected_status):
            return run
        run.status, run.finished_at, run.error = TrainingRun.Status.FAILED, timezone.now(), error
        run.save(update_fields=["status", "finished_at", "error", "updated_at"])
    _mlflow_orphans_delete(run)
    prometheus_training_run_record(status=run.status, duration_seconds=run.duration_seconds)
    alert_training_failed(run=run)  # sent by a worker once this commits; never raises into the failing job
    return run


def _mlflow_orphans_delete(run: TrainingRun) -> None:
    if ModelVersion.objects.filter(training_runs=run).exists():
        return
    try:
        for mlflow_version in mlflow_run_versions_list(model_name=run.model_name, training_run_id=str(run.pk)):
            mlflow_version_delete(model_name=run.model_name, mlflow_version=mlflow_version)
            logger.warning(
                "deleted MLflow version %s of %s: its training run %s failed", mlflow_version, run.model_name, run.pk
            )
    except Exception:  # the registry being down must not stop recording the failure; the next sweep retries
        logger.exception("could not check MLflow for versions of failed training run %s", run.pk)
