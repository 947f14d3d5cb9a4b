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
