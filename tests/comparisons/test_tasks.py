import time

import pytest
from celery.contrib.testing.worker import start_worker

from comparisons.models import BatchJob, Prediction
from comparisons.services import batch_job_create
from comparisons.tasks import batch_score_task
from legalname.celery import app
from tests.users import make_user


def _pairs(n: int) -> list[dict]:
    return [{"name1": f"Nordwind {i} GmbH", "name2": f"Nordwind {i} AG", "reference": str(i)} for i in range(n)]


@pytest.mark.django_db
class TestBatchScoreTask:
    def test_scores_the_job(self, analyst, active_model_version):
        job = BatchJob.objects.create(user=analyst, total=3, pairs=_pairs(3))
        assert batch_score_task(str(job.pk)) == "done"
        job.refresh_from_db()
        assert job.done == 3 and Prediction.objects.filter(batch=job).count() == 3

    def test_a_failure_marks_the_job_failed_with_the_error(self, analyst):
        job = BatchJob.objects.create(user=analyst, total=2, pairs=_pairs(2))
        result = batch_score_task.apply(args=(str(job.pk),))  # no active model: the service raises
        assert result.failed() and "No active model" in str(result.result)
        job.refresh_from_db()
        assert job.status == BatchJob.Status.FAILED
        assert "No active model" in job.error


@pytest.mark.django_db(transaction=True)
def test_batch_runs_through_an_embedded_worker(active_model_version):
    """The wiring: upload service -> on_commit -> broker -> worker thread -> chunks -> job row."""
    user = make_user("worker-analyst", "analyst")
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        job = batch_job_create(user=user, pairs=_pairs(1200), filename="big.csv")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.2)
    assert job.status == BatchJob.Status.DONE, job.error
    assert job.done == 1200 and Prediction.objects.filter(batch=job).count() == 1200
