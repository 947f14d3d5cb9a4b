"""Scheduled monitoring jobs as rows: each run records when it started, how long it took and how it ended, so that a
job that did not run is told apart from one that found nothing (``monitoring_missed_jobs_check``).

The schedules themselves are defined in code (``setup_periodic_tasks``) and synced into django-celery-beat's
DatabaseScheduler, where admins can edit and pause them; ``EXPECTED_JOBS`` says how often each job must succeed.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from models_registry.models import Alert, ModelVersion, MonitoringJobRun
from models_registry.monitoring.alerts import alert_raise, alert_resolve
from models_registry.monitoring.drift import drift_compute, drift_level, drift_status_list
from models_registry.monitoring.estimate import performance_estimate_compute
from models_registry.monitoring.performance import (
    THRESHOLD_METRICS,
    performance_breaches_list,
    performance_windows_compute,
)

logger = logging.getLogger(__name__)

# job name -> how often it is scheduled. A job is missed when its last success is older than twice that (one run
# may fail or run late without an alert; two in a row is a problem someone must look at).
EXPECTED_JOBS: dict[str, timedelta] = {
    "monitoring-windows": timedelta(hours=1),
    "monitoring-estimate": timedelta(hours=1),
    "monitoring-drift": timedelta(hours=1),
    "retraining-check": timedelta(hours=1),
    "retrain-nightly": timedelta(days=1),
}
MISSED_AFTER_PERIODS = 2


def monitoring_job_run(*, job: str, work: Callable[[], dict]) -> MonitoringJobRun:
    """Run ``work`` as the job ``job``, recording the run (start, duration, summary or error) on a row.

    The error is recorded, logged and re-raised, so that Celery records the failure too."""
    run = MonitoringJobRun.objects.create(job=job, started_at=timezone.now())
    started = time.perf_counter()
    try:
        summary = work()
    except Exception:
        run.status, run.error = MonitoringJobRun.Status.FAILED, traceback.format_exc()[-5000:]
        run.finished_at, run.duration_ms = timezone.now(), (time.perf_counter() - started) * 1000
        run.save(update_fields=["status", "error", "finished_at", "duration_ms", "updated_at"])
        logger.exception("monitoring job %s failed", job)
        raise
    run.status, run.summary = MonitoringJobRun.Status.SUCCEEDED, summary
    run.finished_at, run.duration_ms = timezone.now(), (time.perf_counter() - started) * 1000
    run.save(update_fields=["status", "summary", "finished_at", "duration_ms", "updated_at"])
    return run


def monitoring_missed_jobs_check(*, now: datetime | None = None) -> list[Alert]:
    """Raise a ``job_missed`` alert for each expected job that is scheduled (its celery-beat row enabled) and whose
    last success is older than ``MISSED_AFTER_PERIODS`` of its period, counting from the schedule's last change
    when it never succeeded (a fresh deploy is not a missed job); resolve the alert of a job that succeeded again
    or was paused by an admin. Returns the alerts raised."""
    now = now or timezone.now()
    last = dict(
        MonitoringJobRun.objects.filter(job__in=EXPECTED_JOBS, status=MonitoringJobRun.Status.SUCCEEDED)
        .values("job")
        .annotate(last=Max("started_at"))
        .values_list("job", "last")
    )
    scheduled = dict(
        PeriodicTask.objects.filter(name__in=EXPECTED_JOBS, enabled=True).values_list("name", "date_changed")
    )
    raised = []
    for job, period in EXPECTED_JOBS.items():
        key = f"job_missed:{job}"
        last_success = last.get(job)
        expected_since = last_success or scheduled.get(job)
        overdue = (
            job in scheduled and expected_since is not None and now - expected_since > period * MISSED_AFTER_PERIODS
        )
        if not overdue:
            alert_resolve(key=key, now=now)
            continue
        since = f"since {last_success:%Y-%m-%d %H:%M} UTC" if last_success else "ever"
        raised.append(
            alert_raise(
                kind=Alert.Kind.JOB_MISSED,
                key=key,
                subject=f"Scheduled job {job} has not succeeded {since}",
                details={
                    "job": job,
                    "period_hours": period.total_seconds() / 3600,
                    "last_success": last_success.isoformat() if last_success else None,
                    "checked_at": now.isoformat(),
                },
                severity=Alert.Severity.CRITICAL,
                now=now,
            )
        )
    return raised


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _active_model_names(model_name: str | None) -> list[str]:
    names = ModelVersion.objects.filter(is_active=True).values_list("name", flat=True).distinct()
    return list(names.filter(name=model_name) if model_name is not None else names)


def monitoring_breach_alerts_evaluate(*, now: datetime, model_name: str | None = None) -> list[Alert]:
    """A threshold breach of the audit slice, per active model name and metric (key ``breach:<model>:<metric>``),
    raised or repeated; a metric no longer in breach resolves its alert. Returns the alerts raised or repeated."""
    raised: list[Alert] = []
    for name in _active_model_names(model_name):
        breaches = {b.metric: b for b in performance_breaches_list(model_name=name, now=now)}
        for metric in THRESHOLD_METRICS:
            key = f"breach:{name}:{metric}"
            breach = breaches.get(metric)
            if breach is None:
                alert_resolve(key=key, now=now)
                continue
            details = {field: _jsonable(getattr(breach, field)) for field in breach.__dataclass_fields__}
            raised.append(
                alert_raise(
                    kind=Alert.Kind.THRESHOLD_BREACH,
                    key=key,
                    subject=f"{name}: {breach.reason}",
                    details=details,
                    severity=Alert.Severity.CRITICAL,
                    model_name=name,
                    now=now,
                )
            )
    return raised


def monitoring_drift_alerts_evaluate(*, now: datetime, model_name: str | None = None) -> list[Alert]:
    """Drift at the alert level, per active model name (key ``drift:<model>``), raised or repeated; drift below it
    resolves the alert. Returns the alerts raised or repeated."""
    raised: list[Alert] = []
    for name in _active_model_names(model_name):
        findings = drift_status_list(model_name=name)
        key = f"drift:{name}"
        if drift_level(findings) != "alert":
            alert_resolve(key=key, now=now)
            continue
        worst = [f for f in findings if f.level == "alert"]
        raised.append(
            alert_raise(
                kind=Alert.Kind.DRIFT,
                key=key,
                subject=f"{name}: inputs drifted from the training baseline ({worst[0].reason})",
                details={
                    "findings": [
                        {field: _jsonable(getattr(f, field)) for field in f.__dataclass_fields__} for f in worst[:20]
                    ]
                },
                severity=Alert.Severity.WARNING,
                model_name=name,
                now=now,
            )
        )
    return raised


def monitoring_alerts_evaluate(*, now: datetime, model_name: str | None = None) -> list[Alert]:
    """Both kinds of alert the stored numbers call for (breaches, then drift)."""
    return [
        *monitoring_breach_alerts_evaluate(now=now, model_name=model_name),
        *monitoring_drift_alerts_evaluate(now=now, model_name=model_name),
    ]


# The three hourly jobs, each scheduled and recorded on its own (a failure of one does not stop the others).
def monitoring_windows_run(*, now: datetime | None = None) -> dict:
    """Window metrics from analysts' decisions, then the breach alerts they call for."""
    now = now or timezone.now()
    rows = performance_windows_compute(now=now)
    alerts = monitoring_breach_alerts_evaluate(now=now)
    return {"now": now.isoformat(), "window_rows": len(rows), "alerts": [alert.key for alert in alerts]}


def monitoring_estimate_run(*, now: datetime | None = None) -> dict:
    """The label-free estimate of the window metrics."""
    now = now or timezone.now()
    return {"now": now.isoformat(), "estimate_rows": len(performance_estimate_compute(now=now))}


def monitoring_drift_run(*, now: datetime | None = None) -> dict:
    """Drift of the last 24 hours against the baseline, then the drift alerts it calls for."""
    now = now or timezone.now()
    rows = drift_compute(now=now)
    alerts = monitoring_drift_alerts_evaluate(now=now)
    return {"now": now.isoformat(), "drift_rows": len(rows), "alerts": [alert.key for alert in alerts]}


def monitoring_hourly_run(*, now: datetime | None = None) -> dict:
    """All three hourly jobs in order, in this process (the scenario replay and the benchmark use it)."""
    now = now or timezone.now()
    windows, estimate, drift = (
        monitoring_windows_run(now=now),
        monitoring_estimate_run(now=now),
        monitoring_drift_run(now=now),
    )
    return {
        "now": now.isoformat(),
        "window_rows": windows["window_rows"],
        "estimate_rows": estimate["estimate_rows"],
        "drift_rows": drift["drift_rows"],
        "alerts": windows["alerts"] + drift["alerts"],
    }
