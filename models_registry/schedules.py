"""The periodic jobs, defined once in code, and their sync into django-celery-beat's DatabaseScheduler.

``SCHEDULES`` is the one definition of what runs when. ``periodic_tasks_sync`` (the ``setup_periodic_tasks``
command, run by ``make run`` and on every deploy) writes it into celery-beat's ``PeriodicTask`` rows, where admins
can edit and pause them (admin: Periodic tasks). Every crontab is in ``settings.LEGALNAME_SCHEDULE_TIMEZONE``.

Sync rules, per row (matched by name):

- A row missing in the database is created from code, enabled.
- An existing row is compared part by part: its task, its schedule (crontab fields and time zone), its kwargs, its
  description, and whether it is enabled. A part that still holds what the sync last wrote follows the code, so a
  change in code reaches the next deploy. A part that differs was changed by an admin (another crontab, ``enabled``
  off = paused, edited kwargs...): it is kept and reported ("kept the admin's schedule ..."), never overwritten.
  Parts are independent: a paused job still receives a code change to its crontab, so it runs as the code says
  once an admin enables it again. An admin who puts a part back to what the code says hands it back to the code.
- ``reset=True`` (``setup_periodic_tasks --reset``) puts every row back to the code's definition and enables it.
- A row of one of our tasks (``OUR_TASK_PREFIXES``) whose name is no longer in code is disabled, not deleted
  (its run history stays, an admin deletes it), with a note in its description; it is disabled again on each sync
  if someone enables it. Rows of other apps' tasks are never touched.
- Everything happens in one transaction, and a row is saved only when something in it changes: a second sync
  changes nothing (and leaves ``date_changed``, the watchdog's grace period for a new schedule, alone).

How the sync tells an admin's edit from a code change: the last line of each row's description records what the
sync last wrote (``[schedule-sync {"task": ..., "schedule": "20 * * * * UTC", ...}]``; the description's prose
as a short digest). A part of the row that equals the record is untouched since the last sync. The record lives
on the row it describes rather than in a table of our own: no migration or second table to keep in step with
celery-beat's (a row deleted, renamed or recreated in the admin carries its record or has none), and an admin can
see why the sync keeps an edit. Its cost: an admin who deletes that line turns the row into one without a record.
A row without a record (written before this sync existed, by the old upsert command) is adopted: it follows the
code except ``enabled``, which is kept as found, because the old command never touched ``enabled`` either, so a
pause made before the upgrade survives it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

OUR_TASK_PREFIXES = ("models_registry.tasks.", "comparisons.tasks.", "feedback.tasks.", "experiments.tasks.")


@dataclass(frozen=True)
class Schedule:
    """One periodic job: celery-beat row ``name`` runs ``task`` with ``kwargs`` on a crontab in the schedule time
    zone. ``description`` says what it does and when (shown in the admin)."""

    name: str
    task: str
    description: str
    minute: str
    hour: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"
    kwargs: Mapping[str, object] = field(default_factory=dict)

    @property
    def crontab(self) -> str:
        return f"{self.minute} {self.hour} {self.day_of_month} {self.month_of_year} {self.day_of_week}"


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        name="monitoring-windows",
        task="models_registry.tasks.monitoring_windows_task",
        description="Hourly at minute 5: the last hour's, day's and week's audit and all-reviews metrics of each "
        "version, then the threshold-breach alerts.",
        # https://crontab.guru/#5_*_*_*_* : at minute 5 of every hour (the hour just ended is complete by then)
        minute="5",
    ),
    Schedule(
        name="monitoring-estimate",
        task="models_registry.tasks.monitoring_estimate_task",
        description="Hourly at minute 10: the label-free estimate of each version's metrics from its calibrated "
        "probabilities.",
        # https://crontab.guru/#10_*_*_*_* : at minute 10 of every hour
        minute="10",
    ),
    Schedule(
        name="monitoring-drift",
        task="models_registry.tasks.monitoring_drift_task",
        description="Hourly at minute 15: drift of the last 24 hours against each version's training baseline, "
        "then the drift alert.",
        # https://crontab.guru/#15_*_*_*_* : at minute 15 of every hour
        minute="15",
    ),
    Schedule(
        name="retraining-check",
        task="models_registry.tasks.retraining_check_task",
        description="Hourly at minute 20, after the monitoring jobs so it reads fresh numbers: the retraining "
        "triggers of each model name (performance, feedback volume, age, drift); queues a training when one fires.",
        # https://crontab.guru/#20_*_*_*_* : at minute 20 of every hour
        minute="20",
    ),
    Schedule(
        name="monitoring-watchdog",
        task="models_registry.tasks.monitoring_watchdog_task",
        description="Every 15 minutes: an alert when a scheduled job has not succeeded for two of its periods.",
        # https://crontab.guru/#*/15_*_*_*_* : every 15 minutes
        minute="*/15",
    ),
    Schedule(
        name="retrain-nightly",
        task="models_registry.tasks.retraining_scheduled_task",
        description="Daily at 02:00: the scheduled retraining (the hourly check, where new decisions since the last "
        "training are a trigger of their own).",
        # https://crontab.guru/#0_2_*_*_* : at 02:00 every day
        minute="0",
        hour="2",
    ),
)

_RECORD = re.compile(r"\[schedule-sync (\{.*\})\]\s*$")
_IN_CODE = "Defined in code (models_registry/schedules.py); a deploy keeps an admin's edits, `--reset` drops them."
_REMOVED = "No longer defined in code: disabled by the sync on {date}; delete this row when its history is not needed."


@dataclass(frozen=True)
class SyncChange:
    """What the sync did to one row: ``action`` is created, updated, unchanged or disabled; ``changed`` lists the
    parts set from code, ``kept`` the admin's edits left in place."""

    name: str
    action: str
    changed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()

    def __str__(self) -> str:
        details = [*self.changed, *(f"kept the admin's {kept}" for kept in self.kept)]
        return f"{self.action} {self.name}" + (f": {'; '.join(details)}" if details else "")


