"""Scoring pairs and storing the predictions. Every verdict is stored with its model version, user, latency and source."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from comparisons.models import BatchJob, Prediction
from legalname.common.exceptions import ApplicationError
from legalname.common.metrics import (
    prometheus_batch_rows_record,
    prometheus_compare_latency_record,
    prometheus_prediction_record,
)
from models_registry.models import ModelVersion
from models_registry.serving import ServedModel, model_server

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from comparisons.engine import Verdict


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
) -> Prediction:
    """The row a verdict becomes (unsaved): the one place that maps the engine's Verdict onto a Prediction."""
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
    )


def prediction_create(
    *,
    user: User,
    name1: str,
    name2: str,
    source: str = Prediction.Source.WEB,
    model_version_id: UUID | str | None = None,
    model_name: str | None = None,
) -> Prediction:
    """Score one pair with the active model (or the named version) and store the prediction."""
    started = time.perf_counter()
    served = _served(model_version_id, model_name)
    verdict = served.comparator.compare(name1, name2)
    latency_ms = (time.perf_counter() - started) * 1000
    model_version = ModelVersion.objects.get(pk=served.version_id)
    prediction = prediction_build(
        model_version=model_version,
        verdict=verdict,
        name1=name1,
        name2=name2,
        user=user,
        source=source,
        latency_ms=latency_ms,
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
    """Score many pairs in one vectorised call and store them with one bulk insert, in input order.

    ``pairs`` holds dicts with ``name1``, ``name2`` and an optional ``reference``."""
    if not pairs:
        return []
    started = time.perf_counter()
    served = _served(model_version_id, model_name)
    verdicts = served.comparator.compare_many([(p["name1"], p["name2"]) for p in pairs])
    latency_ms = (time.perf_counter() - started) * 1000 / len(pairs)
    model_version = ModelVersion.objects.get(pk=served.version_id)  # one query, shared by every row
    predictions = [
        prediction_build(
            model_version=model_version,
            verdict=v,
            name1=p["name1"],
            name2=p["name2"],
            user=user,
            source=source,
            latency_ms=latency_ms,
            reference=p.get("reference", ""),
            batch=batch,
        )
        for p, v in zip(pairs, verdicts, strict=True)
    ]
    created = Prediction.objects.bulk_create(predictions, batch_size=500)
    prometheus_prediction_record(
        model_name=model_version.name,
        model_version=model_version.version,
        source=source,
        verdicts=[p.material for p in created],
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
