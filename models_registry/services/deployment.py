"""Switching the serving model: activate, roll back, retire, mark a challenger. Every switch is in ModelDeployment.

The database and MLflow move together: each service changes the rows inside one transaction and moves the MLflow
alias last, still inside it, so an MLflow failure raises and rolls the rows back (nothing changed anywhere). When a
switch makes two MLflow calls and the second fails, the first (the champion alias) is moved back before re-raising.

Two switches of the same model name at once serialise on a lock of all its version rows; should the database still
refuse one (the one-active-per-name constraint), it becomes a 409 ApplicationError, never a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, Final
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelDeployment, ModelVersion
from models_registry.selectors import model_version_active_get, model_version_rollback_target_get
from models_registry.services.mlflow_registry import CHALLENGER, CHAMPION, mlflow_alias_delete, mlflow_alias_set
from models_registry.serving import ModelLoadError, load_comparator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


class _Unchecked(Enum):
    UNCHECKED = "unchecked"


# ``replacing`` left out: the switch replaces whatever is active (an admin's explicit choice), without a comparison.
_UNCHECKED: Final = _Unchecked.UNCHECKED


def _record(
    *,
    version_name: str,
    action: str,
    from_version: ModelVersion | None,
    to_version: ModelVersion | None,
    user: User | None,
    reason: str,
) -> ModelDeployment:
    deployment = ModelDeployment(
        model_name=version_name,
        action=action,
        from_version=from_version,
        to_version=to_version,
        user=user,
        reason=reason,
    )
    deployment.full_clean()
    deployment.save()
    return deployment


def _mlflow(call: Callable[..., Any], **kwargs: Any) -> None:
    try:
        call(**kwargs)
    except Exception as exc:  # any MLflow or store error: the caller's transaction must roll back
        logger.error("MLflow alias change failed (%s): %s", kwargs, exc)
        raise ApplicationError(
            f"MLflow alias could not be moved, nothing changed: {type(exc).__name__}: {exc}", status_code=502
        ) from exc


def model_version_activate(
    *,
    model_version: ModelVersion,
    user: User | None = None,
    reason: str = "",
    action: str = ModelDeployment.Action.ACTIVATE,
    replacing: ModelVersion | None | _Unchecked = _UNCHECKED,
) -> ModelVersion:
    """Make ``model_version`` the active (champion) version of its model name.

    The model must load and answer first: a broken one is refused, marked FAILED (that mark stays), and the
    current version keeps serving. Then the flag, the history row and the MLflow ``champion`` alias move together.

    ``replacing``: the version the caller saw active and chose this one against (a rollback, the promotion gate),
    or None when it saw none active; should another switch have happened since, nothing changes and the answer is a
    409. The comparison is made in the switch, under its lock, so nothing can slip in between. Left out, the switch
    replaces whatever is active."""
    version = ModelVersion.objects.get(pk=model_version.pk)
    if version.status == ModelVersion.Status.RETIRED:
        raise ApplicationError(f"{version} is retired; it cannot be activated")
    if version.is_active:
        if replacing is not _UNCHECKED:
            raise _switched_meanwhile(version.name)
        raise ApplicationError(f"{version} is already active")
    try:
        load_comparator(version.artifact_path)
    except ModelLoadError as exc:
        # Outside the switch's transaction on purpose: the refusal is recorded even though nothing switches.
        ModelVersion.objects.filter(pk=version.pk).update(
            status=ModelVersion.Status.FAILED, status_detail=str(exc), updated_at=timezone.now()
        )
        logger.error("activation of %s refused: %s", version, exc)
        raise ApplicationError(f"{version} refused, the active version keeps serving: {exc}") from exc
    try:
        return _switch(
            version_id=version.pk,
            user=user,
            reason=reason,
            action=action,
            replacing_id=replacing.pk if isinstance(replacing, ModelVersion) else replacing,
        )
    except IntegrityError as exc:
        # Another switch of the same model name won the race (the one-active-per-name constraint refused this one).
        logger.warning("activation of %s refused by the database: %s", version, exc)
        raise ApplicationError(
            f"{version.name} is being switched by someone else; nothing changed, try again", status_code=409
        ) from exc


def _switched_meanwhile(model_name: str) -> ApplicationError:
    return ApplicationError(
        f"{model_name} was switched by someone else meanwhile; nothing changed, look again and retry", status_code=409
    )


def _champion_restore(*, model_name: str, previous: ModelVersion | None) -> None:
    """Best effort: point ``champion`` back at ``previous`` (or remove it) after a later MLflow call failed."""
    try:
        if previous is not None:
            mlflow_alias_set(model_name=model_name, alias=CHAMPION, model_uri=previous.model_uri)
        else:
            mlflow_alias_delete(model_name=model_name, alias=CHAMPION)
    except Exception:
        logger.exception(
            "MLflow champion alias of %s could not be restored to %s: fix it by hand", model_name, previous
        )


@transaction.atomic
def _switch(
    *,
    version_id: UUID,
    user: User | None,
    reason: str,
    action: str,
    replacing_id: UUID | None | _Unchecked = _UNCHECKED,
) -> ModelVersion:
    name = ModelVersion.objects.values_list("name", flat=True).get(pk=version_id)
    # Lock every version of this model name, in one order (pk), before reading which one is active: two switches of
    # the same name then run one after the other instead of both deactivating the same old version.
    siblings = list(ModelVersion.objects.select_for_update().filter(name=name).order_by("pk"))
    version = next(v for v in siblings if v.pk == version_id)
    if version.is_active:
        if replacing_id is not _UNCHECKED:
            raise _switched_meanwhile(name)
        raise ApplicationError(f"{version} is already active")
    previous = next((v for v in siblings if v.is_active), None)
    if replacing_id is not _UNCHECKED and replacing_id != (previous.pk if previous is not None else None):
        raise _switched_meanwhile(name)
    if previous:
        previous.is_active = False
        previous.save(update_fields=["is_active", "updated_at"])
    was_challenger = version.status == ModelVersion.Status.CHALLENGER
    version.is_active, version.activated_at = True, timezone.now()
    version.status, version.status_detail = ModelVersion.Status.REGISTERED, ""
    version.full_clean()
    version.save(update_fields=["is_active", "activated_at", "status", "status_detail", "updated_at"])
    _record(
        version_name=version.name, action=action, from_version=previous, to_version=version, user=user, reason=reason
    )
    _mlflow(mlflow_alias_set, model_name=version.name, alias=CHAMPION, model_uri=version.model_uri)
    if was_challenger:
        try:
            _mlflow(mlflow_alias_delete, model_name=version.name, alias=CHALLENGER, model_uri=version.model_uri)
        except ApplicationError:
            # The champion alias already moved: move it back so that neither MLflow nor the database changed.
            _champion_restore(model_name=version.name, previous=previous)
            raise
    logger.info("%s: %s -> %s by %s (%s)", action, previous, version, user, reason)
    return version


def model_version_rollback(*, model_name: str, user: User | None = None, reason: str = "") -> ModelVersion:
    """Go back: re-activate the most recent version that was active before the current one and has not been rolled
    back from (``model_version_rollback_target_get``). A second rollback goes further back, never forward to the
    version just left; with nowhere to go it is a 400 saying why, and a switch by someone else meanwhile is a 409."""
    current = model_version_active_get(name=model_name)
    if current is None:
        raise ApplicationError(f"{model_name}: no version is active, so there is nothing to roll back from")
    target = model_version_rollback_target_get(model_name=model_name)
    if target is None:
        raise ApplicationError(
            f"{model_name}: there is no previous version to roll back to (v{current.version} is active; every "
            "version active before it was rolled back from, retired or failed to load); activate one instead"
        )
    return model_version_activate(
        model_version=target,
        user=user,
        reason=reason or "rollback",
        action=ModelDeployment.Action.ROLLBACK,
        replacing=current,
    )


@transaction.atomic
def model_version_retire(*, model_version: ModelVersion, user: User | None = None, reason: str = "") -> ModelVersion:
    """Take a version out of use for good (it stays in the registry and in the history)."""
    version = ModelVersion.objects.select_for_update().get(pk=model_version.pk)
    if version.is_active:
        raise ApplicationError(f"{version} is active: activate another version before retiring it")
    if version.status == ModelVersion.Status.RETIRED:
        raise ApplicationError(f"{version} is already retired")
    was_challenger = version.status == ModelVersion.Status.CHALLENGER
    version.status = ModelVersion.Status.RETIRED
    version.save(update_fields=["status", "updated_at"])
    _record(
        version_name=version.name,
        action=ModelDeployment.Action.RETIRE,
        from_version=version,
        to_version=None,
        user=user,
        reason=reason,
    )
    if was_challenger:
        _mlflow(mlflow_alias_delete, model_name=version.name, alias=CHALLENGER, model_uri=version.model_uri)
    return version


@transaction.atomic
def model_version_challenger_set(
    *, model_version: ModelVersion, user: User | None = None, reason: str = ""
) -> ModelVersion:
    """Mark a version as the candidate under test: its status and the MLflow ``challenger`` alias move together.

    One challenger per model name: the previous one goes back to REGISTERED."""
    version = ModelVersion.objects.select_for_update().get(pk=model_version.pk)
    if version.is_active:
        raise ApplicationError(f"{version} is active (the champion); it cannot also be the challenger")
    if version.status in (ModelVersion.Status.RETIRED, ModelVersion.Status.FAILED):
        raise ApplicationError(f"{version} is {version.get_status_display().lower()}; it cannot be the challenger")
    if version.status == ModelVersion.Status.CHALLENGER:
        raise ApplicationError(f"{version} is already the challenger")
    previous = (
        ModelVersion.objects.select_for_update()
        .filter(name=version.name, status=ModelVersion.Status.CHALLENGER)
        .exclude(pk=version.pk)
        .first()
    )
    if previous:
        previous.status = ModelVersion.Status.REGISTERED
        previous.save(update_fields=["status", "updated_at"])
    version.status = ModelVersion.Status.CHALLENGER
    version.save(update_fields=["status", "updated_at"])
    _record(
        version_name=version.name,
        action=ModelDeployment.Action.CHALLENGER,
        from_version=previous,
        to_version=version,
        user=user,
        reason=reason,
    )
    _mlflow(mlflow_alias_set, model_name=version.name, alias=CHALLENGER, model_uri=version.model_uri)
    return version
