import django_filters

from comparisons.models import Prediction
from feedback.selectors import prediction_reviewed


class PredictionFilter(django_filters.FilterSet):
    """Filters shared by the predictions API and the analysts' history page."""

    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    material = django_filters.BooleanFilter()
    model_version = django_filters.UUIDFilter(field_name="model_version_id")
    user = django_filters.CharFilter(field_name="user__username")
    source = django_filters.ChoiceFilter(choices=Prediction.Source.choices)
    reviewed = django_filters.BooleanFilter(method="filter_reviewed")

    class Meta:
        model = Prediction
        fields = ["material", "model_version", "user", "source"]

    def filter_reviewed(self, queryset, name, value):
        reviewed = prediction_reviewed()
        return queryset.filter(reviewed if value else ~reviewed)
