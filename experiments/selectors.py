"""Reading experiments and their results.

``experiment_results`` is the one place the numbers of an experiment are computed (the API, and later the admin and
the report page, show what it returns). Decisions recorded here:

- **Populations.** As in monitoring (``models_registry.monitoring.performance``): the decision in force on each
  prediction is the label; ``audit`` counts only decisions on items the review queue drew at random (unbiased), and
  ``all_reviews`` every decision (biased towards uncertain items, shown, never used for the verdict).
- **Arms.** A prediction counts in the arm that served it (``variant``). With shadow scoring the other arm's verdict
  on the same pair is ``shadow_material``: on those rows both arms have a verdict on one reviewed pair (paired data).
- **Verdict** (on the audit population): the sample-ratio check first (a flagged experiment's numbers are not
  trusted), then "not enough data yet" while either arm has fewer reviewed items than the minimum sample size;
  then McNemar's exact test when the paired data reach that size, else the two-proportion z-test, at alpha 0.05.
- **Cost.** Eight queries whatever the traffic: the arms' counts, two latency ranks per arm (``ORDER BY ... OFFSET``,
  portable where percentile functions are not), one aggregate with ``COUNT ... FILTER`` per population, arm and
  cell over the decisions in force. No Python loop over predictions or decisions.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet

from comparisons.models import Prediction
from experiments.models import Experiment
from experiments.statistics import (
    ALPHA,
    POWER,
    SRM_ALPHA,
    mcnemar_exact_p_value,
    minimum_sample_size_per_arm,
    newcombe_difference_interval,
    sample_ratio_p_value,
    two_proportion_p_value,
)
from feedback.selectors import feedback_latest_list
from models_registry.monitoring.performance import wilson_interval

ARMS = (Experiment.Variant.A, Experiment.Variant.B)
POPULATIONS = {"audit": Q(audit=True), "all_reviews": Q()}
NOT_ENOUGH_DATA = "not enough data yet"
SAMPLE_RATIO_MISMATCH = "sample ratio mismatch: the assignment is broken, these results cannot be trusted"


def experiment_list() -> QuerySet[Experiment]:
    """Every experiment, newest first, with its two versions."""
    return Experiment.objects.select_related("model_a", "model_b").order_by("-created_at")


def experiment_get(*, experiment_id: UUID | str) -> Experiment | None:
    return experiment_list().filter(pk=experiment_id).first()


@dataclass(frozen=True)
class Rate:
    """A proportion with its n and Wilson 95% interval (None when its denominator is zero)."""

    value: float | None
    low: float
    high: float
    successes: int
    n: int

    @classmethod
    def of(cls, successes: int, n: int) -> Rate:
        low, high = wilson_interval(successes, n)
        return cls(value=successes / n if n else None, low=low, high=high, successes=successes, n=n)


@dataclass(frozen=True)
class ArmServing:
    variant: str
    model_version_id: str
    model_label: str
    n_served: int
    n_subjects: int
    latency_p50_ms: float | None
    latency_p95_ms: float | None


@dataclass(frozen=True)
class ArmQuality:
    variant: str
    n_reviewed: int
    accuracy: Rate
    precision: Rate
    recall: Rate


@dataclass(frozen=True)
class Paired:
    """Both arms' verdicts on the same reviewed pairs (shadow scoring)."""

    n: int
    both_right: int
    a_only_right: int
    b_only_right: int
    both_wrong: int
    agreement: Rate  # the arms gave the same verdict
    mcnemar_p_value: float | None


@dataclass(frozen=True)
class PopulationResults:
    population: str
    arms: list[ArmQuality]
    accuracy_difference: float | None  # B - A
    accuracy_difference_low: float
    accuracy_difference_high: float
    difference_interval_method: str
    two_proportion_p_value: float | None
    paired: Paired


@dataclass(frozen=True)
class SampleRatio:
    n_subjects_a: int
    n_subjects_b: int
    expected_share_b: float
    p_value: float | None
    flagged: bool
    alpha: float = SRM_ALPHA


