import django_filters

from models_registry.models import ModelVersion


class ModelVersionFilter(django_filters.FilterSet):
    """Filters of the model version list; the API and the selector both use it."""

    name = django_filters.CharFilter()
    is_active = django_filters.BooleanFilter()
    status = django_filters.ChoiceFilter(choices=ModelVersion.Status.choices)

    class Meta:
        model = ModelVersion
        fields = ["name", "is_active", "status"]
