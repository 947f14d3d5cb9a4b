"""Scoring pairs and storing the predictions. Every verdict is stored with its model version, user, latency and source."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.db import transaction

from comparisons.models import Prediction
from legalname.common.exceptions import ApplicationError
from models_registry.serving import ServedModel, model_server

MAX_NAME_LENGTH = 500


def _served(model_version_id=None) -> ServedModel:
    served = model_server.get(model_version_id) if model_version_id else model_server.current()
    if served is None:
        raise ApplicationError("No active model is loaded; an admin must train or activate one.", status_code=503)
    return served


def _prediction(*, served: ServedModel, verdict, name1: str, name2: str, user, source: str, latency_ms: float,
                reference: str = "") -> Prediction:
    return Prediction(
        user=user, model_version_id=served.version_id, name1=name1, name2=name2,
        normalized1=verdict.normalized[0][:1000], normalized2=verdict.normalized[1][:1000],
        material=bool(verdict.material), probability_material=float(verdict.probability_material),
        confidence=float(verdict.confidence), reasons=list(verdict.reasons), latency_ms=latency_ms, source=source,
        reference=reference or "",
    )


def prediction_create(*, user, name1: str, name2: str, source: str = Prediction.Source.WEB,
                      model_version_id=None) -> Prediction:
    """Score one pair with the active model (or the named version) and store the prediction."""
    started = time.perf_counter()
    served = _served(model_version_id)
    verdict = served.comparator.compare(name1, name2)
    latency_ms = (time.perf_counter() - started) * 1000
    prediction = _prediction(served=served, verdict=verdict, name1=name1, name2=name2, user=user, source=source,
                             latency_ms=latency_ms)
    prediction.full_clean()
    prediction.save()
    return prediction


@transaction.atomic
def prediction_create_many(*, user, pairs: Sequence[dict], source: str = Prediction.Source.BATCH,
                           model_version_id=None) -> list[Prediction]:
    """Score many pairs in one vectorised call and store them with one bulk insert, in input order.

    ``pairs`` holds dicts with ``name1``, ``name2`` and an optional ``reference``."""
    if not pairs:
        return []
    started = time.perf_counter()
    served = _served(model_version_id)
    verdicts = served.comparator.compare_many([(p["name1"], p["name2"]) for p in pairs])
    latency_ms = (time.perf_counter() - started) * 1000 / len(pairs)
    predictions = [
        _prediction(served=served, verdict=v, name1=p["name1"], name2=p["name2"], user=user, source=source,
                    latency_ms=latency_ms, reference=p.get("reference", ""))
        for p, v in zip(pairs, verdicts, strict=True)
    ]
    return Prediction.objects.bulk_create(predictions, batch_size=500)
