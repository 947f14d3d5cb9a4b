import pytest

from comparisons.models import BatchJob
from comparisons.services import batch_job_create


@pytest.mark.django_db
class TestBatchJobCreate:
    def test_stores_the_rows_and_queues_the_task_on_commit(self, analyst, django_capture_on_commit_callbacks):
        pairs = [{"name1": "Acme LLC", "name2": "Acme Inc"}, {"name1": "A", "name2": "B", "reference": "r2"}]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = batch_job_create(user=analyst, pairs=pairs, filename="pairs.csv")
        assert len(callbacks) == 1
        job.refresh_from_db()
        assert job.status == BatchJob.Status.QUEUED and (job.total, job.done) == (2, 0)
        assert job.pairs[0] == {"name1": "Acme LLC", "name2": "Acme Inc", "reference": ""}
        assert job.filename == "pairs.csv" and job.user == analyst
