"""The retraining triggers: the one policy that decides when a model name is trained again. The hourly check, the
daily scheduled retraining (``models_registry.tasks``) and anyone else who asks call ``retraining_check``; every
evaluation is a RetrainingCheck row with each trigger's numbers, whether anything fired or not.

The triggers (``TRIGGERS``, in the order they are named in a run's ``trigger``):

- **performance**: a threshold breach of the active version in its latest audit windows, exactly as monitoring
  calls it (``performance_breaches_list``: audit slice only, at least ``min_audit_n`` decisions, the whole Wilson
  95% interval below the floor). The check does not judge again; it records the breaches with their interval and
  n, and, so that a quiet check still shows its numbers, the latest audit window of each kind.
- **feedback_volume**: at least LEGALNAME_RETRAIN_MIN_FEEDBACK decisions in ``feedback_for_training_list`` (the
  decision in force per prediction, unprocessed, decisive, not held out): the very set the next training uses and
  marks processed, so "since the last training" needs no date of its own. The set is not split by model name,
  because training does not split it either: a training of any name consumes it.
- **age**: the active version was *trained* more than LEGALNAME_RETRAIN_MAX_AGE_DAYS days ago (its ``created_at``,
  the registration; ``activated_at`` is recorded beside it). Age stands for what the model learned from, and a
  version that is activated again by a rollback has not learned anything newer.
- **drift**: the drift level of the latest drift window is ``alert`` (``drift_level``: the share of drifting
  features reached ``drift_share_alert``); the findings at alert level are recorded, each naming its feature,
  statistic, value and threshold.
- **schedule** (only with ``scheduled=True``, the daily 02:00 retraining): at least
  LEGALNAME_RETRAIN_NIGHTLY_MIN_FEEDBACK decisions in the same training set, so a night without new decisions
  trains nothing.

Performance, age and drift describe the active version: without one they cannot fire, and say so.

**Evidence already answered.** A training whose candidate the promotion gate did not activate leaves the old
version active, and the breach, the drift window and the age that fired would fire again at the next hourly check:
one training after another on the same evidence. So performance, drift and age count only evidence *wholly after*
the last training of the name that succeeded while the active version was active (``answered_at``: the latest
``started_at`` of a succeeded run that started after the version was created): a breach window or drift window
that starts after it, an age counted from it. A new window of fresh evidence fires again (the next complete hour,
day or week; the next 24-hour drift window; D more days). A failed training answers nothing. The breaches and
findings that were answered are still recorded, under ``answered``. Feedback volume and the schedule need no such
rule: a training marks the decisions it used processed.

**Queueing.** Several triggers firing queue one training, ``trigger`` the fired names joined by ``+`` and
``params["triggers"]`` their numbers. ``training_run_queue`` refuses (409) while a run of the name is queued or
running, decided by the database's partial unique constraint, so two checks racing queue one run; the loser's row
says ALREADY_ACTIVE and names the run that blocked it (in ``outcome_detail``; ``training_run`` is only ever the run
the check itself queued). The row and the queued run are written in one transaction. An unexpected error writes a
FAILED row with the error and whatever numbers were gathered (in its own transaction), then propagates, so the job
run and Celery record the failure too.

**Cost.** About a dozen queries per model name, whatever the traffic: the active version, ``answered_at``, the
breaches (three), the latest audit windows (two), drift (four), one count of the training set; plus the queueing
and the row. No loop over decisions or predictions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import DurationField, ExpressionWrapper, F, Max
from django.utils import timezone

from feedback.selectors import feedback_for_training_list
from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelMetric, ModelVersion, RetrainingCheck, TrainingRun
from models_registry.monitoring.drift import DriftFinding, drift_level, drift_status_list
from models_registry.monitoring.performance import (
    DATASET_AUDIT,
    THRESHOLD_METRICS,
    Breach,
    performance_breaches_list,
    threshold_get,
    window_kind,
)
from models_registry.selectors import model_version_active_get
from models_registry.services.training import training_run_queue

PERFORMANCE, FEEDBACK_VOLUME, AGE, DRIFT, SCHEDULE = "performance", "feedback_volume", "age", "drift", "schedule"
TRIGGERS = (PERFORMANCE, FEEDBACK_VOLUME, AGE, DRIFT, SCHEDULE)
_ACTIVE_STATUSES = (TrainingRun.Status.QUEUED, TrainingRun.Status.RUNNING)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _number(value: float) -> float | None:
    """A float JSON can carry: PostgreSQL's jsonb refuses NaN and infinities."""
    return float(value) if math.isfinite(value) else None


