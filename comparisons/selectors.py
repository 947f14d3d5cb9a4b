from django.db.models import Exists, OuterRef, QuerySet

from comparisons.filters import PredictionFilter
from comparisons.models import Prediction
from feedback.models import Feedback


def prediction_list(*, filters: dict | None = None, user=None) -> QuerySet[Prediction]:
    qs = Prediction.objects.select_related("model_version", "user").annotate(
        reviewed=Exists(Feedback.objects.filter(prediction=OuterRef("pk")))
    )
    if user is not None:
        qs = qs.filter(user=user)
    return PredictionFilter(filters or {}, qs).qs


def prediction_get(*, prediction_id) -> Prediction | None:
    return Prediction.objects.select_related("model_version", "user").filter(pk=prediction_id).first()
