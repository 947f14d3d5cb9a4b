"""models_registry.schedules: the schedules defined in code land in celery-beat's table in the schedule time zone;
code changes reach rows nobody edited, an admin's edit or pause survives a deploy, ``reset`` drops them, ours no
longer in code are disabled, other apps' rows are left alone, and a second sync changes nothing."""

import dataclasses
import json

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from models_registry import schedules
from models_registry.schedules import SCHEDULES, periodic_tasks_sync

CHANGELIST = "/admin/django_celery_beat/periodictask/"


def _rows() -> dict[str, PeriodicTask]:
    return {row.name: row for row in PeriodicTask.objects.select_related("crontab")}


def _cron(row: PeriodicTask) -> str:
    c = row.crontab
    return f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week} {c.timezone}"


def _code_with(monkeypatch, name: str, **changes) -> None:
    """Pretend the code now defines schedule ``name`` with ``changes`` (or drops it when ``changes`` is empty)."""
    changed = tuple(
        dataclasses.replace(schedule, **changes) if schedule.name == name else schedule
        for schedule in SCHEDULES
        if schedule.name != name or changes
    )
    monkeypatch.setattr(schedules, "SCHEDULES", changed)


def _admin_crontab(row: PeriodicTask, **fields) -> None:
    """What an admin's edit in the change form does: point the row at another crontab."""
    row.crontab, _ = CrontabSchedule.objects.get_or_create(timezone=row.crontab.timezone, **fields)
    row.save()


@pytest.mark.django_db
class TestPeriodicTasksSync:
    def test_a_fresh_sync_creates_every_schedule_enabled_in_the_schedule_time_zone(self, settings):
        settings.LEGALNAME_SCHEDULE_TIMEZONE = "Europe/Berlin"
        changes = periodic_tasks_sync()
        assert [(c.name, c.action) for c in changes] == [(s.name, "created") for s in SCHEDULES]
        rows = _rows()
        assert set(rows) == {
            "monitoring-windows",
            "monitoring-estimate",
            "monitoring-drift",
            "retraining-check",
            "monitoring-watchdog",
            "retrain-nightly",
        }
        for schedule in SCHEDULES:
            row = rows[schedule.name]
            assert row.task == schedule.task and row.enabled and json.loads(row.kwargs) == {}
            assert _cron(row) == f"{schedule.crontab} Europe/Berlin"
            assert row.description.startswith(schedule.description)
        assert _cron(rows["retraining-check"]) == "20 * * * * Europe/Berlin"
        assert rows["retraining-check"].task == "models_registry.tasks.retraining_check_task"
        assert _cron(rows["retrain-nightly"]) == "0 2 * * * Europe/Berlin"
        assert rows["retrain-nightly"].task == "models_registry.tasks.retraining_scheduled_task"

    def test_a_second_sync_changes_nothing(self):
        periodic_tasks_sync()
        before = {row.name: (row.date_changed, row.description, row.crontab_id) for row in _rows().values()}
        crontabs = CrontabSchedule.objects.count()
        changes = periodic_tasks_sync()
        assert {c.action for c in changes} == {"unchanged"} and len(changes) == len(SCHEDULES)
        assert {row.name: (row.date_changed, row.description, row.crontab_id) for row in _rows().values()} == before
        assert CrontabSchedule.objects.count() == crontabs

    def test_a_code_change_reaches_a_row_nobody_edited(self, monkeypatch):
        periodic_tasks_sync()
        _code_with(monkeypatch, "retrain-nightly", hour="3", kwargs={"note": "later"}, description="Daily at 03:00.")
        [change] = [c for c in periodic_tasks_sync() if c.name == "retrain-nightly"]
        assert change.action == "updated" and "schedule 0 2 * * * UTC -> 0 3 * * * UTC" in change.changed
        row = _rows()["retrain-nightly"]
        assert _cron(row) == "0 3 * * * UTC" and json.loads(row.kwargs) == {"note": "later"} and row.enabled
        assert row.description.startswith("Daily at 03:00.")
        assert {c.action for c in periodic_tasks_sync()} == {"unchanged"}

    def test_an_admin_edit_and_pause_survive_syncs_and_code_changes(self, monkeypatch):
        periodic_tasks_sync()
        rows = _rows()
        _admin_crontab(rows["retrain-nightly"], minute="30", hour="4")
        rows["monitoring-drift"].enabled = False
        rows["monitoring-drift"].save()
        changes = {c.name: c for c in periodic_tasks_sync()}
        assert changes["retrain-nightly"].action == "unchanged"
        assert changes["retrain-nightly"].kept == ("schedule 30 4 * * * UTC",)
        assert str(changes["monitoring-drift"]) == "unchanged monitoring-drift: kept the admin's pause"
        # The code moves both: the edited crontab is kept; the paused job gets the new crontab and stays paused.
        _code_with(monkeypatch, "retrain-nightly", hour="3")
        periodic_tasks_sync()
        _code_with(monkeypatch, "monitoring-drift", minute="16")
        periodic_tasks_sync()
        periodic_tasks_sync()
        rows = _rows()
        assert _cron(rows["retrain-nightly"]) == "30 4 * * * UTC" and rows["retrain-nightly"].enabled
        assert _cron(rows["monitoring-drift"]) == "16 * * * * UTC" and not rows["monitoring-drift"].enabled

    def test_an_admin_who_enables_a_paused_job_hands_it_back_to_the_code(self, monkeypatch):
        periodic_tasks_sync()
        PeriodicTask.objects.filter(name="monitoring-drift").update(enabled=False)
        periodic_tasks_sync()
        PeriodicTask.objects.filter(name="monitoring-drift").update(enabled=True)
        _code_with(monkeypatch, "monitoring-drift", minute="16")
        periodic_tasks_sync()
        row = _rows()["monitoring-drift"]
        assert row.enabled and _cron(row) == "16 * * * * UTC"

    def test_reset_puts_every_row_back_to_the_code_and_enables_it(self):
        periodic_tasks_sync()
        rows = _rows()
        _admin_crontab(rows["retrain-nightly"], minute="30", hour="4")
        rows["monitoring-drift"].enabled = False
        rows["monitoring-drift"].kwargs = '{"x": 1}'
        rows["monitoring-drift"].save()
        changes = {c.name: c for c in periodic_tasks_sync(reset=True)}
        assert changes["retrain-nightly"].action == changes["monitoring-drift"].action == "updated"
        rows = _rows()
        assert _cron(rows["retrain-nightly"]) == "0 2 * * * UTC"
        assert rows["monitoring-drift"].enabled and json.loads(rows["monitoring-drift"].kwargs) == {}
        assert {c.action for c in periodic_tasks_sync()} == {"unchanged"}

    def test_ours_no_longer_in_code_is_disabled_with_a_note_and_other_apps_rows_are_untouched(self, monkeypatch):
        every_minute, _ = CrontabSchedule.objects.get_or_create(minute="*", timezone="UTC")
        PeriodicTask.objects.create(name="old-job", task="models_registry.tasks.gone_task", crontab=every_minute)
        PeriodicTask.objects.create(
            name="someone-elses", task="other.tasks.job", crontab=every_minute, description="theirs"
        )
        assert [c.name for c in periodic_tasks_sync() if c.action == "disabled"] == ["old-job"]
        rows = _rows()
        assert not rows["old-job"].enabled and "No longer defined in code" in rows["old-job"].description
        assert rows["someone-elses"].enabled and rows["someone-elses"].description == "theirs"
        assert {c.action for c in periodic_tasks_sync()} == {"unchanged"}
        # Dropped from code, then brought back: disabled, then enabled again (the sync paused it, not an admin).
        _code_with(monkeypatch, "retraining-check")
        assert [c.name for c in periodic_tasks_sync() if c.action == "disabled"] == ["retraining-check"]
        assert not _rows()["retraining-check"].enabled
        monkeypatch.undo()
        periodic_tasks_sync()
        row = _rows()["retraining-check"]
        assert row.enabled and "No longer defined" not in row.description

    def test_a_row_the_old_command_wrote_is_adopted_keeping_its_pause(self):
        nightly, _ = CrontabSchedule.objects.get_or_create(minute="0", hour="2", timezone="UTC")
        PeriodicTask.objects.create(
            name="retrain-nightly", task="models_registry.tasks.retrain_if_needed_task", crontab=nightly, enabled=False
        )
        periodic_tasks_sync()
        row = _rows()["retrain-nightly"]
        assert row.task == "models_registry.tasks.retraining_scheduled_task" and not row.enabled
        assert "[schedule-sync " in row.description
        assert {c.action for c in periodic_tasks_sync()} == {"unchanged"}


