import os

from celery import Celery
from celery.signals import worker_init, worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalname.settings.local")

app = Celery("legalname")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _worker_metrics_exporter(**kwargs: object) -> None:
    """A Celery worker on another host than the web exposes its own metrics for Prometheus to scrape: set
    ``LEGALNAME_WORKER_METRICS_PORT`` (and ``LEGALNAME_WORKER_METRICS_ADDR``, loopback by default; the exporter has
    no token, so open it only to Prometheus' network). The worker's main process serves the metrics of all its pool
    processes (prometheus_client's multiprocess mode: give the worker its own ``PROMETHEUS_MULTIPROC_DIR``). A worker
    on the web's host can instead share the web's directory and be read through the web's ``/metrics`` (README)."""
    port = os.environ.get("LEGALNAME_WORKER_METRICS_PORT")
    if not port:
        return
    # imported here: only a worker that exports loads the exporter, and Django is set up by now
    from prometheus_client import start_http_server

    from legalname.common.metrics import process_registry

    start_http_server(
        int(port), addr=os.environ.get("LEGALNAME_WORKER_METRICS_ADDR", "127.0.0.1"), registry=process_registry()
    )


@worker_process_shutdown.connect
def _worker_process_metrics_dead(pid: int | None = None, **kwargs: object) -> None:
    """A pool process that ends leaves its live gauges behind unless marked dead (multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # see _worker_metrics_exporter

        multiprocess.mark_process_dead(pid or os.getpid())
