"""The promotion gate: the one policy that decides whether a newly trained version replaces the active one. The
schedule's trainings (through the training task), the admin's action and the ``train_model`` command all call
``model_version_gate``; every decision is a PromotionDecision row with the numbers it was made on.

The candidate and the active version are scored now, on the same data:

- every frozen evaluation set (LEGALNAME_EVALUATION_SETS: the golden set, the configured files), on
  LEGALNAME_PROMOTION_METRIC. A set below its floor (LEGALNAME_PROMOTION_FLOORS) rejects the candidate: that is a
  line no version may cross. A set where it is lower than the active version by more than LEGALNAME_PROMOTION_MARGIN
  stops the automatic switch but leaves it a challenger: an organisation's own policy may knowingly depart from the
  base policy the golden set encodes (measured: 300 decisions that ``Holdings`` is immaterial cost about 0.017 of
  golden balanced accuracy, the golden pairs that add a Holdings), and a person decides that, not the schedule.
- the held-out audit decisions (``Feedback.holdout``: a fixed share of the audit slice, never trained on), paired:
  ``b`` decisions only the candidate gets right, ``c`` only the active version does. McNemar's exact test (one-sided:
  the candidate is right more often) on the b + c discordant decisions says whether the candidate is better, at
  LEGALNAME_PROMOTION_ALPHA, with at least LEGALNAME_PROMOTION_MIN_DECISIONS held-out decisions; fewer decisions
  cannot show it, and the gate says so rather than guess.

Outcomes: **activated** (not worse anywhere and better on the decisions, or no version was active), **challenger**
(not shown better, or worse than the active version beyond the margin on a set: kept for an A/B test or a person's
decision, with the comparison stored), **rejected** (under a floor). An activation the switch refuses (the model does not load, another
switch meanwhile) is recorded as **not switched**.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from scipy.stats import binomtest

from comparisons.engine.evaluation import evaluate, read_pairs_csv
from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelVersion, PromotionDecision, TrainingRun
from models_registry.selectors import model_version_active_get
from models_registry.services.deployment import model_version_activate, model_version_challenger_set
from models_registry.services.evaluation import comparator_verdicts, evaluation_sets, held_out_decisions
from models_registry.services.mlflow_registry import CHALLENGER, mlflow_alias_delete
from models_registry.serving import ModelLoadError, load_comparator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from comparisons.engine import Comparator

logger = logging.getLogger(__name__)

Outcome = PromotionDecision.Outcome


def _sets_compare(candidate: Comparator, active: Comparator) -> dict[str, dict[str, Any]]:
    metric, margin = settings.LEGALNAME_PROMOTION_METRIC, settings.LEGALNAME_PROMOTION_MARGIN
    floors = settings.LEGALNAME_PROMOTION_FLOORS
    out = {}
    for name, path in evaluation_sets().items():
        data = read_pairs_csv(path)
        values = {}
        for side, comparator in (("candidate", candidate), ("active", active)):
            values[side] = evaluate(data.labels, comparator.predict_proba(data.pairs), comparator.threshold)[metric]
        floor = floors.get(name)
        delta = values["candidate"] - values["active"]
        out[name] = {
            "metric": metric,
            "n": len(data.pairs),
            "candidate": round(float(values["candidate"]), 4),
            "active": round(float(values["active"]), 4),
            "delta": round(float(delta), 4),
            "margin": margin,
            "floor": floor,
            "worse": bool(delta < -margin),
            "below_floor": bool(floor is not None and values["candidate"] < floor),
        }
    return out


def _accuracy(correct: np.ndarray) -> dict[str, Any]:
    n = len(correct)
    k = int(correct.sum())
    if n == 0:
        return {"n": 0, "correct": 0, "accuracy": None, "low": None, "high": None}
    interval = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return {
        "n": n,
        "correct": k,
        "accuracy": round(k / n, 4),
        "low": round(interval.low, 4),
        "high": round(interval.high, 4),
    }


def _decisions_compare(candidate: Comparator, active: Comparator) -> dict[str, Any]:
    held = held_out_decisions()
    right_candidate = comparator_verdicts(comparator=candidate, pairs=held.pairs) == held.labels
    right_active = comparator_verdicts(comparator=active, pairs=held.pairs) == held.labels
    b = int((right_candidate & ~right_active).sum())  # only the candidate is right
    c = int((~right_candidate & right_active).sum())  # only the active version is right
    p_value = float(binomtest(b, b + c, 0.5, alternative="greater").pvalue) if b + c else 1.0
    n, minimum, alpha = len(held.pairs), settings.LEGALNAME_PROMOTION_MIN_DECISIONS, settings.LEGALNAME_PROMOTION_ALPHA
    return {
        "n": n,
        "min_n": minimum,
        "candidate": _accuracy(right_candidate),
        "active": _accuracy(right_active),
        "only_candidate_right": b,
        "only_active_right": c,
        "test": "McNemar exact, one-sided (candidate right more often)",
        "p_value": round(p_value, 6),
        "alpha": alpha,
        "enough": n >= minimum,
        "better": bool(n >= minimum and b > c and p_value < alpha),
    }


def promotion_compare(*, candidate: ModelVersion, active: ModelVersion) -> dict[str, Any]:
    """Both versions scored now on the same data: each evaluation set, and the held-out decisions (paired)."""
    try:
        candidate_model, active_model = load_comparator(candidate.artifact_path), load_comparator(active.artifact_path)
    except ModelLoadError as exc:
        raise ApplicationError(f"the promotion gate cannot compare {candidate} with {active}: {exc}") from exc
    return {
        "sets": _sets_compare(candidate_model, active_model),
        "decisions": _decisions_compare(candidate_model, active_model),
        "candidate": f"v{candidate.version}",
        "active": f"v{active.version}",
        "measured_at": timezone.now().isoformat(),
    }


def _verdict(numbers: dict[str, Any]) -> tuple[str, str]:
    """The gate's outcome and its sentence from the numbers."""
    sets_rows = numbers["sets"].items()
    below = [
        f"{name} {row['metric']} {row['candidate']:.4f} is below its floor {row['floor']:.4f}"
        for name, row in sets_rows
        if row["below_floor"]
    ]
    if below:
        return Outcome.REJECTED, "rejected: " + "; ".join(below)
    worse = [
        f"{name} {row['metric']} {row['candidate']:.4f} vs {row['active']:.4f} for {numbers['active']} "
        f"(worse by more than the margin {row['margin']})"
        for name, row in sets_rows
        if row["worse"]
    ]
    d = numbers["decisions"]
    if worse:
        better = "better" if d["better"] else "not shown better"
        return Outcome.CHALLENGER, (
            f"challenger, not activated: {'; '.join(worse)}; {better} on {d['n']} held-out decisions "
            f"(McNemar p = {d['p_value']:.4g}); a person decides (A/B test, or activate by hand)"
        )
    sets = ", ".join(
        f"{name} {row['metric']} {row['candidate']:.4f} vs {row['active']:.4f}" for name, row in numbers["sets"].items()
    )
    not_worse = f"not worse on any set ({sets})" if sets else "no evaluation set configured"
    if not d["enough"]:
        return Outcome.CHALLENGER, (
            f"challenger: {not_worse}; only {d['n']} held-out decisions, fewer than the {d['min_n']} needed to show "
            f"it better"
        )
    paired = (
        f"on {d['n']} held-out decisions {d['candidate']['accuracy']:.1%} vs {d['active']['accuracy']:.1%} right, "
        f"{d['only_candidate_right']} only by the candidate and {d['only_active_right']} only by "
        f"{numbers['active']}, McNemar p = {d['p_value']:.4g}"
    )
    if d["better"]:
        return Outcome.ACTIVATED, f"activated: {not_worse}; better {paired}"
    return Outcome.CHALLENGER, f"challenger: {not_worse}; not shown better {paired} (alpha {d['alpha']})"


