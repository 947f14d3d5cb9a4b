"""The scheduled monitoring round (models_registry.monitoring.jobs and its tasks): runs recorded as rows, breaches and
drift turned into alerts once per condition, a job that did not run detected, schedules synced."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from feedback.services import feedback_create
from models_registry.models import Alert, ModelMetric, MonitoringJobRun
from models_registry.monitoring.jobs import (
    monitoring_alerts_evaluate,
    monitoring_hourly_run,
    monitoring_job_run,
    monitoring_missed_jobs_check,
)
from models_registry.tasks import (
    monitoring_drift_task,
    monitoring_estimate_task,
    monitoring_watchdog_task,
    monitoring_windows_task,
)
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.factories import ModelVersionFactory

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 5, 14, 30, tzinfo=UTC)  # the last complete day is Wednesday 4 March


def _day_of_audited_traffic(version, user, *, n: int, wrong: int) -> None:
    """``n`` predictions on 4 March, each decided from an audit draw; ``wrong`` of them corrected."""
    for i in range(n):
        with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=UTC) + dt.timedelta(minutes=i), tick=False):
            prediction = PredictionFactory(model_version=version, user=user, material=bool(i % 2))
            correct = prediction.material if i >= wrong else not prediction.material
            feedback_create(prediction=prediction, user=user, user_correction=correct, audit=True)


@pytest.mark.django_db
class TestJobRuns:
    def test_a_run_records_its_summary_and_duration(self):
        run = monitoring_job_run(job="monitoring-windows", work=lambda: {"rows": 3})
        run.refresh_from_db()
        assert run.status == "succeeded" and run.summary == {"rows": 3} and run.duration_ms >= 0 and run.finished_at

    def test_a_failure_is_recorded_and_raised(self):
        def work():
            raise RuntimeError("database went away")

        with pytest.raises(RuntimeError):
            monitoring_job_run(job="monitoring-windows", work=work)
        run = MonitoringJobRun.objects.get()
        assert run.status == "failed" and "database went away" in run.error


@pytest.mark.django_db
class TestHourlyRound:
    def test_a_bad_day_raises_one_breach_per_metric_once_and_a_good_one_none(self, analyst):
        version = ModelVersionFactory(is_active=True)
        _day_of_audited_traffic(version, analyst, n=80, wrong=40)  # accuracy 0.5 on 80 audit decisions
        summary = monitoring_hourly_run(now=NOW)
        assert summary["window_rows"] > 0 and f"breach:{version.name}:accuracy" in summary["alerts"]
        monitoring_hourly_run(now=NOW)  # the same hour again: the same rows, the alert counted, not duplicated
        alert = Alert.objects.get(key=f"breach:{version.name}:accuracy")
        assert alert.count == 2 and alert.resolved_at is None and alert.kind == "threshold_breach"
        assert "n=80" in alert.subject and alert.details["n"] == 80 and alert.details["threshold"] == 0.85
        assert ModelMetric.objects.filter(dataset="audit", metric_name="n", model_version=version).count() == 1

    def test_a_condition_that_clears_resolves_its_alert(self, analyst):
        version = ModelVersionFactory(is_active=True)
        _day_of_audited_traffic(version, analyst, n=80, wrong=40)
        monitoring_hourly_run(now=NOW)
        ModelMetric.objects.filter(dataset="audit").delete()  # next window: nothing audited, so no breach
        monitoring_alerts_evaluate(now=NOW + dt.timedelta(days=1))
        assert Alert.objects.get(key=f"breach:{version.name}:accuracy").resolved_at is not None

    def test_a_good_day_raises_nothing(self, analyst):
        version = ModelVersionFactory(is_active=True)
        _day_of_audited_traffic(version, analyst, n=80, wrong=2)
        assert monitoring_hourly_run(now=NOW)["alerts"] == []
        assert not Alert.objects.exists()

    def test_each_hourly_task_records_its_own_job_run(self):
        with time_machine.travel(NOW, tick=False):
            summaries = {
                "monitoring-windows": monitoring_windows_task(),
                "monitoring-estimate": monitoring_estimate_task(),
                "monitoring-drift": monitoring_drift_task(),
            }
        for job, summary in summaries.items():
            run = MonitoringJobRun.objects.get(job=job)
            assert run.status == "succeeded" and run.summary == summary and run.duration_ms is not None


@pytest.mark.django_db
class TestMissedJobs:
    def test_a_scheduled_job_without_a_recent_success_raises_one_alert(self):
        with time_machine.travel(NOW - dt.timedelta(hours=5), tick=False):
            call_command("setup_periodic_tasks")
        raised = monitoring_missed_jobs_check(now=NOW)
        hourly = [
            "job_missed:monitoring-windows",
            "job_missed:monitoring-estimate",
            "job_missed:monitoring-drift",
            "job_missed:retraining-check",
        ]
        assert [a.key for a in raised] == hourly  # the nightly job is not overdue yet
        assert set(Alert.objects.values_list("severity", flat=True)) == {"critical"}

    def test_a_fresh_deploy_or_a_paused_job_is_not_missed(self):
        call_command("setup_periodic_tasks")
        assert monitoring_watchdog_task() == []
        PeriodicTask.objects.filter(name__startswith="monitoring-").update(enabled=False)  # paused by an admin
        raised = monitoring_missed_jobs_check(now=timezone.now() + dt.timedelta(days=30))
        assert [a.key for a in raised] == ["job_missed:retraining-check", "job_missed:retrain-nightly"]

    def test_a_success_resolves_the_alert(self):
        with time_machine.travel(NOW - dt.timedelta(hours=5), tick=False):
            call_command("setup_periodic_tasks")
        monitoring_missed_jobs_check(now=NOW)
        MonitoringJobRun.objects.create(job="monitoring-windows", status="succeeded", started_at=NOW)
        monitoring_missed_jobs_check(now=NOW + dt.timedelta(minutes=15))
        assert Alert.objects.get(key="job_missed:monitoring-windows").resolved_at is not None
        assert Alert.objects.get(key="job_missed:monitoring-drift").resolved_at is None
