import pytest

from comparisons.models import BatchJob, Prediction
from comparisons.services import batch_job_fail, batch_job_process


def _job(user, n: int, done: int = 0) -> BatchJob:
    pairs = [{"name1": f"Acme {i} LLC", "name2": f"Acme {i} Inc", "reference": f"r{i}"} for i in range(n)]
    return BatchJob.objects.create(user=user, filename="x.csv", total=n, done=done, pairs=pairs)


@pytest.mark.django_db
class TestBatchJobProcess:
    def test_scores_every_row_in_chunks(self, analyst, active_model_version):
        job = _job(analyst, 7)
        job = batch_job_process(job_id=job.pk, chunk_size=3)
        assert job.status == BatchJob.Status.DONE and job.done == 7 and job.finished_at
        predictions = Prediction.objects.filter(batch=job)
        assert predictions.count() == 7
        assert set(predictions.values_list("source", flat=True)) == {"batch"}
        assert sorted(predictions.values_list("reference", flat=True)) == sorted(f"r{i}" for i in range(7))

    def test_resumes_from_done_without_duplicates(self, analyst, active_model_version):
        job = _job(analyst, 5, done=2)  # a redelivered task: the first two rows were already scored
        batch_job_process(job_id=job.pk, chunk_size=2)
        refs = sorted(Prediction.objects.filter(batch=job).values_list("reference", flat=True))
        assert refs == ["r2", "r3", "r4"]

    def test_a_finished_job_is_left_alone(self, analyst, active_model_version):
        job = _job(analyst, 2)
        batch_job_process(job_id=job.pk)
        batch_job_process(job_id=job.pk)
        assert Prediction.objects.filter(batch=job).count() == 2

    def test_without_a_model_it_raises_and_writes_nothing(self, analyst):
        job = _job(analyst, 2)
        with pytest.raises(Exception, match="No active model"):
            batch_job_process(job_id=job.pk)
        job.refresh_from_db()
        assert job.done == 0 and not Prediction.objects.exists()


@pytest.mark.django_db
class TestBatchJobFail:
    def test_records_the_error(self, analyst):
        job = _job(analyst, 1)
        batch_job_fail(job_id=job.pk, error="boom")
        job.refresh_from_db()
        assert job.status == BatchJob.Status.FAILED and job.error == "boom" and job.finished_at
