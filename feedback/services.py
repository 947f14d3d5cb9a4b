from django.db import transaction
from django.utils import timezone

from feedback.models import Feedback


@transaction.atomic
def feedback_create(*, prediction, user, user_correction: bool, feedback_text: str = "",
                    confidence_score: float | None = None) -> Feedback:
    """Record one decision; earlier decisions on the same prediction stay, superseded."""
    feedback = Feedback(
        prediction=prediction, user=user, user_correction=user_correction, feedback_text=feedback_text or "",
        confidence_score=confidence_score,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def feedback_mark_processed(*, feedback_ids: list, training_run) -> int:
    return Feedback.objects.filter(pk__in=feedback_ids, processed=False).update(
        processed=True, processed_at=timezone.now(), training_run=training_run
    )