def _breach(breach: Breach) -> dict[str, Any]:
    return {
        "metric": breach.metric,
        "value": _number(breach.value),
        "low": _number(breach.low),
        "high": _number(breach.high),
        "n": breach.n,
        "threshold": breach.threshold,
        "window": breach.window,
        "window_start": _iso(breach.window_start),
        "window_end": _iso(breach.window_end),
        "reason": breach.reason,
    }


def _audit_windows_latest(*, version: ModelVersion, now: datetime) -> dict[str, dict[str, Any]]:
    """The latest stored audit window of each kind (hour, day, week) of ``version`` ending at or before ``now``:
    its bounds, ``n`` and the thresholded metrics with their intervals. Two queries (the same reading as
    ``performance_breaches_list``, which returns breaches only)."""
    rows = ModelMetric.objects.filter(model_version=version, dataset=DATASET_AUDIT, window_start__isnull=False)
    span = ExpressionWrapper(F("window_end") - F("window_start"), output_field=DurationField())
    latest = (
        rows.filter(metric_name="n", window_end__lte=now)
        .order_by()
        .annotate(span=span)
        .values("span")
        .annotate(latest=Max("window_end"))
    )
    kinds: dict[tuple[datetime | None, datetime | None], str] = {}
    for row in latest:
        start, end = row["latest"] - row["span"], row["latest"]
        kind = window_kind(start=start, end=end)
        if kind is not None:
            kinds[(start, end)] = kind
    if not kinds:
        return {}
    names = ["n", *(f"{m}{suffix}" for m in THRESHOLD_METRICS for suffix in ("", "_low", "_high"))]
    windows: dict[str, dict[str, Any]] = {}
    ends = [end for _, end in kinds]
    for start, end, name, value in rows.filter(window_end__in=ends, metric_name__in=names).values_list(
        "window_start", "window_end", "metric_name", "metric_value"
    ):
        kind = kinds.get((start, end))
        if kind is None:
            continue  # another kind's window ending at the same moment (the hour before midnight, the day)
        window = windows.setdefault(kind, {"window_start": _iso(start), "window_end": _iso(end)})
        window[name] = int(value) if name == "n" else _number(value)
    return windows


def _answered_at(*, version: ModelVersion) -> datetime | None:
    """When the last training of the version's name that succeeded while the version was active started (its data
    was collected then), or None: evidence about the version before that moment was already answered."""
    answered: datetime | None = TrainingRun.objects.filter(
        model_name=version.name, status=TrainingRun.Status.SUCCEEDED, started_at__gt=version.created_at
    ).aggregate(latest=Max("started_at"))["latest"]
    return answered


def _no_active(name: str) -> dict[str, Any]:
    return {"fired": False, "version": None, "summary": f"no active version of {name}: this trigger cannot fire"}


def _performance(*, version: ModelVersion, now: datetime, answered_at: datetime | None) -> dict[str, Any]:
    threshold = threshold_get(model_name=version.name)
    breaches = performance_breaches_list(model_name=version.name, now=now)
    fresh = [b for b in breaches if answered_at is None or b.window_start >= answered_at]
    details: dict[str, Any] = {
        "fired": bool(fresh),
        "version": version.version,
        "breaches": [_breach(b) for b in fresh],
        "answered": [_breach(b) for b in breaches if b not in fresh],
        "answered_at": _iso(answered_at),
        "thresholds": {metric: getattr(threshold, f"{metric}_min") for metric in THRESHOLD_METRICS},
        "min_audit_n": threshold.min_audit_n,
        "windows": _audit_windows_latest(version=version, now=now),
    }
    if fresh:
        first = _breach(fresh[0])
        details.update({key: first[key] for key in first if key != "reason"})
        more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
        details["summary"] = f"fired: {fresh[0].reason}{more}"
    elif breaches:
        details["summary"] = (
            f"not fired: {breaches[0].reason}, but the window began before the training that answered it "
            f"(started {answered_at:%Y-%m-%d %H:%M} UTC)"
        )
    else:
        seen = ", ".join(
            f"{kind} n={w['n']}" for kind, w in sorted(details["windows"].items(), key=lambda item: item[0])
        )
        details["summary"] = (
            f"not fired: no audited metric of v{version.version} is below its threshold with at least "
            f"{threshold.min_audit_n} audit decisions ({seen or 'no audit window stored yet'})"
        )
    return details


