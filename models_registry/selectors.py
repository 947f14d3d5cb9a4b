from django.conf import settings
from django.db.models import QuerySet

from models_registry.models import ModelDeployment, ModelVersion


def model_version_active_get(*, name: str | None = None) -> ModelVersion | None:
    return ModelVersion.objects.filter(name=name or settings.LEGALNAME_MODEL_NAME, is_active=True).first()


def model_version_list(*, name: str | None = None) -> QuerySet[ModelVersion]:
    qs = ModelVersion.objects.select_related("created_by").order_by("name", "-version")
    return qs.filter(name=name) if name else qs


def model_deployment_list(*, name: str | None = None) -> QuerySet[ModelDeployment]:
    qs = ModelDeployment.objects.select_related("from_version", "to_version", "user")
    return qs.filter(model_name=name) if name else qs
