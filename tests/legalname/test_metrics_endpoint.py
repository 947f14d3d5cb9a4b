"""/metrics: who may read it (networks, bearer token), and the bar: under a real gunicorn with 3 workers in
prometheus_client's multiprocess mode, N compares through the API are counted exactly N times."""

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.authtoken.models import Token

from comparisons.models import BatchJob
from comparisons.services import batch_job_create
from tests.processes import celery_worker, free_port, test_database_url

ROOT = Path(__file__).resolve().parents[2]


class TestMetricsAccess:
    def test_loopback_reads_metrics_by_default(self, client, db):
        response = client.get("/metrics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        body = response.content.decode()
        # django-prometheus' request metrics, ours, and the DB-backed gauges, on one page
        assert "django_http_requests_total_by_method_total" in body
        assert "# TYPE legalname_predictions_total counter" in body
        assert "# TYPE legalname_compare_latency_seconds histogram" in body
        assert "legalname_monitoring_collector_up 1.0" in body

    def test_an_address_outside_the_allowed_networks_is_refused(self, client, db):
        response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 403
        assert response["Content-Type"] == "text/plain"
        assert b"legalname_" not in response.content

    def test_allowed_networks_come_from_the_setting(self, client, db, settings):
        settings.LEGALNAME_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
        assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
        assert client.get("/metrics", REMOTE_ADDR="::ffff:10.9.9.9").status_code == 200  # dual-stack listener

    def test_a_set_token_is_required_as_a_bearer_token(self, client, db, settings):
        settings.LEGALNAME_METRICS_TOKEN = "scrape-secret"
        missing = client.get("/metrics")
        assert missing.status_code == 401
        assert missing["WWW-Authenticate"] == 'Bearer realm="metrics"'
        assert missing["Content-Type"] == "text/plain"
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
        assert client.get("/metrics", HTTP_AUTHORIZATION="Token scrape-secret").status_code == 401
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200

    def test_token_and_network_both_apply(self, client, db, settings):
        settings.LEGALNAME_METRICS_TOKEN = "scrape-secret"
        refused = client.get("/metrics", REMOTE_ADDR="192.0.2.7", HTTP_AUTHORIZATION="Bearer scrape-secret")
        assert refused.status_code == 403

    def test_a_malformed_network_stops_the_boot(self):
        env = {**os.environ, "LEGALNAME_METRICS_ALLOWED_NETWORKS": "10.0.0.0/8,not-a-network"}
        result = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "-c", "import legalname.settings.base"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0
        assert "not-a-network" in result.stderr


# --- the bar: a real gunicorn with 3 workers --------------------------------------------------------------------


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _sum(families_text: str, sample_name: str, **labels: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(families_text)
        for sample in family.samples
        if sample.name == sample_name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


SCRAPE_TOKEN = "gunicorn-scrape-token"


@contextmanager
def running_gunicorn(tmp_path: Path, multiproc_dir: Path) -> Iterator[tuple[str, Any]]:
    """A real gunicorn (3 workers, our gunicorn_conf.py) on a free port, against the test database, in
    multiprocess mode in ``multiproc_dir``; yields its base URL and its log."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "LEGALNAME_DATA_DIR_ROOT")} | {
        "DJANGO_SETTINGS_MODULE": "legalname.settings.test",
        "DATABASE_URL": test_database_url(),
        "LEGALNAME_DATA_DIR": str(tmp_path / "web-data"),
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc_dir),
        "LEGALNAME_METRICS_TOKEN": SCRAPE_TOKEN,
    }
    log = open(tmp_path / "gunicorn.log", "w+")
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "legalname.wsgi",
            "-c",
            "legalname/gunicorn_conf.py",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if _get(f"{base}/health")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.3)
    try:
        log.seek(0)
        assert proc.poll() is None, f"gunicorn exited:\n{log.read()[-4000:]}"
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def multiproc_dir(tmp_path):
    path = tmp_path / "prometheus"
    path.mkdir()
    # A leftover file of an ended process must be removed at start (on_starting), not summed into the counts
    (path / "counter_999999999.db").write_bytes(b"stale")
    return path


@pytest.fixture
def gunicorn_server(tmp_path, multiproc_dir):
    with running_gunicorn(tmp_path, multiproc_dir) as (base, log):
        yield base, multiproc_dir, log


@pytest.mark.django_db(transaction=True)
def test_gunicorn_with_3_workers_counts_every_compare_exactly_once(active_model_version, analyst, gunicorn_server):
    base, multiproc_dir, log = gunicorn_server
    token = Token.objects.create(user=analyst)
    n = 60

    def compare(i: int) -> int:
        request = urllib.request.Request(
            f"{base}/api/v1/comparisons/",
            data=json.dumps({"name1": f"Acme Widgets {i} LLC", "name2": f"ACME Widgets {i}, Inc."}).encode(),
            headers={"Authorization": f"Token {token.key}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status

    # Concurrent clients, so that the three workers share the compares
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(compare, range(n)))
    log.seek(0)
    assert statuses == [201] * n, log.read()[-4000:]

    assert _get(f"{base}/metrics")[0] == 401  # the token from the environment is required
    labels = {"model_name": active_model_version.name, "model_version": str(active_model_version.version)}
    # Whichever worker answers the scrape reports the sum over all three: scrape a few times, same numbers
    for _ in range(3):
        status, page = _get(f"{base}/metrics", {"Authorization": f"Bearer {SCRAPE_TOKEN}"})
        assert status == 200
        assert _sum(page, "legalname_predictions_total", source="api", **labels) == n
        assert _sum(page, "legalname_predictions_total") == n
        assert _sum(page, "legalname_compare_latency_seconds_count", stage="end_to_end") == n
        assert _sum(page, "legalname_compare_latency_seconds_count", stage="engine") == n
        assert _sum(page, "legalname_active_model_info", **labels) == 1

    # The bar means something only if more than one worker counted compares
    assert not (multiproc_dir / "counter_999999999.db").exists()
    per_process = [
        sum(
            s.value
            for m in MultiProcessCollector.merge([str(f)], accumulate=True)
            for s in m.samples
            if s.name == "legalname_predictions_total"
        )
        for f in multiproc_dir.glob("counter_*.db")
    ]
    assert sum(per_process) == n
    assert sum(1 for count in per_process if count) >= 2, per_process


def _batch_scored_by_worker(proc, worker_log, user, *, n: int, prefix: str) -> None:
    """Upload a batch of ``n`` pairs (queued to the real worker on commit) and wait until the worker has scored it."""
    pairs = [{"name1": f"{prefix} {i} GmbH", "name2": f"{prefix} {i} AG", "reference": f"r{i}"} for i in range(n)]
    job = batch_job_create(user=user, pairs=pairs, filename=f"{prefix.lower()}.csv")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        job.refresh_from_db()
        if job.status in (BatchJob.Status.DONE, BatchJob.Status.FAILED):
            break
        time.sleep(0.3)
    worker_log.seek(0)
    assert job.status == BatchJob.Status.DONE, f"{job.status} {job.error}\n{worker_log.read()[-4000:]}"


@pytest.fixture
def celery_worker_process(tmp_path, multiproc_dir):
    """A real `celery worker` started, as README says, with the web's PROMETHEUS_MULTIPROC_DIR."""
    with celery_worker(tmp_path, hostname="metrics", env={"PROMETHEUS_MULTIPROC_DIR": str(multiproc_dir)}) as worker:
        yield worker


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_sharing_the_directory_reports_through_the_web_metrics(
    active_model_version, analyst, tmp_path, multiproc_dir, celery_worker_process
):
    proc, worker_log = celery_worker_process
    n = 23
    _batch_scored_by_worker(proc, worker_log, analyst, n=n, prefix="Batch")

    # The worker's counts are in the shared directory, in files of its own live process
    files = [str(f) for f in multiproc_dir.glob("*.db") if f.name != "counter_999999999.db"]
    rows = [
        s.value for m in MultiProcessCollector.merge(files) for s in m.samples if s.name.startswith("legalname_batch")
    ]
    assert sum(rows) == n

    # A web (re)start empties the directory of ended processes only: the live worker's counts stay, and the web's
    # /metrics reports them
    with running_gunicorn(tmp_path, multiproc_dir) as (base, _):
        status, page = _get(f"{base}/metrics", {"Authorization": f"Bearer {SCRAPE_TOKEN}"})
    assert status == 200
    assert not (multiproc_dir / "counter_999999999.db").exists()
    assert _sum(page, "legalname_batch_rows_scored_total") == n
    assert _sum(page, "legalname_predictions_total", source="batch") == n


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_on_another_host_exposes_its_own_metrics(active_model_version, analyst, tmp_path):
    """LEGALNAME_WORKER_METRICS_PORT: the worker serves its (multiprocess) metrics itself, for a worker whose web
    is elsewhere."""
    port = free_port()
    env = {"LEGALNAME_WORKER_METRICS_PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "worker-prom")}
    (tmp_path / "worker-prom").mkdir()
    with celery_worker(tmp_path, hostname="exporter", env=env) as (proc, worker_log):
        n = 7
        _batch_scored_by_worker(proc, worker_log, analyst, n=n, prefix="Remote")
        status, page = _get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    assert _sum(page, "legalname_batch_rows_scored_total") == n