@dataclass(frozen=True)
class ExperimentResults:
    experiment_id: str
    status: str
    serving: list[ArmServing]
    sample_ratio: SampleRatio
    minimum_detectable_difference: float
    minimum_sample_size_per_arm: int
    populations: dict[str, PopulationResults]
    verdict: str
    verdict_population: str = "audit"
    verdict_test: str = ""
    verdict_p_value: float | None = None
    alpha: float = ALPHA
    power: float = POWER
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _latency_percentile(qs: QuerySet[Prediction], n: int, q: float) -> float | None:
    """The nearest-rank percentile of latency: the row at rank ceil(q n), found by the database's sort."""
    if n == 0:
        return None
    rank = max(1, math.ceil(q * n))
    return qs.order_by("latency_ms").values_list("latency_ms", flat=True)[rank - 1]


def _serving(experiment: Experiment) -> list[ArmServing]:
    predictions = Prediction.objects.filter(experiment=experiment)
    counts: dict[str, dict[str, Any]] = {
        row["variant"]: {"n": row["n"], "subjects": row["subjects"]}
        for row in predictions.order_by()
        .values("variant")
        .annotate(n=Count("pk"), subjects=Count("experiment_subject", distinct=True))
    }
    versions = {Experiment.Variant.A: experiment.model_a, Experiment.Variant.B: experiment.model_b}
    serving = []
    for variant in ARMS:
        n = counts.get(variant, {}).get("n", 0)
        arm_qs = predictions.filter(variant=variant)
        version = versions[variant]
        serving.append(
            ArmServing(
                variant=variant,
                model_version_id=str(version.pk),
                model_label=f"{version.name} v{version.version}",
                n_served=n,
                n_subjects=counts.get(variant, {}).get("subjects", 0),
                latency_p50_ms=_latency_percentile(arm_qs, n, 0.5),
                latency_p95_ms=_latency_percentile(arm_qs, n, 0.95),
            )
        )
    return serving


def _cells() -> dict[str, Q]:
    """The per-arm and paired cells counted over the decisions in force (label: ``user_correction``)."""
    served_right = Q(prediction__material=F("user_correction"))
    shadow_right = Q(prediction__shadow_material=F("user_correction"))
    served_a, served_b = Q(prediction__variant=Experiment.Variant.A), Q(prediction__variant=Experiment.Variant.B)
    a_right = (served_a & served_right) | (served_b & shadow_right)
    b_right = (served_b & served_right) | (served_a & shadow_right)
    paired = Q(prediction__shadow_material__isnull=False)
    cells: dict[str, Q] = {}
    for variant, served in ((Experiment.Variant.A, served_a), (Experiment.Variant.B, served_b)):
        cells[f"{variant}_n"] = served
        cells[f"{variant}_right"] = served & served_right
        cells[f"{variant}_tp"] = served & Q(prediction__material=True, user_correction=True)
        cells[f"{variant}_fp"] = served & Q(prediction__material=True, user_correction=False)
        cells[f"{variant}_fn"] = served & Q(prediction__material=False, user_correction=True)
    cells["paired_n"] = paired
    cells["paired_both_right"] = paired & a_right & b_right
    cells["paired_a_only"] = paired & a_right & ~b_right
    cells["paired_b_only"] = paired & b_right & ~a_right
    cells["paired_agree"] = paired & Q(prediction__shadow_material=F("prediction__material"))
    return cells


