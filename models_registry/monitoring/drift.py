"""Drift: what a model version saw at training (its baseline) against what it sees now, in named statistics.

Decisions, and why:

- **The baseline sample** is a seeded draw (``random.Random(seed)``, the training run's seed) of up to
  ``BASELINE_PAIRS`` = 5,000 of the very pairs the version was trained on (generated pairs plus analysts' feedback):
  it is literally "what the model saw", costs no second generation, and a version trained on an organisation's
  corrections has them in its baseline too. ``baseline_sample`` draws it; ``baseline_compute`` summarises it.
- **What is compared** ("features" below): every engine feature (``FEATURE_NAMES``), ``probability_material``, the
  verdict (material / immaterial at the version's threshold), the length of each name and its script (both names
  pooled: the order of the two names carries no meaning).
- **Continuous or categorical**: an engine feature with at most ``CATEGORICAL_MAX_VALUES`` = 10 distinct values in
  the baseline sample (flags, small counts, a few ratios) is categorical: its shares per value are compared with the
  Jensen-Shannon distance (base 2, so 0..1); a value the baseline never saw counts as ``other``. The others are
  continuous: PSI on the baseline's deciles, and the two-sample KS test against a stored sample.
  ``probability_material`` and the name length are continuous; the verdict and the script are categorical. The kind
  is decided once, at training, and stored with the baseline. Measured on unshifted generated traffic of 600 pairs,
  the largest JS distance was 0.05-0.07 (a rare value seen a few times: the square root in the distance magnifies
  small divergences), under the warn line of 0.1.
- **PSI bins**: the 9 inner decile edges of the baseline (duplicates dropped: a feature that is 0 for 70% of pairs
  has fewer, wider bins); a value equal to an edge falls in the bin above it, on both sides. An empty bin's share
  is replaced by ``PSI_EPSILON`` = 1e-4 before the logarithm (PSI is infinite otherwise; 1e-4 is below any share a
  5,000-value sample can measure, so a bin that is empty on both sides adds 0).
- **KS**: ``scipy.stats.ks_2samp`` of the traffic sample against a stored seeded sample of
  ``BASELINE_KS_SAMPLE`` = 1,000 baseline values per continuous feature (6 significant digits). 1,000 rather than all
  5,000 keeps the baseline small; the test still sees a shift of the CDF of about 0.06 at p < 0.01.
- **Size**: with today's 55 engine features (14 of them continuous, plus ``probability_material`` and the name
  length) a baseline is about 120 KB of JSON, and at most ``(len(FEATURE_NAMES) + 2) * (BASELINE_KS_SAMPLE + 25)``
  numbers whatever the features: bounded by the KS samples, not by the number of training pairs.
- **Traffic**: the predictions the version made in ``[now - window, now)``; the features of at most
  ``DRIFT_SAMPLE_CAP`` = 5,000 of them (the most recent) are recomputed with the engine (a few tenths of a second).
  ``probability_material`` and the verdict are read from the stored predictions (what the model really said).
- **Too little traffic**: below ``DRIFT_MIN_N`` = 200 predictions in the window nothing is concluded and only ``n``
  is stored (under the null hypothesis PSI on 10 bins is about 9/n: 0.045 at n = 200, safely under the warn line of
  0.1; at n = 50 it would be 0.18, and random noise would warn). A version without a baseline, or whose baseline was
  computed by another feature version of the engine, also stores only ``n``.
- **A feature drifts** when its PSI >= ``psi_alert``, its JS distance >= ``js_alert`` or its KS p-value <
  ``ks_p_alert`` (``MonitoringThreshold``). With 16 KS tests per window, one fires at p < 0.01 by chance in about
  one window in seven: a single drifting feature is a warning, and the drift alert is the share of drifting features
  (of ~60) reaching ``drift_share_alert`` (0.3), which chance does not reach (0 to 0.05 measured on unshifted
  streams; 0.46-0.49 when the second name gains "Holdings GmbH").
- **Stored** as ``ModelMetric`` rows, ``dataset="drift"``, the window in ``window_start`` / ``window_end``:
  ``psi:<feature>``, ``ks_stat:<feature>``, ``ks_p:<feature>``, ``js:<feature>``, ``drift_share``, ``n`` (predictions
  in the window), ``n_sample`` (those compared). Recomputing a window replaces its rows in one transaction, the
  version locked first (the same ``metric_rows_replace`` as performance: overlapping runs leave no duplicates).
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from django.utils import timezone
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp

from comparisons.engine import FEATURE_NAMES, FEATURE_VERSION, Comparator, feature_matrix
from comparisons.models import Prediction
from models_registry.models import ModelMetric, ModelVersion, MonitoringThreshold
from models_registry.monitoring.performance import Window, metric_rows_replace, threshold_get
from models_registry.selectors import model_version_active_get

BASELINE_FORMAT = 1
BASELINE_PAIRS = 5_000
BASELINE_KS_SAMPLE = 1_000
CATEGORICAL_MAX_VALUES = 10
PSI_EPSILON = 1e-4
DRIFT_SAMPLE_CAP = 5_000
DRIFT_MIN_N = 200
DATASET = "drift"

SCRIPTS = ("latin", "cyrillic", "greek", "cjk", "arabic", "other", "mixed")
VERDICTS = ("material", "immaterial")
OTHER_VALUE = "other"  # a categorical value the baseline never saw

Level = Literal["ok", "warn", "alert"]
_SEVERITY: dict[str, int] = {"ok": 0, "warn": 1, "alert": 2}

_CJK_PREFIXES = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC")


# ----------------------------------------------------------------------------------------------- pure statistics
def psi(expected: Sequence[float], actual: Sequence[float], *, epsilon: float = PSI_EPSILON) -> float:
    """Population stability index of two share vectors over the same bins: sum((a - e) * ln(a / e)).

    An empty bin's share becomes ``epsilon`` (PSI would be infinite otherwise)."""
    e = np.maximum(np.asarray(expected, dtype=float), epsilon)
    a = np.maximum(np.asarray(actual, dtype=float), epsilon)
    return float(np.sum((a - e) * np.log(a / e)))


