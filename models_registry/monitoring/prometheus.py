"""The monitoring numbers as Prometheus gauges, read from the database at scrape time.

The recorded metrics (predictions, latencies, decisions, batch rows, training runs) are counters and histograms in
``legalname.common.metrics``, where the write path (a lower layer) can record them. The numbers here are not
recorded by a process: the monitoring jobs store them as ``ModelMetric`` rows, and this collector reads the latest
of those rows whenever ``/metrics`` is scraped. So every process, whichever gunicorn worker answers, reports the
same numbers, and no multiprocess gauge (with its per-pid series and dead-process bookkeeping) is involved. It is
registered once, on its own ``registry``, which the root URLconf hands to the ``/metrics`` view (a collector on the
default registry would not be exported in multiprocess mode).

- ``legalname_window_metric{model_name, model_version, dataset, window, metric}``: every metric of the latest window
  of each version, population (``audit``, ``all_reviews``, the label-free ``estimate``) and window length
  (``hour``, ``day``, ``week``; another length is named by its seconds, e.g. ``7200s``). A metric absent from the
  latest window (precision with no MATERIAL verdict) is absent here too, never an older window's value.
- ``legalname_drift_value{model_name, statistic, feature}``: the latest drift window of each model name (the rows
  of ``monitoring.drift.DATASET``; every other windowed dataset is a window metric), its
  ``psi:<feature>``, ``js:<feature>``, ``ks_stat:<feature>``, ``ks_p:<feature>`` rows split into statistic and
  feature; ``drift_share``, ``n`` and ``n_sample`` have ``feature=""``.
- ``legalname_active_model_info{model_name, model_version}`` = 1 for each active version.
- ``legalname_monitoring_collector_up``: 0 when the database could not be read (the scrape still answers, with the
  process metrics, instead of failing as a whole).

Cost: three queries per scrape, bounded by ``LOOKBACK``, whatever the traffic. One aggregate finds the end of the
latest window per (version, dataset, window length) among the rows recorded in the last 8 days (the index on
``recorded_at``: a window's rows are recorded after it ends), one reads the rows of those windows, one the active
versions. A window that ended more than ``LOOKBACK`` ago is not "latest" any more: its gauges disappear, which
Prometheus' ``absent()`` can alert on, rather than showing stale numbers as current. Measured: eight days of one
version's hourly rows (58,000: hourly drift windows of 250 statistics, three populations of hour windows) scrape in
40-60 ms on PostgreSQL and about 260 ms on SQLite, against a scrape interval of 15-60 s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import DatabaseError
from django.db.models import DurationField, ExpressionWrapper, F, Max
from django.utils import timezone
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric

from models_registry.models import ModelMetric, ModelVersion
from models_registry.monitoring.drift import DATASET as DRIFT_DATASET

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(days=8)  # the longest window (a week) plus a day
WINDOW_NAMES = {timedelta(hours=1): "hour", timedelta(days=1): "day", timedelta(weeks=1): "week"}


def window_name(length: timedelta) -> str:
    return WINDOW_NAMES.get(length) or f"{int(length.total_seconds())}s"


class WindowRow(NamedTuple):
    model_name: str
    model_version: str
    dataset: str
    window: str
    window_end: datetime
    metric: str
    value: float


def _latest_window_rows(*, now: datetime) -> list[WindowRow]:
    """The rows of the latest window per (version, dataset, window length), recorded within ``LOOKBACK``."""
    since = now - LOOKBACK
    windowed = ModelMetric.objects.filter(
        recorded_at__gte=since, window_start__isnull=False, window_end__gte=since
    ).annotate(length=ExpressionWrapper(F("window_end") - F("window_start"), output_field=DurationField()))
    latest = {
        (g["model_version_id"], g["dataset"], g["length"]): g["last_end"]
        for g in windowed.values("model_version_id", "dataset", "length")
        .annotate(last_end=Max("window_end"))
        .order_by()
    }
    if not latest:
        return []
    rows = (
        windowed.filter(model_version_id__in={key[0] for key in latest}, window_end__in=set(latest.values()))
        .values(
            "model_version_id",
            "model_version__name",
            "model_version__version",
            "dataset",
            "length",
            "window_end",
            "metric_name",
            "metric_value",
        )
        .order_by("recorded_at")  # should a window hold a metric twice, the later row wins below
    )
    return [
        WindowRow(
            model_name=r["model_version__name"],
            model_version=str(r["model_version__version"]),
            dataset=r["dataset"],
            window=window_name(r["length"]),
            window_end=r["window_end"],
            metric=r["metric_name"],
            value=r["metric_value"],
        )
        for r in rows
        if r["window_end"] is not None
        and latest.get((r["model_version_id"], r["dataset"], r["length"])) == r["window_end"]
    ]


class MonitoringCollector:
    """Reads the latest window metrics, drift values and active versions at each scrape (module docstring)."""

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily(
            "legalname_monitoring_collector_up", "1 when the monitoring numbers could be read from the database."
        )
        try:
            rows = _latest_window_rows(now=timezone.now())
            active = list(ModelVersion.objects.filter(is_active=True).values_list("name", "version").order_by("name"))
        except DatabaseError:
            logger.exception("metrics: could not read the monitoring numbers")
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)

        windows: dict[tuple[str, ...], float] = {}
        drift: dict[tuple[str, str, str], tuple[datetime, float]] = {}
        for r in rows:
            if r.dataset == DRIFT_DATASET:
                statistic, _, feature = r.metric.partition(":")
                key = (r.model_name, statistic, feature)
                # Labelled by model name: of two versions' drift windows (around a switch) the later one is current
                if key not in drift or drift[key][0] <= r.window_end:
                    drift[key] = (r.window_end, r.value)
            else:
                windows[(r.model_name, r.model_version, r.dataset, r.window, r.metric)] = r.value

        window_metric = GaugeMetricFamily(
            "legalname_window_metric",
            "The latest window's monitoring metrics per model version, population (dataset) and window length.",
            labels=["model_name", "model_version", "dataset", "window", "metric"],
        )
        for labels, value in sorted(windows.items()):
            window_metric.add_metric(list(labels), value)
        drift_value = GaugeMetricFamily(
            "legalname_drift_value",
            "The latest drift window's statistics per model name and feature (psi, js, ks_stat, ks_p, drift_share).",
            labels=["model_name", "statistic", "feature"],
        )
        for (name, statistic, feature), (_, value) in sorted(drift.items()):
            drift_value.add_metric([name, statistic, feature], value)
        active_info = GaugeMetricFamily(
            "legalname_active_model_info",
            "The active version of each model name (value 1).",
            labels=["model_name", "model_version"],
        )
        for model_name, number in active:
            active_info.add_metric([model_name, str(number)], 1)
        return [up, window_metric, drift_value, active_info]


# Registered once, at import; the /metrics view collects it at every scrape.
registry = CollectorRegistry(auto_describe=False)
registry.register(MonitoringCollector())
