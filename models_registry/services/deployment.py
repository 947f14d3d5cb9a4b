"""Switching the serving model: activate, roll back, retire. Every switch is recorded in ModelDeployment."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelDeployment, ModelVersion


@transaction.atomic
def model_version_activate(*, model_version: ModelVersion, user=None, reason: str = "",
                           action: str = ModelDeployment.Action.ACTIVATE) -> ModelVersion:
    """Make ``model_version`` the active (champion) version of its model name.

    The model must load and answer first; the database flag and the MLflow ``champion`` alias move together
    (an MLflow failure rolls the database back)."""
    from models_registry.services.mlflow_registry import mlflow_alias_set
    from models_registry.serving import ModelLoadError, load_comparator

    version = ModelVersion.objects.select_for_update().get(pk=model_version.pk)
    if version.status == ModelVersion.Status.RETIRED:
        raise ApplicationError(f"{version} is retired; it cannot be activated")
    try:
        load_comparator(version.artifact_path)
    except ModelLoadError as exc:
        ModelVersion.objects.filter(pk=version.pk).update(status=ModelVersion.Status.FAILED)
        raise ApplicationError(f"{version} refused: {exc}") from exc
    previous = ModelVersion.objects.select_for_update().filter(name=version.name, is_active=True).first()
    if previous and previous.pk == version.pk:
        raise ApplicationError(f"{version} is already active")
    if previous:
        previous.is_active = False
        previous.save(update_fields=["is_active", "updated_at"])
    version.is_active, version.activated_at = True, timezone.now()
    version.status = ModelVersion.Status.REGISTERED
    version.save(update_fields=["is_active", "activated_at", "status", "updated_at"])
    deployment = ModelDeployment(model_name=version.name, action=action, from_version=previous, to_version=version,
                                 user=user, reason=reason)
    deployment.full_clean()
    deployment.save()
    try:
        mlflow_alias_set(model_name=version.name, alias="champion", model_uri=version.model_uri)
    except Exception as exc:
        raise ApplicationError(f"MLflow alias could not be moved, nothing changed: {exc}") from exc
    return version


def model_version_rollback(*, model_name: str, user=None, reason: str = "") -> ModelVersion:
    """Re-activate the version that was active before the current one."""
    last = (
        ModelDeployment.objects.filter(model_name=model_name, to_version__is_active=True)
        .exclude(from_version=None)
        .select_related("from_version")
        .order_by("-created_at")
        .first()
    )
    if last is None:
        raise ApplicationError(f"{model_name}: there is no previous version to roll back to")
    return model_version_activate(model_version=last.from_version, user=user, reason=reason or "rollback",
                                  action=ModelDeployment.Action.ROLLBACK)


@transaction.atomic
def model_version_retire(*, model_version: ModelVersion, user=None, reason: str = "") -> ModelVersion:
    version = ModelVersion.objects.select_for_update().get(pk=model_version.pk)
    if version.is_active:
        raise ApplicationError(f"{version} is active: activate another version before retiring it")
    version.status = ModelVersion.Status.RETIRED
    version.save(update_fields=["status", "updated_at"])
    ModelDeployment.objects.create(model_name=version.name, action=ModelDeployment.Action.RETIRE,
                                   from_version=version, to_version=None, user=user, reason=reason)
    return version
