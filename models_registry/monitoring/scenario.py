"""A seeded week of traffic and analysts' decisions against one model version, with planted trouble, for
demonstrating and testing the monitoring round (``monitoring_scenario`` command, ``test_scenario``).

What it writes (demo data, in the real tables):

- **Predictions**: ``per_day`` generated pairs a day (``comparisons.engine.datagen.generate_pairs``, a seed per day),
  scored by the version's real comparator (``compare_many``, stored as ``comparisons.services`` stores a verdict:
  probability, verdict, confidence, reasons, normalised names), ``created_at`` spread at random over the day.
- **Decisions**: an ``audit_share`` of each day's predictions is decided as an audit draw (``Feedback.audit``), and
  a further ``review_share`` as ordinary (non-audit) reviews. The analyst's label is the model's verdict, flipped
  with probability ``error_rate`` (the model's planted error), ``bad_day_error_rate`` on ``bad_day``.
- **Drift**: from ``drift_from_day`` on, the second name of every pair gains a holding's words and a legal form
  (``"<name> Holdings GmbH"``, the shift ``test_drift`` measures): longer names, less alike, more often MATERIAL.

Deterministic for a seed (``random.Random(seed)`` and the generator's own seeds). Rows are bulk-inserted; since
``created_at`` is ``auto_now_add``, the planted times are written afterwards with one ``bulk_update`` per table.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from comparisons.engine import Comparator
from comparisons.engine.datagen import generate_pairs
from comparisons.models import Prediction
from comparisons.services import prediction_build
from feedback.models import Feedback
from models_registry.models import ModelVersion
from models_registry.serving import load_comparator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BAD_DAY = 5
DRIFT_FROM_DAY = 6
DRIFT_SUFFIX = " Holdings GmbH"


def scenario_pairs(*, day: int, n: int, seed: int, drifted: bool) -> list[tuple[str, str]]:
    """The pairs of one day: fresh generated pairs (a seed per day), shifted when ``drifted``."""
    pairs = [(a, b) for a, b, _ in generate_pairs(n=n, seed=seed * 1000 + day)]
    if drifted:
        pairs = [(a, f"{b}{DRIFT_SUFFIX}") for a, b in pairs]
    return pairs


def _day_predictions(
    *,
    comparator: Comparator,
    model_version: ModelVersion,
    user: User,
    pairs: Sequence[tuple[str, str]],
) -> list[Prediction]:
    verdicts = comparator.compare_many(pairs)
    return [
        prediction_build(
            model_version=model_version, verdict=v, name1=a, name2=b, user=user, source=Prediction.Source.API
        )
        for (a, b), v in zip(pairs, verdicts, strict=True)
    ]


@transaction.atomic
def monitoring_scenario_generate(
    *,
    model_version: ModelVersion,
    user: User,
    start: datetime,
    days: int = 7,
    per_day: int = 300,
    seed: int = 0,
    comparator: Comparator | None = None,
    audit_share: float = 0.25,
    review_share: float = 0.1,
    error_rate: float = 0.04,
    bad_day: int = BAD_DAY,
    bad_day_error_rate: float = 0.4,
    drift_from_day: int = DRIFT_FROM_DAY,
) -> dict[str, Any]:
    """Write ``days`` days of predictions and decisions from ``start`` (day 1 is ``[start, start + 1 day)``), with
    ``bad_day``'s decisions disagreeing with the model far more often and the inputs drifting from
    ``drift_from_day`` on (see the module docstring). ``comparator`` defaults to the version's own artifact.

    Returns per day (1-based, as strings): ``{"start", "predictions", "audit", "reviews", "audit_wrong",
    "audit_accuracy", "drifted"}``, plus the totals."""
    if timezone.is_naive(start):
        raise ValueError("start must be an aware datetime")
    comparator = comparator or load_comparator(model_version.artifact_path)
    rng = random.Random(seed)
    summary: dict[str, Any] = {"days": {}}
    all_predictions: list[Prediction] = []
    all_feedback: list[Feedback] = []
    for day in range(1, days + 1):
        day_start = start + timedelta(days=day - 1)
        drifted = day >= drift_from_day
        pairs = scenario_pairs(day=day, n=per_day, seed=seed, drifted=drifted)
        predictions = Prediction.objects.bulk_create(
            _day_predictions(comparator=comparator, model_version=model_version, user=user, pairs=pairs),
            batch_size=500,
        )
        times = sorted(day_start + timedelta(seconds=rng.uniform(0, 86_400 - 1)) for _ in predictions)
        wrong_rate = bad_day_error_rate if day == bad_day else error_rate
        feedback: list[Feedback] = []
        audit = audit_wrong = reviews = 0
        for prediction, at in zip(predictions, times, strict=True):
            prediction.created_at = at
            draw = rng.random()
            if draw >= audit_share + review_share:
                continue
            is_audit = draw < audit_share
            wrong = rng.random() < wrong_rate
            audit += is_audit
            audit_wrong += is_audit and wrong
            reviews += not is_audit
            decision = Feedback(
                prediction=prediction,
                user=user,
                user_correction=(not prediction.material) if wrong else prediction.material,
                audit=is_audit,
            )
            # decided a little later, never before the verdict
            decision.created_at = at + timedelta(minutes=rng.uniform(1, 120))
            feedback.append(decision)
        times_by_feedback = [f.created_at for f in feedback]
        feedback = Feedback.objects.bulk_create(feedback, batch_size=500)
        for decision, at in zip(feedback, times_by_feedback, strict=True):
            decision.created_at = at  # auto_now_add overwrote it on insert
        all_predictions += predictions
        all_feedback += feedback
        summary["days"][str(day)] = {
            "start": day_start.isoformat(),
            "predictions": len(predictions),
            "audit": audit,
            "reviews": reviews,
            "audit_wrong": audit_wrong,
            "audit_accuracy": round(1 - audit_wrong / audit, 4) if audit else None,
            "drifted": drifted,
        }
    # created_at is auto_now_add: the planted times are written in one UPDATE ... CASE per batch
    Prediction.objects.bulk_update(all_predictions, ["created_at"], batch_size=1000)
    Feedback.objects.bulk_update(all_feedback, ["created_at"], batch_size=1000)
    summary["predictions"] = len(all_predictions)
    summary["feedback"] = len(all_feedback)
    return summary
