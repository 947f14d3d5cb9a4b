"""The promotion gate: a newly trained version becomes active only if it beats the active one on a frozen evaluation
set (LEGALNAME_PROMOTION_DATASET / LEGALNAME_PROMOTION_METRIC, measured at training and read from ModelMetric).

One policy for every caller: the ``train_model`` command, and the training task that runs the admin's and the
nightly schedule's runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelVersion, TrainingRun
from models_registry.selectors import model_version_active_get, model_version_metrics
from models_registry.services.deployment import model_version_activate

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PromotionDecision:
    """What the gate did with a candidate: ``promoted`` and the sentence that says why (for people and the run row)."""

    promoted: bool
    detail: str
    candidate_score: float | None = None
    active_score: float | None = None


def _score(version: ModelVersion) -> float | None:
    return (
        model_version_metrics(model_version=version)
        .get(settings.LEGALNAME_PROMOTION_DATASET, {})
        .get(settings.LEGALNAME_PROMOTION_METRIC)
    )


def model_version_promote_if_better(
    *, candidate: ModelVersion, user: User | None = None, reason: str = ""
) -> PromotionDecision:
    """Activate ``candidate`` when no version of its name is active, or when it scores strictly higher than the
    active one; otherwise leave the active version serving. A candidate that cannot be compared (the gate's metric
    is missing on either side) is not activated: an admin decides.

    The switch goes through ``model_version_activate`` (load check, history row, MLflow alias), and only if the
    version compared against is still active, or still none when none was (another switch meanwhile is a 409
    ApplicationError): the deployment service checks it under the switch's lock."""
    dataset, metric = settings.LEGALNAME_PROMOTION_DATASET, settings.LEGALNAME_PROMOTION_METRIC
    gate = f"{dataset} {metric}"
    active = model_version_active_get(name=candidate.name)
    candidate_score = _score(candidate)
    if active is None:
        detail = f"activated: no version of {candidate.name} was active"
        model_version_activate(
            model_version=candidate, user=user, replacing=None, reason=f"{detail} ({reason})" if reason else detail
        )
        return PromotionDecision(True, detail, candidate_score, None)
    if active.pk == candidate.pk:
        return PromotionDecision(False, f"{candidate} is already active", candidate_score, candidate_score)
    active_score = _score(active)
    if candidate_score is None or active_score is None:
        missing = candidate if candidate_score is None else active
        return PromotionDecision(
            False,
            f"not activated: v{missing.version} has no {gate} to compare (is the {dataset!r} evaluation set "
            f"configured?); v{active.version} stays active",
            candidate_score,
            active_score,
        )
    comparison = f"{gate} {candidate_score:.4f} vs {active_score:.4f} for v{active.version}"
    if candidate_score <= active_score:
        return PromotionDecision(
            False, f"not activated: {comparison}; v{active.version} stays active", candidate_score, active_score
        )
    detail = f"activated: beats v{active.version} on {comparison}"
    model_version_activate(
        model_version=candidate, user=user, replacing=active, reason=f"{detail} ({reason})" if reason else detail
    )
    return PromotionDecision(True, detail, candidate_score, active_score)


def training_run_promote_if_better(*, training_run: TrainingRun) -> PromotionDecision | None:
    """Put a succeeded run's version through the gate and write the decision on the run row (None: nothing to
    decide, the run did not register a version). A refused activation (the model does not load, a race) is a
    decision too: recorded, not raised, since the training itself succeeded."""
    if training_run.status != TrainingRun.Status.SUCCEEDED or training_run.model_version is None:
        return None
    reason = f"training run {training_run.pk} ({training_run.trigger})"
    try:
        decision = model_version_promote_if_better(
            candidate=training_run.model_version, user=training_run.requested_by, reason=reason
        )
    except ApplicationError as exc:
        decision = PromotionDecision(False, f"not activated: {exc.message}")
    logger.info("training run %s: %s", training_run.pk, decision.detail)
    training_run.promotion = decision.detail
    training_run.save(update_fields=["promotion", "updated_at"])
    return decision
