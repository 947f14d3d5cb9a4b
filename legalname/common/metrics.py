"""The application's own Prometheus metrics, the helpers that record them, and the one ``/metrics`` view.

Why here, in ``legalname.common``: the places that record (``comparisons.services``, ``feedback.services``, the
training service) sit in lower layers than ``models_registry.monitoring`` (pyproject's import contracts), so the
definitions and helpers live in the lowest Django layer, which imports prometheus_client and Django but no app.
Only the DB-backed gauges (window metrics, drift, the active model) live in ``models_registry.monitoring.prometheus``:
they read ``ModelMetric`` rows at scrape time and are handed to the view as an extra registry by the root URLconf.

Counters of stored things (predictions, decisions, batch rows) move when the transaction that stored them commits
(``transaction.on_commit``; at once in autocommit): a batch chunk that rolls back and is scored again by a
redelivered task is counted once, as its rows are stored once.

Processes. Under gunicorn, prometheus_client runs in multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, set by
``legalname/gunicorn_conf.py`` before any worker imports prometheus_client): every process writes its counters and
histograms to its own files in that directory, and whichever worker answers ``/metrics`` sums every process's files
(``MultiProcessCollector``). Without the variable (runserver, tests, one process) the default registry is exported.
A Celery worker on the same host exposes its metrics the same way: it is started with the same
``PROMETHEUS_MULTIPROC_DIR``, writes its files beside the web workers', and the web's ``/metrics`` reports them.
(A worker on another host would need its own exporter; not built, nothing runs there today.)

Access. ``/metrics`` answers only clients inside ``LEGALNAME_METRICS_ALLOWED_NETWORKS`` (loopback by default) and,
when ``LEGALNAME_METRICS_TOKEN`` is set, only requests carrying ``Authorization: Bearer <token>``. Both checks apply
when both are configured. Refusals are plain text (403 for the network, 401 with ``WWW-Authenticate`` for the token).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

# Single compares answer in a few milliseconds (the engine alone in well under one): fine buckets from 0.1 ms, and
# a tail up to 1 s for a cold model or a slow database.
LATENCY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
# A training takes seconds (a test's few thousand pairs) to tens of minutes (the nightly retraining).
TRAINING_BUCKETS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)

PREDICTIONS = Counter(
    "legalname_predictions_total",
    "Predictions stored, by the model version that made them, the verdict and where the request came from.",
    ["model_name", "model_version", "verdict", "source"],
)
COMPARE_LATENCY = Histogram(
    "legalname_compare_latency_seconds",
    "Latency of one compare: stage=engine is the model scoring the pair, stage=end_to_end adds storing it.",
    ["stage"],
    buckets=LATENCY_BUCKETS,
)
FEEDBACK = Counter(
    "legalname_feedback_total",
    "Analysts' decisions, by whether they agree with the model's verdict.",
    ["agreement"],
)
BATCH_ROWS = Counter("legalname_batch_rows_scored_total", "Rows of uploaded batch jobs scored and stored.")
TRAINING_RUNS = Counter("legalname_training_runs_total", "Training runs that finished, by status.", ["status"])
TRAINING_DURATION = Histogram(
    "legalname_training_duration_seconds",
    "Wall time of finished training runs (started to finished), by status.",
    ["status"],
    buckets=TRAINING_BUCKETS,
)


def _after_commit(record: Callable[[], None]) -> None:
    transaction.on_commit(record)


def prometheus_prediction_record(
    *, model_name: str, model_version: int | str, source: str, verdicts: Sequence[bool]
) -> None:
    """Count stored predictions (one compare or a whole bulk insert), once their transaction commits."""
    material = sum(1 for verdict in verdicts if verdict)
    counts = {"material": material, "immaterial": len(verdicts) - material}

    def record() -> None:
        for verdict, count in counts.items():
            if count:
                PREDICTIONS.labels(model_name, str(model_version), verdict, source).inc(count)

    _after_commit(record)


def prometheus_compare_latency_record(*, engine_seconds: float, end_to_end_seconds: float) -> None:
    """Observe one single compare's latency. A bulk call's per-pair average is not a compare's latency (and would
    add thousands of identical observations), so bulk calls record counters only."""
    COMPARE_LATENCY.labels("engine").observe(engine_seconds)
    COMPARE_LATENCY.labels("end_to_end").observe(end_to_end_seconds)


def prometheus_feedback_record(*, agree: bool) -> None:
    """Count one analyst's decision once it commits: ``agree`` when it confirms the model's verdict."""
    agreement = "agree" if agree else "disagree"
    _after_commit(lambda: FEEDBACK.labels(agreement).inc())


def prometheus_batch_rows_record(*, rows: int) -> None:
    """Count a batch chunk's rows once the chunk (rows and progress together) commits."""
    _after_commit(lambda: BATCH_ROWS.inc(rows))


def prometheus_training_run_record(*, status: str, duration_seconds: float | None) -> None:
    """Count a finished training run and observe its duration (when it has one: a run that never started has
    none)."""
    TRAINING_RUNS.labels(status).inc()
    if duration_seconds is not None:
        TRAINING_DURATION.labels(status).observe(max(duration_seconds, 0.0))


def multiprocess_dir() -> str | None:
    """The multiprocess directory when this process runs in prometheus_client's multiprocess mode, else None."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def process_registry() -> CollectorRegistry:
    """What this process exports of the recorded metrics: the sum over every process's files in multiprocess mode
    (a fresh registry per scrape, as prometheus_client prescribes), else this process's default registry."""
    path = multiprocess_dir()
    if path is None:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=path)
    return registry


def _client_address(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    # REMOTE_ADDR, never X-Forwarded-For: a client can write that header. Behind a reverse proxy on the same host
    # every request comes from the proxy's address, so set the token there (see README).
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # a dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d
    return address


def metrics_access_refusal(request: HttpRequest) -> HttpResponse | None:
    """A plain-text refusal when the request may not read ``/metrics``, else None."""
    address = _client_address(request)
    networks = [ipaddress.ip_network(n, strict=False) for n in settings.LEGALNAME_METRICS_ALLOWED_NETWORKS]
    if address is None or not any(address in network for network in networks):
        return HttpResponse("Forbidden: this address may not read metrics.\n", status=403, content_type="text/plain")
    token = settings.LEGALNAME_METRICS_TOKEN
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            response = HttpResponse(
                "Unauthorized: a bearer token is required.\n", status=401, content_type="text/plain"
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return None


def metrics_view(request: HttpRequest, registries: Sequence[CollectorRegistry] = ()) -> HttpResponse:
    """``/metrics``: the recorded metrics (django-prometheus' request metrics and ours; summed over processes in
    multiprocess mode), then the scrape-time ``registries`` the URLconf passes (the DB-backed gauges).

    One endpoint for both modes; it replaces django-prometheus' ``ExportToDjangoView``, which makes the same
    multiprocess choice but has no access control and no place for scrape-time collectors (a custom collector on
    the default registry is not exported in multiprocess mode). The text format allows the pages to be
    concatenated: the families' names do not overlap."""
    refusal = metrics_access_refusal(request)
    if refusal is not None:
        return refusal
    body = generate_latest(process_registry()) + b"".join(generate_latest(registry) for registry in registries)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
