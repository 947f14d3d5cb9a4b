"""Scoring pairs and storing the predictions. Every verdict is stored with its model version, user, latency and source."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from comparisons.models import BatchJob, Prediction
from experiments.models import Experiment
from experiments.routing import experiment_assign, experiment_running_get, experiment_subject
from legalname.common.exceptions import ApplicationError
from legalname.common.metrics import (
    prometheus_batch_rows_record,
    prometheus_compare_latency_record,
    prometheus_prediction_record,
)
from models_registry.models import ModelVersion
from models_registry.serving import ModelLoadError, ServedModel, model_server

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from comparisons.engine import Verdict

logger = logging.getLogger(__name__)


def _served(model_version_id: UUID | str | None = None, model_name: str | None = None) -> ServedModel:
    """A named version (an experiment's arm), else the active version of ``model_name`` (default model if None)."""
    if model_version_id:
        return model_server.get(str(model_version_id))
    served = model_server.current(model_name)
    if served is None and model_name:
        raise ApplicationError(f"model: no active version of model {model_name!r}", extra={"model": ["unknown model"]})
    if served is None:
        raise ApplicationError("No active model is loaded; an admin must train or activate one.", status_code=503)
    return served


@dataclass(frozen=True)
class Arm:
    """What scores a comparison: the served model and its version row, and under a running experiment the
    experiment, the arm, the subject it was routed by and (shadow scoring) the other arm's model."""

    served: ServedModel
    model_version: ModelVersion
    experiment: Experiment | None = None
    variant: str = ""
    subject: str = ""
    shadow: ServedModel | None = None


def _unrouted(model_version_id: UUID | str | None, model_name: str | None) -> Arm:
    served = _served(model_version_id, model_name)
    return Arm(served=served, model_version=ModelVersion.objects.get(pk=served.version_id))


def _arms(
    *,
    user: User,
    subjects: Sequence[str | None],
    model_version_id: UUID | str | None,
    model_name: str | None,
) -> list[Arm]:
    """The arm of each comparison (one per entry of ``subjects``). A comparison that names its version is never
    routed; otherwise a running experiment on the model name routes each subject to arm A or B
    (``experiments.routing``), and without one the active version serves. Two queries at most, whatever the count."""
    experiment = None if model_version_id else experiment_running_get(model_name=model_name)
    if experiment is None:
        return [_unrouted(model_version_id, model_name)] * len(subjects)
    versions: dict[str, ModelVersion] = {"A": experiment.model_a, "B": experiment.model_b}
    try:
        models = {variant: model_server.get(str(version.pk)) for variant, version in versions.items()}
    except ModelLoadError as exc:
        # An arm that cannot load must not fail the request: the active version answers, unrouted (so the
        # experiment's counts hold only what its arms served), and the log says why.
        logger.error("experiment %s: an arm does not load, serving the active model: %s", experiment.name, exc)
        return [_unrouted(None, model_name)] * len(subjects)
    other = {"A": "B", "B": "A"}
    arms: dict[tuple[str, str], Arm] = {}
    result = []
    for subject in subjects:
        key = experiment_subject(user=user, subject=subject)
        variant = experiment_assign(experiment=experiment, subject=key)
        if (variant, key) not in arms:
            arms[variant, key] = Arm(
                served=models[variant],
                model_version=versions[variant],
                experiment=experiment,
                variant=variant,
                subject=key,
                shadow=models[other[variant]] if experiment.shadow else None,
            )
        result.append(arms[variant, key])
    return result


def prediction_build(
    *,
    model_version: ModelVersion,
    verdict: Verdict,
    name1: str,
    name2: str,
    user: User,
    source: str,
    latency_ms: float = 0.0,
    reference: str = "",
    batch: BatchJob | None = None,
    arm: Arm | None = None,
    shadow: Verdict | None = None,
) -> Prediction:
    """The row a verdict becomes (unsaved): the one place that maps the engine's Verdict onto a Prediction.

    ``arm`` names the experiment and variant that served it; ``shadow`` is the other arm's verdict on the same pair."""
    return Prediction(
        user=user,
        model_version=model_version,
        name1=name1,
        name2=name2,
        normalized1=verdict.normalized[0][:1000],
        normalized2=verdict.normalized[1][:1000],
        material=bool(verdict.material),
        probability_material=float(verdict.probability_material),
        confidence=float(verdict.confidence),
        reasons=[reason.to_dict() for reason in verdict.reasons],
        latency_ms=latency_ms,
        source=source,
        reference=reference or "",
        batch=batch,
        experiment=arm.experiment if arm else None,
        variant=arm.variant if arm else "",
        experiment_subject=arm.subject if arm else "",
        shadow_material=None if shadow is None else bool(shadow.material),
        shadow_probability=None if shadow is None else float(shadow.probability_material),
    )


def prediction_create(
    *,
    user: User,
    name1: str,
    name2: str,
    source: str = Prediction.Source.WEB,
    model_version_id: UUID | str | None = None,
    model_name: str | None = None,
    subject: str | None = None,
) -> Prediction:
    """Score one pair with the active model (or the named version, or the experiment arm of the subject: the user,
    or the caller's ``subject`` id) and store the prediction."""
    started = time.perf_counter()
    [arm] = _arms(user=user, subjects=[subject], model_version_id=model_version_id, model_name=model_name)
    verdict = arm.served.comparator.compare(name1, name2)
    latency_ms = (time.perf_counter() - started) * 1000
    # The arm not served scores the same pair after the served one has answered: not part of its latency.
    shadow = arm.shadow.comparator.compare(name1, name2) if arm.shadow else None
    model_version = arm.model_version
    prediction = prediction_build(
        model_version=model_version,
        verdict=verdict,
        name1=name1,
        name2=name2,
        user=user,
        source=source,
        latency_ms=latency_ms,
        arm=arm,
        shadow=shadow,
    )
    prediction.full_clean()
    prediction.save()
    prometheus_prediction_record(
        model_name=model_version.name,
        model_version=model_version.version,
        source=source,
        verdicts=[prediction.material],
    )
    prometheus_compare_latency_record(
        engine_seconds=latency_ms / 1000, end_to_end_seconds=time.perf_counter() - started
    )
    return prediction


@transaction.atomic
def prediction_create_many(
    *,
    user: User,
    pairs: Sequence[dict],
    source: str = Prediction.Source.BATCH,
    model_version_id: UUID | str | None = None,
    model_name: str | None = None,
    batch: BatchJob | None = None,
) -> list[Prediction]:
    """Score many pairs in one vectorised call per arm and store them with one bulk insert, in input order.

    ``pairs`` holds dicts with ``name1``, ``name2`` and optional ``reference`` and ``subject`` (the experiment
    subject of that pair; default the user)."""
    if not pairs:
        return []
    started = time.perf_counter()
    arms = _arms(
        user=user, subjects=[p.get("subject") for p in pairs], model_version_id=model_version_id, model_name=model_name
    )
    verdicts: dict[int, Verdict] = {}
    shadows: dict[int, Verdict] = {}
    by_model: dict[str, list[int]] = {}
    for i, arm in enumerate(arms):
        by_model.setdefault(arm.served.version_id, []).append(i)
    for indices in by_model.values():
        arm = arms[indices[0]]
        pairs_here = [(pairs[i]["name1"], pairs[i]["name2"]) for i in indices]
        for i, verdict in zip(indices, arm.served.comparator.compare_many(pairs_here), strict=True):
            verdicts[i] = verdict
    latency_ms = (time.perf_counter() - started) * 1000 / len(pairs)
    for indices in by_model.values():
        shadow = arms[indices[0]].shadow
        if shadow is not None:
            pairs_here = [(pairs[i]["name1"], pairs[i]["name2"]) for i in indices]
            for i, verdict in zip(indices, shadow.comparator.compare_many(pairs_here), strict=True):
                shadows[i] = verdict
    predictions = [
        prediction_build(
            model_version=arm.model_version,
            verdict=verdicts[i],
            name1=p["name1"],
            name2=p["name2"],
            user=user,
            source=source,
            latency_ms=latency_ms,
            reference=p.get("reference", ""),
            batch=batch,
            arm=arm,
            shadow=shadows.get(i),
        )
        for i, (p, arm) in enumerate(zip(pairs, arms, strict=True))
    ]
    created = Prediction.objects.bulk_create(predictions, batch_size=500)
    for indices in by_model.values():
        model_version = arms[indices[0]].model_version
        prometheus_prediction_record(
            model_name=model_version.name,
            model_version=model_version.version,
            source=source,
            verdicts=[created[i].material for i in indices],
        )
    return created


BATCH_CHUNK_SIZE = 500


@transaction.atomic
def batch_job_create(*, user: User, pairs: Sequence[dict], filename: str = "") -> BatchJob:
    """Store a validated upload and queue its scoring once the row is committed.

    ``pairs`` must already be validated (``comparisons.forms.parse_batch_csv``): nothing here rejects a row."""
    from comparisons.tasks import batch_score_task  # the task module imports this one (the task calls the service)

    job = BatchJob(
        user=user,
        filename=filename[:255],
        total=len(pairs),
        pairs=[{"name1": p["name1"], "name2": p["name2"], "reference": p.get("reference", "")} for p in pairs],
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: batch_score_task.delay(str(job.pk)))
    return job


def batch_job_process(*, job_id: UUID | str, chunk_size: int = BATCH_CHUNK_SIZE) -> BatchJob:
    """Score a job's pairs in chunks, saving each chunk and the progress counter in one transaction.

    It resumes from ``done``, so a redelivered task (acks_late) neither loses nor duplicates a chunk."""
    job = BatchJob.objects.select_related("user").get(pk=job_id)
    if job.finished:
        return job
    job.status, job.started_at = BatchJob.Status.RUNNING, job.started_at or timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    pairs = job.pairs
    while True:
        with transaction.atomic():
            # Re-read progress under a row lock: a redelivered copy of the task running at the same time
            # continues after this chunk instead of scoring it twice.
            locked = BatchJob.objects.select_for_update().get(pk=job.pk)
            if locked.done >= locked.total:
                break
            chunk = pairs[locked.done : locked.done + chunk_size]
            prediction_create_many(user=job.user, pairs=chunk, source=Prediction.Source.BATCH, batch=locked)
            locked.done += len(chunk)
            locked.save(update_fields=["done", "updated_at"])
            prometheus_batch_rows_record(rows=len(chunk))
    job.refresh_from_db()
    job.status, job.finished_at = BatchJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    return job


def batch_job_fail(*, job_id: UUID | str, error: str) -> BatchJob:
    """Record why a job stopped; the chunks already scored stay."""
    job = BatchJob.objects.get(pk=job_id)
    job.status, job.error, job.finished_at = BatchJob.Status.FAILED, error[:5000], timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job
