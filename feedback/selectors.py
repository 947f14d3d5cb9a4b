from __future__ import annotations

import random
from collections.abc import Iterable
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from comparisons.models import Prediction, prediction_reviewed
from feedback.filters import DecisionFilter, FeedbackFilter, HistoryFilter
from feedback.models import DECISION_ORDER, Feedback
from legalname.common.filters import filterset_apply

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _latest_per_prediction() -> Subquery:
    latest = Feedback.objects.filter(prediction=OuterRef("prediction")).order_by(*DECISION_ORDER).values("pk")[:1]
    return Subquery(latest)


def feedback_latest_list() -> QuerySet[Feedback]:
    """The decision in force for each reviewed prediction (later rows supersede earlier ones)."""
    return Feedback.objects.filter(pk=_latest_per_prediction()).select_related("prediction", "user")


def feedback_decisive_q() -> Q:
    """A decision is decisive unless its analyst stated a certainty below LEGALNAME_TRAINING_MIN_DECISION_CONFIDENCE."""
    return Q(confidence_score__isnull=True) | Q(
        confidence_score__gte=settings.LEGALNAME_TRAINING_MIN_DECISION_CONFIDENCE
    )


def feedback_for_training_list() -> QuerySet[Feedback]:
    """What the next training uses (and the feedback-volume trigger counts): the decision in force on each
    prediction (one per prediction), not yet processed by a training, decisive, and not held out for the promotion
    gate."""
    return feedback_latest_list().filter(feedback_decisive_q(), processed=False, holdout=False).order_by("created_at")


def feedback_holdout_list() -> QuerySet[Feedback]:
    """The promotion gate's frozen decisions: the decision in force on each held-out prediction (never trained on)."""
    return feedback_latest_list().filter(feedback_decisive_q(), holdout=True).order_by("created_at", "pk")


def feedback_list(*, filters: dict | None = None) -> QuerySet[Feedback]:
    """Decisions, newest first, filtered by the query ``filters`` (FeedbackFilter); a bad value raises
    ValidationError."""
    qs = Feedback.objects.select_related("prediction", "user").order_by("-created_at", "-pk")
    return filterset_apply(filterset_class=FeedbackFilter, data=filters, queryset=qs)


def review_queue_list(*, exclude_ids: Iterable = ()) -> QuerySet[Prediction]:
    """Predictions nobody has decided on yet (any analyst's, any source), least certain first."""
    qs = Prediction.objects.filter(~prediction_reviewed())
    if exclude_ids:
        qs = qs.exclude(pk__in=list(exclude_ids))
    return qs.select_related("model_version", "user").order_by("confidence", "created_at", "pk")


def review_queue_next(
    *, exclude_ids: Iterable = (), audit_share: float | None = None, rng: random.Random | None = None
) -> tuple[Prediction | None, bool]:
    """The next prediction to review and whether it is an audit item.

    With probability ``audit_share`` (LEGALNAME_REVIEW_AUDIT_SHARE) the item is drawn uniformly from all unreviewed
    predictions, so that accuracy measured from feedback is not biased towards the uncertain ones; otherwise it is
    the least certain one."""
    share = settings.LEGALNAME_REVIEW_AUDIT_SHARE if audit_share is None else audit_share
    rng = rng or random.SystemRandom()
    qs = review_queue_list(exclude_ids=exclude_ids)
    if share > 0 and rng.random() < share:
        count = qs.count()
        if count:
            # another analyst may decide items between the count and the fetch: never index past the end
            drawn = qs.order_by("pk")[rng.randrange(count) :].first()
            if drawn is not None:
                return drawn, True
        return qs.first(), False
    return qs.first(), False


def feedback_latest_for_prediction(*, prediction_id: UUID | str) -> Feedback | None:
    """The decision in force on one prediction (None when nobody decided yet)."""
    return Feedback.objects.filter(prediction_id=prediction_id).select_related("user").order_by(*DECISION_ORDER).first()


def feedback_count_today(*, user: User) -> int:
    """How many decisions the user recorded since local midnight."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Feedback.objects.filter(user=user, created_at__gte=midnight).count()


def feedback_user_list(*, user: User, filters: dict | None = None) -> QuerySet[Feedback]:
    """The user's own decisions, newest first, with their predictions, filtered by the query ``filters``
    (DecisionFilter); a bad value raises ValidationError."""
    qs = Feedback.objects.filter(user=user).select_related("prediction", "prediction__model_version")
    return filterset_apply(filterset_class=DecisionFilter, data=filters, queryset=qs.order_by("-created_at", "-pk"))


def prediction_history_list(*, user: User, filters: dict | None = None) -> QuerySet[Prediction]:
    """The analyst's own predictions, newest first, each with the decision in force (None when unreviewed),
    filtered by the query ``filters`` (HistoryFilter); a bad value raises ValidationError."""
    latest = Feedback.objects.filter(prediction=OuterRef("pk")).order_by(*DECISION_ORDER)
    qs = (
        Prediction.objects.filter(user=user)
        .select_related("model_version", "user")
        .annotate(
            decision=Subquery(latest.values("user_correction")[:1]),
            decided_by=Subquery(latest.values("user__username")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
    return filterset_apply(filterset_class=HistoryFilter, data=filters, queryset=qs)