def model_version_gate(
    *,
    candidate: ModelVersion,
    user: User | None = None,
    training_run: TrainingRun | None = None,
    reason: str = "",
) -> PromotionDecision:
    """Put ``candidate`` through the gate (module docstring), act on the outcome and record it.

    Activated: switched through ``model_version_activate`` (load check, history row, MLflow alias) and only if the
    version compared against is still the active one (otherwise not switched, 409 inside). Challenger: marked with
    ``model_version_challenger_set`` (the MLflow ``challenger`` alias). Rejected: its status says so and why. No
    version active: the candidate is activated, there is nothing to compare with."""
    candidate = ModelVersion.objects.get(pk=candidate.pk)
    if candidate.is_active:
        raise ApplicationError(f"{candidate} is already active; there is nothing to decide")
    if candidate.status in (ModelVersion.Status.RETIRED, ModelVersion.Status.FAILED):
        raise ApplicationError(f"{candidate} is {candidate.get_status_display().lower()}; the gate does not take it")
    active = model_version_active_get(name=candidate.name)
    suffix = f" ({reason})" if reason else ""
    outcome: str
    numbers: dict[str, Any]
    if active is None:
        outcome, detail, numbers = Outcome.ACTIVATED, f"activated: no version of {candidate.name} was active", {}
    else:
        numbers = promotion_compare(candidate=candidate, active=active)
        outcome, detail = _verdict(numbers)
    try:
        if outcome == Outcome.ACTIVATED:
            model_version_activate(model_version=candidate, user=user, replacing=active, reason=detail + suffix)
        elif outcome == Outcome.CHALLENGER:
            # A challenger put through the gate again that is still one stays as it is: nothing to switch.
            if candidate.status != ModelVersion.Status.CHALLENGER:
                model_version_challenger_set(model_version=candidate, user=user, reason=detail + suffix)
        else:
            with transaction.atomic():
                ModelVersion.objects.filter(pk=candidate.pk).update(
                    status=ModelVersion.Status.REJECTED, status_detail=detail, updated_at=timezone.now()
                )
                if candidate.status == ModelVersion.Status.CHALLENGER:
                    # A challenger rejected now is no longer under test: its MLflow alias goes with its status (an
                    # MLflow failure rolls the status back, and the decision is recorded as not switched).
                    try:
                        mlflow_alias_delete(model_name=candidate.name, alias=CHALLENGER, model_uri=candidate.model_uri)
                    except Exception as exc:  # any MLflow or store error
                        raise ApplicationError(f"the MLflow challenger alias could not be removed: {exc}") from exc
    except ApplicationError as exc:
        outcome, detail = Outcome.NOT_SWITCHED, f"{detail}; but not switched: {exc.message}"
    logger.info("promotion gate on %s: %s", candidate, detail)
    with transaction.atomic():
        decision = PromotionDecision.objects.create(
            candidate=candidate,
            active=active,
            training_run=training_run,
            outcome=outcome,
            detail=detail,
            numbers=numbers,
            decided_by=user,
        )
        if training_run is not None:
            TrainingRun.objects.filter(pk=training_run.pk).update(
                outcome=outcome,  # one enum, GateOutcome, for the decision and the run
                promotion=detail,
                stage=TrainingRun.Stage.DONE,
                progress=1.0,
                updated_at=timezone.now(),
            )
    return decision


def training_run_gate(*, training_run: TrainingRun) -> PromotionDecision | None:
    """Put a succeeded run's version through the gate (None: nothing to decide, the run registered no version). A
    gate that cannot decide (a model that does not load) is recorded on the run, not raised: the training itself
    succeeded."""
    training_run.refresh_from_db()
    if training_run.status != TrainingRun.Status.SUCCEEDED or training_run.model_version is None:
        return None
    reason = f"training run {training_run.pk} ({training_run.trigger})"
    try:
        return model_version_gate(
            candidate=training_run.model_version,
            user=training_run.requested_by,
            training_run=training_run,
            reason=reason,
        )
    except ApplicationError as exc:
        logger.warning("training run %s: the gate could not decide: %s", training_run.pk, exc.message)
        TrainingRun.objects.filter(pk=training_run.pk).update(
            promotion=f"the gate could not decide: {exc.message}",
            stage=TrainingRun.Stage.DONE,
            progress=1.0,
            updated_at=timezone.now(),
        )
        return None
