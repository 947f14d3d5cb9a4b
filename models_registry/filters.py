import django_filters

from legalname.common.filters import BooleanFilter
from models_registry.models import ModelVersion


class ModelVersionFilter(django_filters.FilterSet):
    """Filters of the model version list; ``model_version_list`` applies them."""

    name = django_filters.CharFilter(help_text="registered model name")
    is_active = BooleanFilter(help_text="whether it is the active (serving) version of its name")
    status = django_filters.ChoiceFilter(choices=ModelVersion.Status.choices, help_text="registry status")

    class Meta:
        model = ModelVersion
        fields: list[str] = []  # every filter is declared above
