import django_filters
from django.db.models import QuerySet

from comparisons.models import Prediction, prediction_reviewed
from legalname.common.filters import BooleanFilter


def _filter_reviewed(queryset: QuerySet[Prediction], name: str, value: bool | None) -> QuerySet[Prediction]:
    if value is None:
        return queryset
    reviewed = prediction_reviewed()
    return queryset.filter(reviewed if value else ~reviewed)


class PredictionFilter(django_filters.FilterSet):
    """Filters of the predictions API; ``prediction_list`` applies them."""

    created_after = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="made at or after this instant (ISO 8601)"
    )
    created_before = django_filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text="made before this instant (ISO 8601)"
    )
    date_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", help_text="made on or after this day"
    )
    date_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", help_text="made on or before this day"
    )
    material = BooleanFilter(help_text="the verdict: true = MATERIAL, false = IMMATERIAL")
    model_version = django_filters.UUIDFilter(field_name="model_version_id", help_text="id of the model version")
    user = django_filters.CharFilter(field_name="user__username", help_text="username of who asked")
    source = django_filters.ChoiceFilter(choices=Prediction.Source.choices, help_text="where the pair came from")
    reviewed = BooleanFilter(method=_filter_reviewed, help_text="whether an analyst has decided on it")

    class Meta:
        model = Prediction
        fields: list[str] = []  # every filter is declared above
