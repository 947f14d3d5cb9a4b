from django.db.models import OuterRef, QuerySet, Subquery

from feedback.models import Feedback


def _latest_per_prediction() -> Subquery:
    latest = Feedback.objects.filter(prediction=OuterRef("prediction")).order_by("-created_at", "-pk").values("pk")[:1]
    return Subquery(latest)


def feedback_latest_list() -> QuerySet[Feedback]:
    """The decision in force for each reviewed prediction (later rows supersede earlier ones)."""
    return Feedback.objects.filter(pk=_latest_per_prediction()).select_related("prediction", "user")


def feedback_for_training_list() -> QuerySet[Feedback]:
    """De-duplicated (one per prediction), latest, not yet processed feedback: what the next training uses."""
    return feedback_latest_list().filter(processed=False).order_by("created_at")


def feedback_list(*, filters: dict | None = None) -> QuerySet[Feedback]:
    filters = filters or {}
    qs = Feedback.objects.select_related("prediction", "user").order_by("-created_at")
    if "prediction" in filters:
        qs = qs.filter(prediction_id=filters["prediction"])
    if "processed" in filters:
        qs = qs.filter(processed=filters["processed"])
    if "user" in filters:
        qs = qs.filter(user__username=filters["user"])
    return qs