@dataclass(frozen=True)
class _Part:
    """One part of a row the sync compares on its own: ``read`` gives the row's value as recorded, ``write`` sets
    the code's."""

    name: str
    read: Callable[[PeriodicTask], object]
    wanted: Callable[[Schedule, str], object]
    write: Callable[[PeriodicTask, Schedule, str], None]


def _digest(text: str) -> str:
    return hashlib.sha1(text.strip().encode()).hexdigest()[:10]


def _prose(row: PeriodicTask) -> str:
    """The description without the sync's record line."""
    lines = row.description.rstrip().splitlines()
    if lines and _RECORD.search(lines[-1]):
        lines = lines[:-1]
    return "\n".join(lines).strip()


def _record(row: PeriodicTask) -> dict[str, object] | None:
    lines = row.description.rstrip().splitlines()
    match = _RECORD.search(lines[-1]) if lines else None
    if match is None:
        return None
    try:
        record = json.loads(match.group(1))
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _row_schedule(row: PeriodicTask) -> str:
    if row.crontab_id is not None:
        cron = row.crontab
        return f"{cron.minute} {cron.hour} {cron.day_of_month} {cron.month_of_year} {cron.day_of_week} {cron.timezone}"
    for kind in ("interval", "solar", "clocked"):
        if getattr(row, f"{kind}_id") is not None:
            return f"{kind} {getattr(row, kind)}"
    return ""


def _row_kwargs(row: PeriodicTask) -> object:
    try:
        return json.loads(row.kwargs or "{}")
    except ValueError:
        return row.kwargs


def _write_schedule(row: PeriodicTask, schedule: Schedule, tz: str) -> None:
    fields = {
        "minute": schedule.minute,
        "hour": schedule.hour,
        "day_of_month": schedule.day_of_month,
        "month_of_year": schedule.month_of_year,
        "day_of_week": schedule.day_of_week,
    }
    # Another crontab row with these values may exist (admins create them): reuse the oldest. Never edit a crontab
    # in place, other tasks may share it.
    crontab = CrontabSchedule.objects.filter(**fields, timezone=ZoneInfo(tz)).order_by("pk").first()
    row.crontab = crontab or CrontabSchedule.objects.create(**fields, timezone=ZoneInfo(tz))
    row.interval = row.solar = row.clocked = None


def _set_enabled(row: PeriodicTask, enabled: bool) -> None:
    row.enabled = enabled


