from django.conf import settings
from django.db.models import Prefetch, QuerySet

from legalname.common.filters import filterset_apply
from models_registry.filters import ModelVersionFilter
from models_registry.models import ModelDeployment, ModelMetric, ModelVersion


def model_version_active_get(*, name: str | None = None) -> ModelVersion | None:
    return ModelVersion.objects.filter(name=name or settings.LEGALNAME_MODEL_NAME, is_active=True).first()


def model_version_get(*, version_id) -> ModelVersion | None:
    return ModelVersion.objects.select_related("created_by").filter(pk=version_id).first()


def model_version_list(*, filters: dict | None = None) -> QuerySet[ModelVersion]:
    """Versions, newest first per name, with their creator, filtered by the query ``filters`` (ModelVersionFilter);
    a bad value raises ValidationError."""
    qs = ModelVersion.objects.select_related("created_by").order_by("name", "-version")
    return filterset_apply(filterset_class=ModelVersionFilter, data=filters, queryset=qs)


def model_version_with_metric_rows_list(*, filters: dict | None = None) -> QuerySet[ModelVersion]:
    """Like ``model_version_list``, with the evaluation-set metric rows (not the monitoring windows) prefetched."""
    rows = ModelMetric.objects.filter(window_start__isnull=True).order_by("dataset", "metric_name")
    return model_version_list(filters=filters).prefetch_related(Prefetch("metric_rows", queryset=rows))


def model_name_list() -> list[str]:
    """Every model name that has a registered version (per jurisdiction or customer policy); the default first."""
    names = set(ModelVersion.objects.order_by().values_list("name", flat=True).distinct())
    return sorted(names, key=lambda n: (n != settings.LEGALNAME_MODEL_NAME, n))


def model_deployment_list(*, name: str | None = None) -> QuerySet[ModelDeployment]:
    qs = ModelDeployment.objects.select_related("from_version", "to_version", "user")
    return qs.filter(model_name=name) if name else qs
