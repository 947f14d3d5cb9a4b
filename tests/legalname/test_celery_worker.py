"""A real `celery worker` process, on whatever broker the settings name (embedded SQLite by default, Redis in CI),
runs a real task end to end against the test database."""

import time
from pathlib import Path

import pytest

from models_registry.models import TrainingRun
from models_registry.selectors import model_version_metrics
from models_registry.services.training import training_run_create
from models_registry.tasks import training_run_execute_task
from tests.processes import celery_worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(tmp_path):
    mlflow = {
        "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}",
        "MLFLOW_ARTIFACT_ROOT": str(tmp_path / "mlartifacts"),
    }
    with celery_worker(tmp_path, hostname="test", env=mlflow) as (proc, log):
        yield proc, log


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_training_task_runs_in_a_real_worker_process(worker):
    proc, log = worker
    run = training_run_create(trigger="test", params={"n_pairs": 2000, "seed": 3})
    training_run_execute_task.delay(str(run.pk))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (TrainingRun.Status.SUCCEEDED, TrainingRun.Status.FAILED) or proc.poll() is not None:
            break
        time.sleep(0.5)
    log.seek(0)
    output = log.read()
    assert run.status == TrainingRun.Status.SUCCEEDED, (
        f"{run.status}: {run.error}\n--- worker log ---\n{output[-4000:]}"
    )
    assert run.model_version is not None
    assert model_version_metrics(model_version=run.model_version)["golden"]["n"] >= 200
    # The row says SUCCEEDED before the task has returned (the promotion gate runs after it): wait for the worker's
    # own "Task ... succeeded" line rather than read the log at that instant.
    while time.monotonic() < deadline and not ("training_run_execute_task" in output and "succeeded" in output):
        time.sleep(0.5)
        log.seek(0)
        output = log.read()
    assert "training_run_execute_task" in output and "succeeded" in output, output[-4000:]
