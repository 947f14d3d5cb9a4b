"""Performance from analysts' decisions, per model version and window, and the threshold breaches drawn from it.

Decisions recorded here:

- **Label.** The decision in force on each prediction (``feedback.selectors.feedback_latest_list``: a later decision
  supersedes an earlier one, so a prediction counts once, with its latest decision). ``user_correction`` is the label;
  the positive class is MATERIAL. The model's verdict is ``Prediction.material`` as it was served.
- **Windows.** The last *complete* hour, day and week ending at or before ``now``, aligned in UTC (the hour to the
  hour, the day to midnight, the week to Monday 00:00), half-open ``[start, end)``. A prediction belongs to the window
  of its ``created_at`` (when the model made the verdict), not of its decision: a window's numbers describe the model
  as it served then, and they may still grow while analysts catch up, which is why every run recomputes them.
- **Two populations, never mixed.** ``dataset="audit"``: only predictions whose decision in force was made on an item
  the review queue drew at random (``Feedback.audit``), an unbiased sample of traffic; thresholds and alerts read
  only this. ``dataset="all_reviews"``: every reviewed prediction; the queue serves the least certain items first, so
  these numbers are biased low and are shown as such, never used for a verdict.
- **Rows.** Per (version, dataset, window): ``n``, the confusion counts ``tp fp fn tn``, ``accuracy precision recall``
  each with its Wilson 95% interval as ``<metric>_low`` / ``<metric>_high``, and ``f1``. F1 is a harmonic mean of two
  rates with different denominators, not a binomial proportion, so it has no Wilson interval: only its point value
  is stored. A rate whose denominator is zero (precision with no MATERIAL verdicts, recall with no MATERIAL labels) is
  undefined and not stored; a window with ``n = 0`` stores ``n = 0`` only (the version served, nobody reviewed).
- **Idempotent.** A run replaces the rows of each (version, dataset, window) it computes: delete and bulk insert in
  one transaction, so running twice gives the same rows, never duplicates.
- **Cost.** Five queries per run whatever the traffic: which versions served in which window (``EXISTS`` on the
  ``(model_version, created_at)`` index), one aggregate over the decisions in force with ``COUNT ... FILTER`` per
  window and population, then the lock, the delete and the insert. No Python loop over predictions or decisions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
)
from django.utils import timezone

from comparisons.models import Prediction
from feedback.selectors import feedback_latest_list
from models_registry.models import ModelMetric, ModelVersion, MonitoringThreshold

DATASET_AUDIT = "audit"
DATASET_ALL_REVIEWS = "all_reviews"
DATASET_ESTIMATE = "estimate"  # written by monitoring.estimate, in the same aligned windows
# The datasets stored in the aligned hour/day/week windows (drift's 24-hour windows end when its job runs, not at
# midnight, so a "latest day" across every dataset would find drift's and miss these).
WINDOW_DATASETS = (DATASET_AUDIT, DATASET_ALL_REVIEWS, DATASET_ESTIMATE)
POPULATIONS = (DATASET_AUDIT, DATASET_ALL_REVIEWS)

WINDOW_SPANS: dict[str, timedelta] = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(days=7)}

# The metrics that carry a threshold (MonitoringThreshold.<metric>_min), in the order breaches are listed.
THRESHOLD_METRICS = ("accuracy", "precision", "recall")


class Window(NamedTuple):
    """One aligned, complete window: its kind (hour, day, week) and its half-open bounds in UTC."""

    kind: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Breach:
    """One audited metric whose whole 95% interval lies below its threshold, in one window of the active version.

    ``n`` is the number of audit decisions in the window (what ``min_audit_n`` gates); the interval of precision or
    recall rests on its own denominator (MATERIAL verdicts, MATERIAL labels), stored as the confusion counts."""

    metric: str
    value: float
    low: float
    high: float
    n: int
    threshold: float
    window: str
    window_start: datetime
    window_end: datetime
    reason: str


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion ``successes / n`` (z = 1.96: 95%).

    Chosen over the normal (Wald) interval because it stays inside [0, 1] and keeps its coverage at small n and at
    rates near 0 or 1, which is where a monitoring window lives. ``n = 0`` says nothing: (0.0, 1.0)."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n, got {successes} of {n}")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def confusion_rates(*, tp: float, fp: float, fn: float, tn: float) -> dict[str, float]:
    """Accuracy, precision, recall and F1 from a confusion matrix (counts, or expected counts for the estimate).

    A rate whose denominator is zero is undefined and left out, rather than reported as 0 or 1."""
    n = tp + fp + fn + tn
    rates: dict[str, float] = {}
    if n > 0:
        rates["accuracy"] = (tp + tn) / n
    if tp + fp > 0:
        rates["precision"] = tp / (tp + fp)
    if tp + fn > 0:
        rates["recall"] = tp / (tp + fn)
    if 2 * tp + fp + fn > 0:
        rates["f1"] = 2 * tp / (2 * tp + fp + fn)
    return rates


def _utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("now must be an aware datetime")
    return moment.astimezone(UTC)


def windows_at(*, now: datetime) -> list[Window]:
    """The last complete hour, day and week ending at or before ``now`` (aligned in UTC; the week starts Monday)."""
    moment = _utc(now)
    hour_end = moment.replace(minute=0, second=0, microsecond=0)
    day_end = hour_end.replace(hour=0)
    week_end = day_end - timedelta(days=day_end.weekday())
    ends = {"hour": hour_end, "day": day_end, "week": week_end}
    return [Window(kind, ends[kind] - span, ends[kind]) for kind, span in WINDOW_SPANS.items()]


def window_kind(*, start: datetime, end: datetime) -> str | None:
    """Which kind of window stored bounds are (hour, day, week), or None for any other span."""
    for kind, span in WINDOW_SPANS.items():
        if end - start == span:
            return kind
    return None


def _in_window(prefix: str, window: Window) -> Q:
    return Q(**{f"{prefix}created_at__gte": window.start, f"{prefix}created_at__lt": window.end})


def versions_serving(*, windows: list[Window], model_name: str | None) -> list[tuple[ModelVersion, set[str]]]:
    """The versions that made predictions in any of the windows, each with the kinds of window it served in.

    One query: an ``EXISTS`` per window, each answered from the ``(model_version, created_at)`` index."""
    served = {
        f"served_{w.kind}": Exists(Prediction.objects.filter(_in_window("", w), model_version=OuterRef("pk")))
        for w in windows
    }
    qs = ModelVersion.objects.annotate(**served)
    if model_name is not None:
        qs = qs.filter(name=model_name)
    any_served = Q()
    for key in served:
        any_served |= Q(**{key: True})
    return [(v, {w.kind for w in windows if getattr(v, f"served_{w.kind}")}) for v in qs.filter(any_served).order_by()]


@transaction.atomic(savepoint=False)  # inside the compute's transaction: one rollback unit, no extra savepoint
def metric_rows_replace(
    *, versions: list[ModelVersion], datasets: tuple[str, ...], windows: list[Window], rows: list[ModelMetric]
) -> list[ModelMetric]:
    """Replace the stored rows of ``versions`` x ``datasets`` x ``windows`` with ``rows``: delete then insert in one
    transaction, so that a recomputed window never leaves duplicates or a gap.

    Two runs may overlap (the hourly job and a manual recompute). ``ModelMetric`` has no unique key to lean on, so the
    versions' rows are locked first (``SELECT ... FOR UPDATE``, in pk order like the deployment service, so the two
    never deadlock): the second run waits, and its DELETE then sees and removes the first run's rows. The lock is
    held only for the delete and the insert; the aggregates are computed before it."""
    list(ModelVersion.objects.select_for_update().filter(pk__in=[v.pk for v in versions]).order_by("pk").values("pk"))
    keys = Q()
    for w in windows:
        keys |= Q(window_start=w.start, window_end=w.end)
    ModelMetric.objects.filter(keys, model_version__in=versions, dataset__in=datasets).delete()
    return ModelMetric.objects.bulk_create(rows)


def _count_aggregates(windows: list[Window]) -> dict[str, Count]:
    """``COUNT(*) FILTER (...)`` of n, tp, fp, fn per window and population over the decisions in force."""
    cells = {
        "n": Q(),
        "tp": Q(prediction__material=True, user_correction=True),
        "fp": Q(prediction__material=True, user_correction=False),
        "fn": Q(prediction__material=False, user_correction=True),
    }
    populations = {DATASET_AUDIT: Q(audit=True), DATASET_ALL_REVIEWS: Q()}
    return {
        f"{w.kind}__{dataset}__{cell}": Count("pk", filter=_in_window("prediction__", w) & who & what)
        for w in windows
        for dataset, who in populations.items()
        for cell, what in cells.items()
    }


def _performance_rows(
    *, version: ModelVersion, dataset: str, window: Window, counts: dict[str, int], recorded_at: datetime
) -> list[ModelMetric]:
    n, tp, fp, fn = counts["n"], counts["tp"], counts["fp"], counts["fn"]
    values: dict[str, float] = {"n": n}
    if n > 0:
        tn = n - tp - fp - fn
        values.update(tp=tp, fp=fp, fn=fn, tn=tn)
        rates = confusion_rates(tp=tp, fp=fp, fn=fn, tn=tn)
        # successes and trials behind each rate, for its Wilson interval
        binomial = {"accuracy": (tp + tn, n), "precision": (tp, tp + fp), "recall": (tp, tp + fn)}
        for metric, (successes, trials) in binomial.items():
            if metric in rates:
                low, high = wilson_interval(successes, trials)
                values.update({metric: rates[metric], f"{metric}_low": low, f"{metric}_high": high})
        if "f1" in rates:
            values["f1"] = rates["f1"]
    return window_rows(version=version, dataset=dataset, window=window, values=values, recorded_at=recorded_at)


def window_rows(
    *, version: ModelVersion, dataset: str, window: Window, values: dict[str, float], recorded_at: datetime
) -> list[ModelMetric]:
    """One window's values of one version and population as unsaved ModelMetric rows (for ``metric_rows_replace``)."""
    return [
        ModelMetric(
            model_version=version,
            metric_name=name,
            metric_value=float(value),
            dataset=dataset,
            window_start=window.start,
            window_end=window.end,
            recorded_at=recorded_at,
        )
        for name, value in values.items()
    ]


