from typing import Any

from celery import Task, shared_task
from celery.utils.log import get_task_logger

logger = get_task_logger(__name__)


def _training_run_execute_failure(
    self: Task, exc: Exception, task_id: str, args: tuple, kwargs: dict, einfo: Any
) -> None:
    """The task itself died (time limit, lost worker): the run row must not stay RUNNING forever."""
    from models_registry.services.training import training_run_fail  # services queue these tasks: a cycle at the top

    training_run_id = kwargs.get("training_run_id") or (args[0] if args else None)
    if training_run_id:
        training_run_fail(training_run_id=training_run_id, error=f"task failed: {type(exc).__name__}: {exc}")


@shared_task(bind=True, max_retries=0, acks_late=True, on_failure=_training_run_execute_failure)
def training_run_execute_task(self: Task, training_run_id: str) -> str:
    """Run one queued TrainingRun (its row records stage, progress, timings and error), then put the version it
    registered through the promotion gate (activated, challenger or rejected; the decision is a PromotionDecision
    row and is written on the run)."""
    # services queue these tasks, so the task module imports them only when a task runs (STYLE.md section 6)
    from models_registry.services.promotion import training_run_gate
    from models_registry.services.training import training_run_execute

    run = training_run_execute(training_run_id=training_run_id)
    training_run_gate(training_run=run)
    return run.status


def _retraining_job(job: str, scheduled: bool) -> dict:
    """Evaluate the retraining triggers of every model name as the job ``job`` (a MonitoringJobRun row)."""
    from models_registry.monitoring.jobs import monitoring_job_run  # see training_run_execute_task
    from models_registry.services.retraining import retraining_check_all

    def work() -> dict:
        checks = retraining_check_all(scheduled=scheduled)
        return {
            "checks": {check.model_name: check.outcome for check in checks},
            "training_runs": [str(check.training_run_id) for check in checks if check.training_run_id],
        }

    return monitoring_job_run(job=job, work=work).summary


@shared_task
def retraining_check_task() -> dict:
    """Hourly: evaluate the four retraining triggers (performance, feedback volume, age, drift) of each model name,
    record them as RetrainingCheck rows, and queue one training when any fired."""
    return _retraining_job("retraining-check", scheduled=False)


@shared_task
def retraining_scheduled_task() -> dict:
    """Daily (02:00 in LEGALNAME_SCHEDULE_TIMEZONE, UTC by default): the scheduled retraining; the same check,
    where new decisions since the last training are a trigger of their own (``schedule``)."""
    return _retraining_job("retrain-nightly", scheduled=True)


def _monitoring_job(job: str, run_name: str) -> dict:
    """Run one monitoring job of ``models_registry.monitoring.jobs`` recorded as a job run; returns its summary."""
    from models_registry.monitoring import jobs  # services queue tasks: importing them at the top is a cycle

    return jobs.monitoring_job_run(job=job, work=getattr(jobs, run_name)).summary


@shared_task
def monitoring_windows_task() -> dict:
    """Hourly: window metrics from analysts' decisions and the breach alerts they call for."""
    return _monitoring_job("monitoring-windows", "monitoring_windows_run")


@shared_task
def monitoring_estimate_task() -> dict:
    """Hourly: the label-free estimate of the window metrics."""
    return _monitoring_job("monitoring-estimate", "monitoring_estimate_run")


@shared_task
def monitoring_drift_task() -> dict:
    """Hourly: drift against the training baseline and the drift alerts it calls for."""
    return _monitoring_job("monitoring-drift", "monitoring_drift_run")


@shared_task
def monitoring_watchdog_task() -> list[str]:
    """Every 15 minutes: fail the training runs whose worker died (stale heartbeat), and alert on a scheduled job
    that has not succeeded in time (and resolve it when it has)."""
    from models_registry.monitoring.jobs import monitoring_missed_jobs_check  # see above
    from models_registry.services.training import training_runs_stale_fail

    training_runs_stale_fail()
    return [alert.key for alert in monitoring_missed_jobs_check()]


# Alert delivery retries: 30 s, 1, 2, 4 and 8 minutes (about a quarter of an hour in all) before it is given up and
# the failure is written on the alert's row.
ALERT_DELIVERY_MAX_RETRIES = 5
ALERT_DELIVERY_BACKOFF_SECONDS = 30


def _alert_deliver_failure(
    self: Task, exc: Exception, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any], einfo: Any
) -> None:
    """Retries ran out (or the task died): the alert's row records that nobody could be told, and why."""
    from models_registry.monitoring.alerts import alert_delivery_fail  # services queue these tasks: a cycle at the top

    alert_id = kwargs.get("alert_id") or (args[0] if args else None)
    if alert_id:
        alert_delivery_fail(alert_id=alert_id, error=f"gave up after {self.request.retries} retries: {exc}")


@shared_task(bind=True, max_retries=ALERT_DELIVERY_MAX_RETRIES, acks_late=True, on_failure=_alert_deliver_failure)
def alert_deliver_task(self: Task, alert_id: str) -> str:
    """Send one alert by e-mail and webhook (each channel on its own); retry the channels that failed with
    exponential backoff, never the ones already reached."""
    from models_registry.monitoring.alerts import (  # see training_run_execute_task
        AlertDeliveryError,
        alert_deliver,
        alert_delivery_failures,
    )

    alert = alert_deliver(alert_id=alert_id)
    failed = alert_delivery_failures(alert=alert)
    if failed:
        errors = "; ".join(f"{channel}: {alert.delivery[channel]['error']}" for channel in failed)
        raise self.retry(
            countdown=ALERT_DELIVERY_BACKOFF_SECONDS * 2**self.request.retries, exc=AlertDeliveryError(errors)
        )
    return str(alert.delivery.get("state", ""))
