"""The label-free performance estimate: what accuracy, precision, recall and F1 *should* be, from the model's own
calibrated probabilities, for every window, with no analyst involved (in the spirit of NannyML's CBPE, written here
with numpy and SQL aggregates).

The idea: if ``p = probability_material`` is calibrated, a prediction with ``p = 0.8`` is MATERIAL four times in
five. Summed over a window, the expected confusion matrix is

- TP = sum of p over the predictions given MATERIAL, FP = sum of (1 - p) over the same,
- FN = sum of p over the predictions given IMMATERIAL, TN = sum of (1 - p) over the same,

and the expected metrics follow from it (``performance.confusion_rates``, the same formulas as the labelled ones).

Decisions recorded here:

- **Population: all traffic** of the version in the window, not only the unreviewed. The audit slice is a uniform
  random sample of all traffic, so the estimate over all traffic is the number the audited accuracy must agree with
  when the model is calibrated; the unreviewed rest is skewed (the review queue takes the least certain items first)
  and its estimate would not be comparable with anything labelled.
- **The verdict is ``Prediction.material``** as it was served (p against the version's threshold at the time), so
  the estimate is about the verdicts people received, even if a threshold was edited later.
- **The assumption is calibration.** When the probabilities are miscalibrated on current traffic (concept drift,
  or a model whose calibration never held), the estimate is wrong and silently so; that is why it is stored beside
  the audited numbers and never replaces them. ``tests/models_registry/monitoring/test_estimate.py`` shows both
  cases.
- **Uncertainty.** Under calibration each verdict is right independently, with probability p when it is MATERIAL
  and 1 - p otherwise (variance p(1 - p) either way), so the realised accuracy has standard deviation
  sqrt(sum p(1 - p)) / n around the estimate; that is stored as ``accuracy_sd`` (sampling spread only, not the
  error of the calibration assumption). Precision, recall and F1 carry no interval.
- **Rows** (``dataset="estimate"``, same windows and keys as ``performance``): ``n``, the expected counts ``tp fp fn
  tn`` (fractional), ``accuracy accuracy_sd precision recall f1``; an undefined rate (zero denominator) is left out.
  Recomputing a window replaces its rows in one transaction.
- **Cost.** Five queries per run: which versions served (shared with ``performance``), one aggregate over the
  windows' predictions with ``SUM``/``COUNT`` ``FILTER (...)`` per window, the lock, the delete and the insert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from comparisons.models import Prediction
from models_registry.models import ModelMetric, ModelVersion
from models_registry.monitoring.performance import (
    DATASET_ESTIMATE,
    Window,
    confusion_rates,
    metric_rows_replace,
    versions_serving,
    window_rows,
    windows_at,
)


class ExpectedConfusion(NamedTuple):
    """The confusion matrix expected under calibration (fractional counts), and the variance of the number of
    correct verdicts (sum of p(1 - p))."""

    tp: float
    fp: float
    fn: float
    tn: float
    correct_variance: float

    @property
    def n(self) -> float:
        return self.tp + self.fp + self.fn + self.tn


def expected_confusion(*, probabilities: np.ndarray, predicted: np.ndarray) -> ExpectedConfusion:
    """The expected confusion matrix of verdicts ``predicted`` (True = MATERIAL) whose calibrated probabilities of
    MATERIAL are ``probabilities``. The reference for the SQL aggregate in ``performance_estimate_compute``."""
    p = np.asarray(probabilities, dtype=float)
    given = np.asarray(predicted, dtype=bool)
    if p.shape != given.shape:
        raise ValueError(f"probabilities and predicted differ in shape: {p.shape} vs {given.shape}")
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError("probabilities must lie in [0, 1]")
    return ExpectedConfusion(
        tp=float(p[given].sum()),
        fp=float((1 - p[given]).sum()),
        fn=float(p[~given].sum()),
        tn=float((1 - p[~given]).sum()),
        correct_variance=float((p * (1 - p)).sum()),
    )


def expected_metrics(confusion: ExpectedConfusion) -> dict[str, float]:
    """Expected accuracy (with ``accuracy_sd``), precision, recall and F1 from an expected confusion matrix."""
    metrics = confusion_rates(tp=confusion.tp, fp=confusion.fp, fn=confusion.fn, tn=confusion.tn)
    if confusion.n > 0:
        metrics["accuracy_sd"] = float(np.sqrt(confusion.correct_variance)) / confusion.n
    return metrics


def _estimate_aggregates(windows: list[Window]) -> dict[str, Count | Sum]:
    """Per window: n, how many were given MATERIAL, sum of p over those given MATERIAL and over the others, and the
    sum of p(1 - p)."""
    p = F("probability_material")
    aggregates: dict[str, Count | Sum] = {}
    for w in windows:
        inside = Q(created_at__gte=w.start, created_at__lt=w.end)
        aggregates[f"{w.kind}__n"] = Count("pk", filter=inside)
        aggregates[f"{w.kind}__given"] = Count("pk", filter=inside & Q(material=True))
        aggregates[f"{w.kind}__p_given"] = Sum(p, filter=inside & Q(material=True))
        aggregates[f"{w.kind}__p_other"] = Sum(p, filter=inside & Q(material=False))
        aggregates[f"{w.kind}__pq"] = Sum(p * (1 - p), filter=inside)
    return aggregates


def _confusion_from_sums(sums: Mapping[str, Any], kind: str) -> tuple[int, ExpectedConfusion]:
    n = int(sums.get(f"{kind}__n") or 0)
    given = int(sums.get(f"{kind}__given") or 0)
    tp = float(sums.get(f"{kind}__p_given") or 0.0)
    fn = float(sums.get(f"{kind}__p_other") or 0.0)
    confusion = ExpectedConfusion(
        tp=tp, fp=given - tp, fn=fn, tn=(n - given) - fn, correct_variance=float(sums.get(f"{kind}__pq") or 0.0)
    )
    return n, confusion


@transaction.atomic
def performance_estimate_compute(*, now: datetime, model_name: str | None = None) -> list[ModelMetric]:
    """Compute and store the label-free estimate for every version that served in the last complete hour, day and
    week before ``now`` (only versions named ``model_name`` when given). Returns the rows written; recomputing a
    window replaces its rows (see the module docstring for the decisions)."""
    windows = windows_at(now=now)
    serving = versions_serving(windows=windows, model_name=model_name)
    if not serving:
        return []
    versions: list[ModelVersion] = [version for version, _ in serving]
    grouped: Iterable[Mapping[str, Any]] = (
        Prediction.objects.filter(
            model_version__in=versions,
            created_at__gte=min(w.start for w in windows),
            created_at__lt=max(w.end for w in windows),
        )
        .order_by()
        .values("model_version")
        .annotate(**_estimate_aggregates(windows))
    )
    sums = {row["model_version"]: row for row in grouped}
    recorded_at = timezone.now()
    rows: list[ModelMetric] = []
    for version, kinds in serving:
        for window in windows:
            if window.kind not in kinds:
                continue
            n, confusion = _confusion_from_sums(sums.get(version.pk, {}), window.kind)
            values: dict[str, float] = {"n": n}
            if n > 0:
                values.update(tp=confusion.tp, fp=confusion.fp, fn=confusion.fn, tn=confusion.tn)
                values.update(expected_metrics(confusion))
            rows += window_rows(
                version=version, dataset=DATASET_ESTIMATE, window=window, values=values, recorded_at=recorded_at
            )
    return metric_rows_replace(versions=versions, datasets=(DATASET_ESTIMATE,), windows=windows, rows=rows)