def _population(name: str, counts: dict[str, int]) -> PopulationResults:
    arms = []
    for variant in ARMS:
        n, right = counts[f"{variant}_n"], counts[f"{variant}_right"]
        tp, fp, fn = counts[f"{variant}_tp"], counts[f"{variant}_fp"], counts[f"{variant}_fn"]
        arms.append(
            ArmQuality(
                variant=variant,
                n_reviewed=n,
                accuracy=Rate.of(right, n),
                precision=Rate.of(tp, tp + fp),
                recall=Rate.of(tp, tp + fn),
            )
        )
    a, b = arms
    x_a, n_a, x_b, n_b = a.accuracy.successes, a.n_reviewed, b.accuracy.successes, b.n_reviewed
    low, high = newcombe_difference_interval(
        x_a, n_a, x_b, n_b, ((a.accuracy.low, a.accuracy.high), (b.accuracy.low, b.accuracy.high))
    )
    n_paired = counts["paired_n"]
    both_right, a_only, b_only = counts["paired_both_right"], counts["paired_a_only"], counts["paired_b_only"]
    paired = Paired(
        n=n_paired,
        both_right=both_right,
        a_only_right=a_only,
        b_only_right=b_only,
        both_wrong=n_paired - both_right - a_only - b_only,
        agreement=Rate.of(counts["paired_agree"], n_paired),
        mcnemar_p_value=mcnemar_exact_p_value(a_only, b_only),
    )
    return PopulationResults(
        population=name,
        arms=arms,
        accuracy_difference=(x_b / n_b - x_a / n_a) if n_a and n_b else None,
        accuracy_difference_low=low,
        accuracy_difference_high=high,
        difference_interval_method="Newcombe hybrid score (method 10), 95%",
        two_proportion_p_value=two_proportion_p_value(x_a, n_a, x_b, n_b),
        paired=paired,
    )


def _verdict(audit: PopulationResults, srm: SampleRatio, required: int) -> tuple[str, str, float | None]:
    if srm.flagged:
        return SAMPLE_RATIO_MISMATCH, "", None
    a, b = audit.arms
    if min(a.n_reviewed, b.n_reviewed) < required:
        return NOT_ENOUGH_DATA, "", None
    if audit.paired.n >= required:
        test, p_value = "McNemar exact (paired)", audit.paired.mcnemar_p_value
        better_b = audit.paired.b_only_right > audit.paired.a_only_right
    else:
        test, p_value = "two-proportion z-test", audit.two_proportion_p_value
        better_b = (audit.accuracy_difference or 0) > 0
    if p_value is None or p_value >= ALPHA:
        return "no significant difference", test, p_value
    return ("B is better" if better_b else "A is better"), test, p_value


def experiment_results(*, experiment: Experiment) -> ExperimentResults:
    """Every number of one experiment: serving per arm, the sample-ratio check, quality per arm and population with
    intervals, the difference and its tests, paired results, and the verdict (see the module docstring)."""
    serving = _serving(experiment)
    served = {arm.variant: arm for arm in serving}
    srm_p = sample_ratio_p_value(
        served[Experiment.Variant.A].n_subjects, served[Experiment.Variant.B].n_subjects, experiment.traffic_split
    )
    srm = SampleRatio(
        n_subjects_a=served[Experiment.Variant.A].n_subjects,
        n_subjects_b=served[Experiment.Variant.B].n_subjects,
        expected_share_b=experiment.traffic_split,
        p_value=srm_p,
        flagged=srm_p is not None and srm_p < SRM_ALPHA,
    )
    cells = _cells()
    aggregates = {
        f"{population}__{cell}": Count("pk", filter=who & what)
        for population, who in POPULATIONS.items()
        for cell, what in cells.items()
    }
    totals = feedback_latest_list().filter(prediction__experiment=experiment).order_by().aggregate(**aggregates)
    populations = {
        population: _population(
            population,
            {cell: totals[f"{population}__{cell}"] for cell in cells},
        )
        for population in POPULATIONS
    }
    required = minimum_sample_size_per_arm(experiment.minimum_detectable_difference)
    verdict, test, p_value = _verdict(populations["audit"], srm, required)
    notes = []
    if srm.flagged:
        notes.append(f"Sample ratio mismatch (chi-square p = {srm_p:.2g} < {SRM_ALPHA}): check the assignment.")
    notes.append("all_reviews is biased towards uncertain items (the review queue); the verdict reads audit only.")
    return ExperimentResults(
        experiment_id=str(experiment.pk),
        status=experiment.status,
        serving=serving,
        sample_ratio=srm,
        minimum_detectable_difference=experiment.minimum_detectable_difference,
        minimum_sample_size_per_arm=required,
        populations=populations,
        verdict=verdict,
        verdict_test=test,
        verdict_p_value=p_value,
        notes=notes,
    )
