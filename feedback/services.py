from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from feedback.models import Feedback
from legalname.common.metrics import prometheus_feedback_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from comparisons.models import Prediction
    from models_registry.models import TrainingRun


def prediction_in_holdout(*, prediction_id: UUID | str) -> bool:
    """Whether audit decisions on this prediction are held out of training for good (the promotion gate's frozen
    sample of decisions): a fixed share, LEGALNAME_PROMOTION_HOLDOUT_SHARE, of predictions chosen by a hash of their
    id, so that every decision on one prediction falls on the same side and the choice never changes."""
    digest = hashlib.sha256(str(prediction_id).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < settings.LEGALNAME_PROMOTION_HOLDOUT_SHARE


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
    drawn at random by the review queue's audit slice (what unbiased monitoring measures). An audit decision on a
    prediction of the held-out share is never trained on (``prediction_in_holdout``)."""
    feedback = Feedback(
        prediction=prediction,
        user=user,
        user_correction=user_correction,
        feedback_text=feedback_text or "",
        confidence_score=confidence_score,
        audit=audit,
        holdout=audit and prediction_in_holdout(prediction_id=prediction.pk),
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
