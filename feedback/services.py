from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from feedback.models import Feedback
from legalname.common.metrics import prometheus_feedback_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from comparisons.models import Prediction
    from models_registry.models import TrainingRun


@transaction.atomic
def feedback_create(
    *,
    prediction: Prediction,
    user: User,
    user_correction: bool,
    feedback_text: str = "",
    confidence_score: float | None = None,
    audit: bool = False,
) -> Feedback:
    """Record one decision; earlier decisions on the same prediction stay, superseded. ``audit``: the item was
    drawn at random by the review queue's audit slice (what unbiased monitoring measures)."""
    feedback = Feedback(
        prediction=prediction,
        user=user,
        user_correction=user_correction,
        feedback_text=feedback_text or "",
        confidence_score=confidence_score,
        audit=audit,
    )
    feedback.full_clean()
    feedback.save()
    prometheus_feedback_record(agree=user_correction == prediction.material)
    return feedback


def feedback_mark_processed(*, feedback_ids: list, training_run: TrainingRun) -> int:
    """Mark the decisions a training used (only those not marked yet); returns how many."""
    return Feedback.objects.filter(pk__in=feedback_ids, processed=False).update(
        processed=True, processed_at=timezone.now(), training_run=training_run
    )