_PARTS = (
    _Part(
        "task",
        read=lambda row: row.task,
        wanted=lambda schedule, tz: schedule.task,
        write=lambda row, schedule, tz: setattr(row, "task", schedule.task),
    ),
    _Part(
        "schedule",
        read=_row_schedule,
        wanted=lambda schedule, tz: f"{schedule.crontab} {tz}",
        write=_write_schedule,
    ),
    _Part(
        "kwargs",
        read=_row_kwargs,
        wanted=lambda schedule, tz: dict(schedule.kwargs),
        write=lambda row, schedule, tz: setattr(row, "kwargs", json.dumps(dict(schedule.kwargs))),
    ),
    _Part(
        "description",
        read=lambda row: _digest(_prose(row)),
        wanted=lambda schedule, tz: _digest(schedule.description),
        write=lambda row, schedule, tz: setattr(row, "description", schedule.description),
    ),
    _Part(
        "enabled",
        read=lambda row: row.enabled,
        wanted=lambda schedule, tz: True,
        write=lambda row, schedule, tz: _set_enabled(row, True),
    ),
)


def _describe(part: str, value: object) -> str:
    if part == "enabled":
        return "pause" if value is False else "enabling"
    if part == "description":
        return "description"
    return f"{part} {json.dumps(value) if part == 'kwargs' else value}"


def _with_record(prose: str, record: Mapping[str, object], note: str) -> str:
    line = f"{note} [schedule-sync {json.dumps(record, sort_keys=True)}]"
    return f"{prose}\n\n{line}" if prose else line


def _schedule_sync(row: PeriodicTask, schedule: Schedule, *, tz: str, reset: bool) -> SyncChange:
    record = _record(row)
    changed: list[str] = []
    kept: list[str] = []
    for part in _PARTS:
        current, wanted = part.read(row), part.wanted(schedule, tz)
        if current == wanted:
            continue
        untouched = record is not None and record.get(part.name) == current
        adopted = (record is None or part.name not in record) and part.name != "enabled"
        if reset or untouched or adopted:
            part.write(row, schedule, tz)
            changed.append("description" if part.name == "description" else f"{part.name} {current} -> {wanted}")
        else:
            kept.append(_describe(part.name, current))
    new_record = {part.name: part.wanted(schedule, tz) for part in _PARTS}
    description = _with_record(_prose(row), new_record, _IN_CODE)
    if not changed and description == row.description:
        return SyncChange(schedule.name, "unchanged", kept=tuple(kept))
    row.description = description
    row.save()
    return SyncChange(schedule.name, "updated", changed=tuple(changed) or ("record",), kept=tuple(kept))


@transaction.atomic
def periodic_tasks_sync(*, reset: bool = False) -> list[SyncChange]:
    """Write ``SCHEDULES`` into celery-beat's table by the rules in this module's docstring; returns what happened
    to each row (ours in code order, then the disabled ones)."""
    tz = str(settings.LEGALNAME_SCHEDULE_TIMEZONE)
    ZoneInfo(tz)  # an unknown zone fails the deploy here, before any row is written
    # of=("self",): PostgreSQL cannot lock the nullable side of the schedule joins. Two deploys syncing at once
    # queue behind each other instead of interleaving.
    rows = {
        row.name: row
        for row in PeriodicTask.objects.select_for_update(of=("self",))
        .select_related("crontab", "interval", "solar", "clocked")
        .order_by("name")
    }
    changes: list[SyncChange] = []
    for schedule in SCHEDULES:
        row = rows.get(schedule.name)
        if row is None:
            row = PeriodicTask(name=schedule.name, task=schedule.task)
            for part in _PARTS:
                part.write(row, schedule, tz)
            row.description = _with_record(
                schedule.description, {part.name: part.wanted(schedule, tz) for part in _PARTS}, _IN_CODE
            )
            row.full_clean()
            row.save()
            changes.append(SyncChange(schedule.name, "created", changed=(f"schedule {schedule.crontab} {tz}",)))
        else:
            changes.append(_schedule_sync(row, schedule, tz=tz, reset=reset))
    in_code = {schedule.name for schedule in SCHEDULES}
    for name, row in rows.items():
        if name in in_code or not row.task.startswith(OUR_TASK_PREFIXES):
            continue
        record = _record(row)
        if not row.enabled and record is not None and record.get("removed"):
            continue
        row.enabled = False
        removed = {**(record or {}), "enabled": False, "removed": True}
        row.description = _with_record(_prose(row), removed, _REMOVED.format(date=f"{timezone.now():%Y-%m-%d}"))
        row.save()
        changes.append(SyncChange(name, "disabled", changed=("no longer defined in code",)))
    return changes
