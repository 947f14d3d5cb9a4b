import django_filters
from django.db.models import Q, QuerySet

from comparisons.models import Prediction, prediction_reviewed
from feedback.models import Feedback
from legalname.common.filters import BooleanFilter, QueryBooleanSelect


class FeedbackFilter(django_filters.FilterSet):
    """Filters of the feedback API and of an analyst's own decision list; ``feedback_list`` applies them."""

    prediction = django_filters.UUIDFilter(field_name="prediction_id", help_text="id of the prediction decided on")
    processed = BooleanFilter(help_text="whether a training run has used it")
    user = django_filters.CharFilter(field_name="user__username", help_text="username of the analyst")
    date_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", help_text="decided on or after this day"
    )
    date_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", help_text="decided on or before this day"
    )

    class Meta:
        model = Feedback
        fields: list[str] = []  # every filter is declared above


def _filter_reviewed(queryset: QuerySet[Prediction], name: str, value: bool | None) -> QuerySet[Prediction]:
    if value is None:
        return queryset
    reviewed = prediction_reviewed()
    return queryset.filter(reviewed if value else ~reviewed)


class DecisionFilter(django_filters.FilterSet):
    """The analyst's own decisions page: a date range. The page renders ``filter.form``."""

    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From")
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To")

    class Meta:
        model = Feedback
        fields: list[str] = []


class HistoryFilter(django_filters.FilterSet):
    """The analyst's history page (their own predictions): search by name, date range, verdict, reviewed, source.

    The page renders ``filter.form``; the labels and "any" choices below are what the analyst reads."""

    q = django_filters.CharFilter(method="filter_q", label="Name", help_text="part of either name, any case")
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From")
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To")
    material = BooleanFilter(label="Material difference")
    reviewed = BooleanFilter(
        method=_filter_reviewed, label="Reviewed", widget=QueryBooleanSelect(labels=("any", "reviewed", "not reviewed"))
    )
    source = django_filters.ChoiceFilter(choices=Prediction.Source.choices, label="Source", empty_label="any")

    class Meta:
        model = Prediction
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Prediction], name: str, value: str) -> QuerySet[Prediction]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name1__icontains=value) | Q(name2__icontains=value))
