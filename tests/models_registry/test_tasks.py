import pytest
from celery.exceptions import SoftTimeLimitExceeded

from models_registry.models import TrainingRun
from models_registry.services.training import training_run_create
from models_registry.tasks import training_run_execute_task


@pytest.mark.django_db
class TestTrainingRunExecuteTaskFailure:
    def test_a_task_that_dies_marks_its_run_failed(self):
        run = training_run_create(trigger="test")
        TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.RUNNING)
        training_run_execute_task.on_failure(SoftTimeLimitExceeded("soft limit"), "task-id", (str(run.pk),), {}, None)
        run.refresh_from_db()
        assert run.status == TrainingRun.Status.FAILED
        assert "SoftTimeLimitExceeded" in run.error and run.finished_at is not None

    def test_a_succeeded_run_is_left_alone(self):
        run = training_run_create(trigger="test")
        TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.SUCCEEDED)
        training_run_execute_task.on_failure(
            RuntimeError("late"), "task-id", (), {"training_run_id": str(run.pk)}, None
        )
        run.refresh_from_db()
        assert run.status == TrainingRun.Status.SUCCEEDED and run.error == ""