@pytest.mark.django_db
class TestAdmin:
    def test_a_pause_and_a_crontab_edit_made_in_the_admin_survive_a_deploy_and_reset_restores_them(
        self, client, admin_user
    ):
        call_command("setup_periodic_tasks")
        client.force_login(admin_user)
        response = client.get(CHANGELIST)
        assert response.status_code == 200 and b"retraining-check" in response.content
        drift = PeriodicTask.objects.get(name="monitoring-drift")
        response = client.post(CHANGELIST, {"action": "disable_tasks", "_selected_action": [drift.pk]})
        assert response.status_code == 302
        nightly = PeriodicTask.objects.get(name="retrain-nightly")
        at_four, _ = CrontabSchedule.objects.get_or_create(minute="30", hour="4", timezone="UTC")
        form = {
            "name": nightly.name,
            "regtask": "",
            "task": nightly.task,
            "enabled": "on",
            "description": nightly.description,
            "interval": "",
            "crontab": at_four.pk,
            "solar": "",
            "clocked": "",
            "start_time_0": "",
            "start_time_1": "",
            "args": nightly.args,
            "kwargs": nightly.kwargs,
            "expires_0": "",
            "expires_1": "",
            "expire_seconds": "",
            "queue": "",
            "exchange": "",
            "routing_key": "",
            "priority": "",
            "headers": "{}",
            "_save": "Save",
        }
        response = client.post(f"{CHANGELIST}{nightly.pk}/change/", form)
        assert response.status_code == 302, response.context["adminform"].form.errors

        call_command("setup_periodic_tasks")  # the next deploy
        rows = _rows()
        assert not rows["monitoring-drift"].enabled
        assert _cron(rows["retrain-nightly"]) == "30 4 * * * UTC" and rows["retrain-nightly"].enabled

        call_command("setup_periodic_tasks", "--reset")
        rows = _rows()
        assert rows["monitoring-drift"].enabled and _cron(rows["retrain-nightly"]) == "0 2 * * * UTC"