def _feedback_volume(*, n: int) -> dict[str, Any]:
    minimum = settings.LEGALNAME_RETRAIN_MIN_FEEDBACK
    fired = n >= minimum
    return {
        "fired": fired,
        "n": n,
        "minimum": minimum,
        "summary": f"{'fired' if fired else 'not fired'}: {n} unprocessed decisive decisions since the last "
        f"training ({'at least' if fired else 'fewer than'} {minimum})",
    }


def _age(*, version: ModelVersion, now: datetime, answered_at: datetime | None) -> dict[str, Any]:
    max_days = float(settings.LEGALNAME_RETRAIN_MAX_AGE_DAYS)
    age_days = (now - version.created_at) / timedelta(days=1)
    since_days = (now - answered_at) / timedelta(days=1) if answered_at is not None else None
    fired = age_days > max_days and (since_days is None or since_days > max_days)
    details: dict[str, Any] = {
        "fired": fired,
        "version": version.version,
        "created_at": _iso(version.created_at),
        "activated_at": _iso(version.activated_at),
        "age_days": round(age_days, 3),
        "max_days": max_days,
        "answered_at": _iso(answered_at),
    }
    if fired:
        details["summary"] = f"fired: v{version.version} was trained {age_days:.1f} days ago (more than {max_days:g})"
    elif age_days > max_days:
        details["summary"] = (
            f"not fired: v{version.version} was trained {age_days:.1f} days ago, but a training ran "
            f"{since_days:.1f} days ago (not more than {max_days:g})"
        )
    else:
        details["summary"] = (
            f"not fired: v{version.version} was trained {age_days:.1f} days ago (not more than {max_days:g})"
        )
    return details


def _finding(finding: DriftFinding) -> dict[str, Any]:
    return {
        "feature": finding.feature,
        "statistic": finding.statistic,
        "value": _number(finding.value),
        "threshold": finding.threshold,
    }


def _drift(*, version: ModelVersion, answered_at: datetime | None) -> dict[str, Any]:
    findings = drift_status_list(model_name=version.name)
    level = drift_level(findings)
    start = findings[0].window_start if findings else None
    answered = level == "alert" and answered_at is not None and (start is None or start < answered_at)
    fired = level == "alert" and not answered
    alerting = [_finding(f) for f in findings if f.level == "alert"]
    details: dict[str, Any] = {
        "fired": fired,
        "version": version.version,
        "level": level,
        "window_start": _iso(start),
        "window_end": _iso(findings[0].window_end if findings else None),
        "findings": alerting,
        "answered_at": _iso(answered_at),
    }
    share = next((f for f in findings if f.statistic == "drift_share"), None)
    named = ", ".join(f"{f['statistic']} of {f['feature']}" for f in alerting if f["feature"])
    if not findings:
        details["summary"] = f"not fired: no drift window of v{version.version} stored yet"
    elif share is None:
        details["summary"] = f"not fired: {findings[0].reason}"
    elif fired:
        details["summary"] = f"fired: {share.reason}" + (f"; at alert level: {named}" if named else "")
    elif answered:
        details["summary"] = (
            f"not fired: {share.reason}, but the window began before the training that answered it "
            f"(started {answered_at:%Y-%m-%d %H:%M} UTC)"
        )
    else:
        details["summary"] = f"not fired: level {level}; {share.reason}"
    return details


def _schedule(*, n: int) -> dict[str, Any]:
    minimum = settings.LEGALNAME_RETRAIN_NIGHTLY_MIN_FEEDBACK
    fired = n >= minimum
    return {
        "fired": fired,
        "n": n,
        "minimum": minimum,
        "summary": f"{'fired' if fired else 'not fired'}: the daily retraining, {n} new decisive decisions "
        f"since the last training ({'at least' if fired else 'fewer than'} {minimum})",
    }