def bin_shares(values: np.ndarray, edges: Sequence[float]) -> list[float]:
    """Shares of ``values`` in the ``len(edges) + 1`` bins cut by the inner ``edges`` (an edge value goes above)."""
    if len(values) == 0:
        return [0.0] * (len(edges) + 1)
    index = np.searchsorted(np.asarray(edges, dtype=float), np.asarray(values, dtype=float), side="right")
    counts = np.bincount(index, minlength=len(edges) + 1)
    return (counts / len(values)).tolist()


def decile_edges(values: np.ndarray) -> list[float]:
    """The 9 inner decile edges of ``values``, duplicates dropped (ties make fewer, wider bins)."""
    quantiles = np.quantile(np.asarray(values, dtype=float), np.linspace(0.1, 0.9, 9))
    return sorted({_round(q) for q in quantiles.tolist()})


def js_distance(expected: dict[str, float], actual: dict[str, float]) -> float:
    """Jensen-Shannon distance (base 2: 0 same, 1 disjoint) of two category-share maps; a category missing on one
    side has share 0 there."""
    keys = sorted(set(expected) | set(actual))
    p = np.array([expected.get(k, 0.0) for k in keys], dtype=float)
    q = np.array([actual.get(k, 0.0) for k in keys], dtype=float)
    if p.sum() == 0 or q.sum() == 0:
        return 0.0
    return float(jensenshannon(p, q, base=2))


def ks(expected_sample: Sequence[float] | np.ndarray, actual: Sequence[float] | np.ndarray) -> tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov: (statistic, p-value)."""
    result = ks_2samp(np.asarray(expected_sample, dtype=float), np.asarray(actual, dtype=float))
    return float(result.statistic), float(result.pvalue)


# ------------------------------------------------------------------------------------------------ observations
@lru_cache(maxsize=4096)
def _char_script(char: str) -> str | None:
    """The script of one letter, or None for anything that is not a letter (digits, punctuation, spaces)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return "latin"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("GREEK"):
        return "greek"
    if name.startswith("ARABIC"):
        return "arabic"
    if name.startswith(_CJK_PREFIXES):
        return "cjk"
    return "other"


def name_script(name: str) -> str:
    """One name's script: latin / cyrillic / greek / cjk / arabic / other, ``mixed`` when its letters come from
    more than one, ``other`` when it has no letter."""
    scripts = {s for s in map(_char_script, name) if s is not None}
    if len(scripts) > 1:
        return "mixed"
    return scripts.pop() if scripts else "other"


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _rounded(values: Iterable[float]) -> np.ndarray:
    """Values at the 6 significant digits a baseline stores: both sides of a comparison are rounded alike (a float32
    0.33333334 against a stored 0.333333 would otherwise look like a shift at every tie)."""
    return np.array([_round(v) for v in values], dtype=float)


