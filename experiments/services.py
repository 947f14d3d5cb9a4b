"""Creating, starting and stopping experiments. Routing itself is ``experiments.routing`` (read on every compare)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from experiments.models import Experiment
from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelVersion

# Versions that cannot serve an arm: one that failed to load, or one taken out of service.
_UNSERVABLE = (ModelVersion.Status.FAILED, ModelVersion.Status.RETIRED)


def experiment_arms_check(*, model_a: ModelVersion, model_b: ModelVersion, traffic_split: float, mdd: float) -> None:
    """Refuse (ValidationError naming the field) arms and terms no experiment can run on: the service and the admin's
    form both ask here."""
    errors: dict[str, str] = {}
    if model_a.pk == model_b.pk:
        errors["model_b"] = "Arm B is the same version as arm A; an experiment compares two versions."
    elif model_a.name != model_b.name:
        errors["model_b"] = (
            f"Arm B is a version of {model_b.name!r} and arm A of {model_a.name!r}; both arms must be versions of one "
            "model name."
        )
    for field, version in (("model_a", model_a), ("model_b", model_b)):
        if version.status in _UNSERVABLE and field not in errors:
            errors[field] = f"{version.name} v{version.version} is {version.status} and cannot serve an arm."
    if not 0 < traffic_split < 1:
        errors["traffic_split"] = (
            f"The share of subjects sent to B must lie strictly between 0 and 1, not {traffic_split}."
        )
    if not 0 < mdd < 1:
        errors["minimum_detectable_difference"] = f"The minimum detectable difference must lie in (0, 1), not {mdd}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def experiment_create(
    *,
    name: str,
    model_a: ModelVersion,
    model_b: ModelVersion,
    traffic_split: float = 0.5,
    shadow: bool = False,
    minimum_detectable_difference: float = 0.05,
    description: str = "",
) -> Experiment:
    """A new experiment, not yet running. Refuses (ValidationError naming the field, nothing written) the same version
    on both arms, versions of two model names, an unservable version, a split or detectable difference outside
    (0, 1), and a name already taken."""
    experiment_arms_check(
        model_a=model_a, model_b=model_b, traffic_split=traffic_split, mdd=minimum_detectable_difference
    )
    experiment = Experiment(
        name=name,
        description=description,
        model_a=model_a,
        model_b=model_b,
        model_name=model_a.name,
        traffic_split=traffic_split,
        shadow=shadow,
        minimum_detectable_difference=minimum_detectable_difference,
    )
    experiment.full_clean()
    experiment.save()
    return experiment


@transaction.atomic
def experiment_start(*, experiment: Experiment) -> Experiment:
    """Start routing comparisons of the experiment's model name to its arms. Refused when it already runs, when it
    was stopped (an experiment is never restarted: its subjects were counted once), or when another experiment on
    the same model name runs (409; the partial unique constraint settles a race between two starts)."""
    locked = Experiment.objects.select_for_update().select_related("model_a", "model_b").get(pk=experiment.pk)
    if locked.is_active:
        raise ApplicationError(f"Experiment {locked.name!r} is already running.", status_code=409)
    if locked.ended_at is not None:
        raise ApplicationError(
            f"Experiment {locked.name!r} was stopped; start a new experiment instead of restarting it.",
            status_code=409,
        )
    experiment_arms_check(
        model_a=locked.model_a,
        model_b=locked.model_b,
        traffic_split=locked.traffic_split,
        mdd=locked.minimum_detectable_difference,
    )
    running = Experiment.objects.filter(model_name=locked.model_name, is_active=True).first()
    if running is not None:
        raise _already_running(locked.model_name, f"Experiment {running.name!r}")
    locked.is_active, locked.started_at = True, timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal leaves this transaction usable
            locked.save(update_fields=["is_active", "started_at", "updated_at"])
    except IntegrityError as exc:
        raise _already_running(locked.model_name, "Another experiment") from exc
    return locked


def _already_running(model_name: str, other: str) -> ApplicationError:
    return ApplicationError(
        f"{other} is already running on model {model_name!r}; stop it first (one running experiment per model).",
        extra={"model_name": [f"an experiment on {model_name!r} is already running"]},
        status_code=409,
    )


@transaction.atomic
def experiment_stop(*, experiment: Experiment) -> Experiment:
    """Stop routing: comparisons go back to the active version; the experiment's predictions and results stay."""
    locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if not locked.is_active:
        state = "was already stopped" if locked.ended_at is not None else "has not started"
        raise ApplicationError(f"Experiment {locked.name!r} {state}.", status_code=409)
    locked.is_active, locked.ended_at = False, timezone.now()
    locked.save(update_fields=["is_active", "ended_at", "updated_at"])
    return locked