def retraining_triggers_evaluate(
    *, model_name: str, scheduled: bool = False, now: datetime | None = None
) -> dict[str, dict]:
    """Each trigger of ``model_name`` at ``now``: ``fired``, its numbers and a one-sentence ``summary`` (JSON-able).
    The ``schedule`` trigger only when ``scheduled``. Reads only; the module docstring records the decisions."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    version = model_version_active_get(name=model_name)
    n = feedback_for_training_list().count()
    details: dict[str, dict] = {}
    if version is None:
        details[PERFORMANCE] = _no_active(model_name)
    else:
        answered_at = _answered_at(version=version)
        details[PERFORMANCE] = _performance(version=version, now=now, answered_at=answered_at)
    details[FEEDBACK_VOLUME] = _feedback_volume(n=n)
    if version is None:
        details[AGE], details[DRIFT] = _no_active(model_name), _no_active(model_name)
    else:
        details[AGE] = _age(version=version, now=now, answered_at=answered_at)
        details[DRIFT] = _drift(version=version, answered_at=answered_at)
    if scheduled:
        details[SCHEDULE] = _schedule(n=n)
    return details


def _blocking_detail(*, model_name: str) -> str:
    run = TrainingRun.objects.filter(model_name=model_name, status__in=_ACTIVE_STATUSES).first()
    if run is None:  # finished between the refusal and this read
        return f"a training of {model_name} was already queued or running"
    return (
        f"training run {run.pk} ({run.trigger}, {run.status} since {run.created_at:%Y-%m-%d %H:%M} UTC) is already "
        f"queued or running; nothing more was queued"
    )


def retraining_check(*, model_name: str, scheduled: bool = False, now: datetime | None = None) -> RetrainingCheck:
    """Evaluate the triggers of ``model_name``, queue one training when any fired (unless one is queued or running),
    and record it all as a RetrainingCheck row, returned. An unexpected error is recorded as a FAILED row, then
    raised."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")  # the caller's mistake, not a check that failed
    details: dict[str, dict] = {}
    try:
        details = retraining_triggers_evaluate(model_name=model_name, scheduled=scheduled, now=now)
        fired = [name for name in TRIGGERS if details.get(name, {}).get("fired")]
        with transaction.atomic():
            run, outcome, detail = None, RetrainingCheck.Outcome.NOTHING_FIRED, "no trigger fired"
            if fired:
                try:
                    run = training_run_queue(
                        trigger="+".join(fired),
                        params={"triggers": {name: details[name] for name in fired}},
                        model_name=model_name,
                    )
                    outcome, detail = RetrainingCheck.Outcome.QUEUED, f"training run {run.pk} queued ({run.trigger})"
                except ApplicationError as exc:
                    if exc.status_code != 409:
                        raise
                    outcome, detail = RetrainingCheck.Outcome.ALREADY_ACTIVE, _blocking_detail(model_name=model_name)
            return _check_save(
                model_name=model_name,
                now=now,
                scheduled=scheduled,
                fired=fired,
                details=details,
                outcome=outcome,
                outcome_detail=detail,
                training_run=run,
            )
    except Exception as exc:
        with transaction.atomic():
            _check_save(
                model_name=model_name,
                now=now,
                scheduled=scheduled,
                fired=[name for name in TRIGGERS if details.get(name, {}).get("fired")],
                details=details,
                outcome=RetrainingCheck.Outcome.FAILED,
                outcome_detail=f"{type(exc).__name__}: {exc}",
                training_run=None,
            )
        raise


def _check_save(
    *,
    model_name: str,
    now: datetime,
    scheduled: bool,
    fired: list[str],
    details: dict[str, dict],
    outcome: str,
    outcome_detail: str,
    training_run: TrainingRun | None,
) -> RetrainingCheck:
    check = RetrainingCheck(
        model_name=model_name,
        checked_at=now,
        scheduled=scheduled,
        fired=fired,
        details=details,
        outcome=outcome,
        outcome_detail=outcome_detail,
        training_run=training_run,
    )
    check.full_clean()
    check.save()
    return check


def _model_names() -> Iterable[str]:
    active = ModelVersion.objects.filter(is_active=True).order_by("name").values_list("name", flat=True)
    return sorted({settings.LEGALNAME_MODEL_NAME, *active})


def retraining_check_all(*, scheduled: bool = False, now: datetime | None = None) -> list[RetrainingCheck]:
    """``retraining_check`` for every model name with an active version, and LEGALNAME_MODEL_NAME (which may have
    none yet: the feedback volume can still train its first version). One name failing does not stop the others;
    the first error is raised once all were checked (each failure has its FAILED row)."""
    now = now or timezone.now()
    checks: list[RetrainingCheck] = []
    errors: list[Exception] = []
    for name in _model_names():
        try:
            checks.append(retraining_check(model_name=name, scheduled=scheduled, now=now))
        except Exception as exc:  # recorded on its row by retraining_check; raised below
            errors.append(exc)
    if errors:
        raise errors[0]
    return checks