def _category(value: float) -> str:
    return f"{float(value):.6g}"


def _observations(
    pairs: Sequence[tuple[str, str]], probabilities: Sequence[float], material: Sequence[bool]
) -> dict[str, list[float] | list[str]]:
    """Per compared feature, the values it took over ``pairs`` (floats, or category labels)."""
    matrix = feature_matrix(pairs)
    observed: dict[str, list[float] | list[str]] = {
        name: matrix[:, i].astype(float).tolist() for i, name in enumerate(FEATURE_NAMES)
    }
    observed["probability_material"] = [float(p) for p in probabilities]
    observed["verdict"] = ["material" if m else "immaterial" for m in material]
    names = [name for pair in pairs for name in pair]
    observed["name_length"] = [float(len(name)) for name in names]
    observed["name_script"] = [name_script(name) for name in names]
    return observed


def _shares(labels: Iterable[str], categories: Iterable[str] = ()) -> dict[str, float]:
    counts = Counter(labels)
    total = sum(counts.values())
    return {k: (counts.get(k, 0) / total if total else 0.0) for k in sorted(set(categories) | set(counts))}


# --------------------------------------------------------------------------------------------------- baseline
def baseline_sample(
    pairs: Sequence[tuple[str, str]], *, seed: int, size: int = BASELINE_PAIRS
) -> list[tuple[str, str]]:
    """The held sample a baseline is computed over: ``size`` of ``pairs`` drawn with ``random.Random(seed)``
    (all of them when there are fewer), in a stable order."""
    if len(pairs) <= size:
        return list(pairs)
    return [pairs[i] for i in sorted(random.Random(seed).sample(range(len(pairs)), size))]


def baseline_compute(*, comparator: Comparator, pairs: Sequence[tuple[str, str]], seed: int = 0) -> dict[str, Any]:
    """What ``comparator`` sees over ``pairs`` (the held sample, see ``baseline_sample``), as JSON for
    ``ModelVersion.baseline``.

    ``{"format", "feature_version", "n", "threshold", "features": {name: spec}}`` where a continuous spec is
    ``{"kind": "continuous", "edges": [9 or fewer inner decile edges], "shares": [bin shares],
    "sample": [<= 1,000 values for KS]}`` and a categorical one ``{"kind": "categorical", "shares": {value: share}}``.
    About 120 KB with today's features, never more than ~60,000 numbers (see the module docstring)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    probabilities = comparator.predict_proba(pairs).tolist()
    material = [p >= comparator.threshold for p in probabilities]
    observed = _observations(pairs, probabilities, material)
    rng = random.Random(seed)
    features: dict[str, dict[str, Any]] = {}
    for name, values in observed.items():
        fixed = {"verdict": VERDICTS, "name_script": SCRIPTS}.get(name)
        if fixed is not None:
            features[name] = {"kind": "categorical", "shares": _shares((str(v) for v in values), fixed)}
            continue
        floats = _rounded(values)  # type: ignore[arg-type]  # the fixed categorical ones were handled above
        continuous = name in ("probability_material", "name_length") or (
            len(np.unique(floats)) > CATEGORICAL_MAX_VALUES
        )
        if not continuous:
            features[name] = {"kind": "categorical", "shares": _shares(_category(v) for v in floats.tolist())}
            continue
        edges = decile_edges(floats)
        sample = floats.tolist()
        if len(sample) > BASELINE_KS_SAMPLE:
            sample = rng.sample(sample, BASELINE_KS_SAMPLE)
        features[name] = {
            "kind": "continuous",
            "edges": edges,
            "shares": [_round(s) for s in bin_shares(floats, edges)],
            "sample": sample,
        }
    return {
        "format": BASELINE_FORMAT,
        "feature_version": comparator.feature_version,
        "n": len(pairs),
        "threshold": float(comparator.threshold),
        "features": features,
    }


def _baseline_usable(baseline: dict[str, Any]) -> bool:
    """A baseline this code can compare with: same format and the engine's current feature version (a feature of
    another version may mean something else)."""
    return (
        bool(baseline)
        and baseline.get("format") == BASELINE_FORMAT
        and baseline.get("feature_version") == FEATURE_VERSION
        and bool(baseline.get("features"))
    )


# ------------------------------------------------------------------------------------------------ computation
def _statistics(baseline: dict[str, Any], observed: dict[str, list[float] | list[str]]) -> dict[str, float]:
    """Every statistic of every feature the baseline knows: ``{"psi:x": .., "ks_stat:x": .., "ks_p:x": ..,
    "js:y": ..}``."""
    values: dict[str, float] = {}
    for name, spec in baseline["features"].items():
        current = observed.get(name)
        if current is None:
            continue
        if spec["kind"] == "continuous":
            floats = _rounded(current)  # type: ignore[arg-type]  # a continuous feature's values are floats
            values[f"psi:{name}"] = psi(spec["shares"], bin_shares(floats, spec["edges"]))
            values[f"ks_stat:{name}"], values[f"ks_p:{name}"] = ks(spec["sample"], floats)
        else:
            known = spec["shares"]
            if name in ("verdict", "name_script"):
                labels = [str(v) for v in current]
            else:
                labels = [_category(float(v)) for v in current]
            labels = [label if label in known else OTHER_VALUE for label in labels]
            values[f"js:{name}"] = js_distance(known, _shares(labels))
    return values


def _drifting_share(values: dict[str, float], thresholds: MonitoringThreshold) -> float:
    """The share of compared features with at least one statistic at its alert line."""
    features: dict[str, bool] = {}
    for metric, value in values.items():
        statistic, feature = metric.split(":", 1)
        drifting = (
            (statistic == "psi" and value >= thresholds.psi_alert)
            or (statistic == "js" and value >= thresholds.js_alert)
            or (statistic == "ks_p" and value < thresholds.ks_p_alert)
        )
        features[feature] = features.get(feature, False) or drifting
    return sum(features.values()) / len(features) if features else 0.0


def drift_compute(
    *, now: datetime, model_name: str | None = None, window: timedelta = timedelta(hours=24)
) -> list[ModelMetric]:
    """Compare the traffic of ``[now - window, now)`` of each active version (of ``model_name``, or of every name)
    with its baseline; store and return the window's drift rows (replacing any earlier rows of the same window)."""
    if timezone.is_naive(now):
        raise ValueError("drift_compute needs an aware datetime")
    versions = ModelVersion.objects.filter(is_active=True)
    if model_name is not None:
        versions = versions.filter(name=model_name)
    rows: list[ModelMetric] = []
    for version in versions.order_by("name"):
        rows.extend(_version_drift_compute(version=version, now=now, window=window))
    return rows