@transaction.atomic
def performance_windows_compute(*, now: datetime, model_name: str | None = None) -> list[ModelMetric]:
    """Compute and store the labelled performance of every version that served in the last complete hour, day and
    week before ``now`` (only versions named ``model_name`` when given), for the audit slice and for all reviews.

    Returns the rows written. Recomputing a window replaces its rows (see the module docstring for the decisions)."""
    windows = windows_at(now=now)
    serving = versions_serving(windows=windows, model_name=model_name)
    if not serving:
        return []
    versions = [version for version, _ in serving]
    span_start, span_end = min(w.start for w in windows), max(w.end for w in windows)
    grouped: Iterable[Mapping[str, Any]] = (
        feedback_latest_list()
        .filter(
            prediction__model_version__in=versions,
            prediction__created_at__gte=span_start,
            prediction__created_at__lt=span_end,
        )
        .order_by()
        .values("prediction__model_version")
        .annotate(**_count_aggregates(windows))
    )
    aggregates = {row["prediction__model_version"]: row for row in grouped}
    recorded_at = timezone.now()
    rows: list[ModelMetric] = []
    for version, kinds in serving:
        counts = aggregates.get(version.pk, {})
        for window in windows:
            if window.kind not in kinds:
                continue
            for dataset in POPULATIONS:
                cell = {c: counts.get(f"{window.kind}__{dataset}__{c}", 0) for c in ("n", "tp", "fp", "fn")}
                rows += _performance_rows(
                    version=version, dataset=dataset, window=window, counts=cell, recorded_at=recorded_at
                )
    return metric_rows_replace(versions=versions, datasets=POPULATIONS, windows=windows, rows=rows)


