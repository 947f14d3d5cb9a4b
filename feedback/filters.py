import django_filters

from feedback.models import Feedback
from legalname.common.filters import BooleanFilter


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