def _version_drift_compute(*, version: ModelVersion, now: datetime, window: timedelta) -> list[ModelMetric]:
    start = now - window
    traffic = Prediction.objects.filter(model_version=version, created_at__gte=start, created_at__lt=now)
    n = traffic.count()
    values: dict[str, float] = {"n": float(n)}
    if n >= DRIFT_MIN_N and _baseline_usable(version.baseline):
        recent = list(
            traffic.order_by("-created_at").values_list("name1", "name2", "probability_material", "material")[
                :DRIFT_SAMPLE_CAP
            ]
        )
        observed = _observations([(r[0], r[1]) for r in recent], [r[2] for r in recent], [r[3] for r in recent])
        statistics = _statistics(version.baseline, observed)
        values["n_sample"] = float(len(recent))
        values["drift_share"] = _drifting_share(statistics, threshold_get(model_name=version.name))
        values.update(statistics)
    return _drift_rows_replace(version=version, start=start, end=now, values=values)


def _drift_rows_replace(
    *, version: ModelVersion, start: datetime, end: datetime, values: dict[str, float]
) -> list[ModelMetric]:
    """One window's rows, replacing the window's earlier rows (``performance.metric_rows_replace``: one transaction,
    the version locked first, so neither a rerun nor an overlapping run leaves duplicates)."""
    recorded_at = timezone.now()
    thresholds = threshold_get(model_name=version.name)
    # Each row carries the alert line of its statistic, as it stood when the row was written.
    lines = {
        "psi": thresholds.psi_alert,
        "js": thresholds.js_alert,
        "ks_p": thresholds.ks_p_alert,
        "drift_share": thresholds.drift_share_alert,
    }
    # NaN cannot be stored everywhere (and means "no evidence"): a KS p-value of NaN would only come from empty input
    rows = [
        ModelMetric(
            model_version=version,
            metric_name=name,
            metric_value=value,
            dataset=DATASET,
            window_start=start,
            window_end=end,
            threshold=lines.get(name.split(":", 1)[0]),
            recorded_at=recorded_at,
        )
        for name, value in values.items()
        if not math.isnan(value)
    ]
    return metric_rows_replace(
        versions=[version], datasets=(DATASET,), windows=[Window(DATASET, start, end)], rows=rows
    )