def threshold_get(*, model_name: str) -> MonitoringThreshold:
    """The thresholds of ``model_name``: its row, or an unsaved one carrying the defaults when none was set."""
    threshold = MonitoringThreshold.objects.filter(model_name=model_name).first()
    return threshold if threshold is not None else MonitoringThreshold(model_name=model_name)


def _window_label(kind: str, start: datetime) -> str:
    start = start.astimezone(UTC)
    if kind == "hour":
        return f"hour {start:%Y-%m-%d %H:00} UTC"
    if kind == "week":
        return f"week of {start:%Y-%m-%d}"
    return f"day {start:%Y-%m-%d}"


def performance_breaches_list(*, model_name: str, now: datetime) -> list[Breach]:
    """The threshold breaches of the active version of ``model_name`` in its latest stored audit windows.

    Reads only the audit slice (unbiased), the latest stored window of each kind ending at or before ``now``. A
    breach is called only when the window holds at least ``min_audit_n`` audit decisions and the *upper* bound of
    the metric's Wilson 95% interval is below its threshold: a point value under the line with an interval that still
    reaches it is noise, not a verdict. Two queries for the rows (the latest window per kind, then its rows), plus
    the threshold row."""
    threshold = threshold_get(model_name=model_name)
    audit_rows = ModelMetric.objects.filter(
        model_version__name=model_name, model_version__is_active=True, dataset=DATASET_AUDIT
    ).order_by()
    span = ExpressionWrapper(F("window_end") - F("window_start"), output_field=DurationField())
    latest = (
        audit_rows.filter(metric_name="n", window_end__lte=_utc(now))
        .annotate(span=span)
        .values("span")
        .annotate(latest=Max("window_end"))
    )
    bounds = Q()
    kinds: dict[tuple[datetime, datetime], str] = {}
    for row in latest:
        end: datetime = row["latest"]
        start = end - row["span"]
        kind = window_kind(start=start, end=end)
        if kind is not None:
            kinds[(start, end)] = kind
            bounds |= Q(window_start=start, window_end=end)
    if not kinds:
        return []
    values: dict[tuple[datetime | None, datetime | None], dict[str, float]] = {key: {} for key in kinds}
    for row_start, row_end, name, value in audit_rows.filter(bounds).values_list(
        "window_start", "window_end", "metric_name", "metric_value"
    ):
        values[(row_start, row_end)][name] = value

    breaches: list[Breach] = []
    for (start, end), kind in sorted(kinds.items(), key=lambda item: list(WINDOW_SPANS).index(item[1])):
        stored = values[(start, end)]
        n = int(stored.get("n", 0))
        if n < threshold.min_audit_n:
            continue
        for metric in THRESHOLD_METRICS:
            floor: float = getattr(threshold, f"{metric}_min")
            if metric not in stored or stored[f"{metric}_high"] >= floor:
                continue
            value, low, high = stored[metric], stored[f"{metric}_low"], stored[f"{metric}_high"]
            reason = (
                f"{metric} {value:.2f} (95% CI {low:.2f}\u2013{high:.2f}, n={n}, audit slice, "
                f"{_window_label(kind, start)}) is below {floor:.2f}"
            )
            breaches.append(
                Breach(
                    metric=metric,
                    value=value,
                    low=low,
                    high=high,
                    n=n,
                    threshold=floor,
                    window=kind,
                    window_start=start,
                    window_end=end,
                    reason=reason,
                )
            )
    return breaches


def performance_latest_get(*, model_version: ModelVersion, kind: str = "day") -> dict[str, dict[str, float]]:
    """The latest stored window of ``kind`` for one version: dataset (audit, all_reviews, estimate...) -> metric ->
    value, with the window's bounds under ``window_start`` / ``window_end`` (as timestamps). Two queries."""
    span = ExpressionWrapper(F("window_end") - F("window_start"), output_field=DurationField())
    rows = ModelMetric.objects.filter(
        model_version=model_version, window_start__isnull=False, dataset__in=WINDOW_DATASETS
    ).annotate(span=span)
    rows = rows.filter(span=WINDOW_SPANS[kind])
    end = rows.aggregate(latest=Max("window_end"))["latest"]
    if end is None:
        return {}
    latest: dict[str, dict[str, float]] = {}
    start = end - WINDOW_SPANS[kind]
    for dataset, name, value in rows.filter(window_end=end).values_list("dataset", "metric_name", "metric_value"):
        latest.setdefault(dataset, {"window_start": start.timestamp(), "window_end": end.timestamp()})[name] = value
    return latest