# ---------------------------------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class DriftFinding:
    """One drift statistic of one feature in one window, judged against its threshold."""

    statistic: str  # psi, js, ks_p, drift_share, n
    feature: str  # the feature's name; "" for drift_share and n
    value: float
    threshold: float
    level: Level
    window_start: datetime | None
    window_end: datetime | None
    reason: str


def _level_above(value: float, warn: float, alert: float) -> Level:
    return "alert" if value >= alert else "warn" if value >= warn else "ok"


def _finding(
    metric: str,
    value: float,
    rows: dict[str, float],
    thresholds: MonitoringThreshold,
    window: tuple[datetime | None, datetime | None],
) -> DriftFinding | None:
    statistic, _, feature = metric.partition(":")
    level: Level
    if statistic == "psi":
        threshold = thresholds.psi_alert
        level = _level_above(value, thresholds.psi_warn, thresholds.psi_alert)
        reason = f"PSI of {feature} is {value:.3f} (warn at {thresholds.psi_warn:g}, alert at {threshold:g})"
    elif statistic == "js":
        threshold = thresholds.js_alert
        level = _level_above(value, thresholds.js_warn, thresholds.js_alert)
        reason = (
            f"Jensen-Shannon distance of {feature} is {value:.3f} (warn at {thresholds.js_warn:g}, "
            f"alert at {threshold:g})"
        )
    elif statistic == "ks_p":
        threshold = thresholds.ks_p_alert
        level = "alert" if value < threshold else "ok"
        reason = (
            f"KS p-value of {feature} is {value:.3g} (statistic {rows.get(f'ks_stat:{feature}', math.nan):.3f}; "
            f"alert below {threshold:g})"
        )
    elif statistic == "drift_share":
        threshold = thresholds.drift_share_alert
        level = "alert" if value >= threshold else "warn" if value > 0 else "ok"
        reason = f"drift share is {value:.2f} of features drifting (alert at {threshold:g}, n={rows.get('n', 0):g})"
    else:
        return None
    return DriftFinding(statistic, feature, value, threshold, level, window[0], window[1], reason)


def drift_status_list(*, model_name: str) -> list[DriftFinding]:
    """The findings of the latest drift window of ``model_name``'s active version, worst first (drift share first
    among equals). Empty when there is no active version or no drift window yet.

    A window with too few predictions, or a version without a usable baseline, gives one ``n`` finding that says
    so: no conclusion, level ok."""
    version = model_version_active_get(name=model_name)
    if version is None:
        return []
    latest = (
        ModelMetric.objects.filter(model_version=version, dataset=DATASET)
        .order_by("-window_end", "-recorded_at")
        .values_list("window_start", "window_end")
        .first()
    )
    if latest is None:
        return []
    rows = dict(
        ModelMetric.objects.filter(
            model_version=version, dataset=DATASET, window_start=latest[0], window_end=latest[1]
        ).values_list("metric_name", "metric_value")
    )
    thresholds = threshold_get(model_name=model_name)
    n = rows.get("n", 0.0)
    if "drift_share" not in rows:
        if n < DRIFT_MIN_N:
            reason = f"n={n:g} predictions in the window, fewer than {DRIFT_MIN_N}: no conclusion on drift"
        else:
            reason = f"n={n:g} predictions, but {version} has no baseline of this engine version: drift not measured"
        return [DriftFinding("n", "", n, float(DRIFT_MIN_N), "ok", latest[0], latest[1], reason)]
    findings = [
        finding
        for metric, value in rows.items()
        if (finding := _finding(metric, value, rows, thresholds, latest)) is not None
    ]
    findings.sort(key=lambda f: (-_SEVERITY[f.level], f.statistic != "drift_share", f.statistic, f.feature))
    return findings


def drift_level(findings: Sequence[DriftFinding]) -> Level:
    """The overall drift level: ``alert`` when the share of drifting features reaches its alert line; ``warn``
    when any statistic is at a warn or alert line (a single feature drifting is expected by chance now and then);
    ``ok`` otherwise, including when nothing could be concluded."""
    share = next((f for f in findings if f.statistic == "drift_share"), None)
    if share is not None and share.level == "alert":
        return "alert"
    return "warn" if any(f.level != "ok" for f in findings) else "ok"
