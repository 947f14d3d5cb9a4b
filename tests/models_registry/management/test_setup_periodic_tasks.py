"""setup_periodic_tasks: the schedules defined in code land in celery-beat's table, idempotently; ours that are no
longer in code are disabled, other rows are left alone."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from models_registry.management.commands.setup_periodic_tasks import PERIODIC_TASKS


@pytest.mark.django_db
def test_upserts_every_schedule_once_and_disables_ours_no_longer_in_code():
    every_minute, _ = CrontabSchedule.objects.get_or_create(minute="*", timezone="UTC")
    PeriodicTask.objects.create(name="old-job", task="models_registry.tasks.gone_task", crontab=every_minute)
    PeriodicTask.objects.create(name="someone-elses", task="other.tasks.job", crontab=every_minute)
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")
    rows = {row.name: row for row in PeriodicTask.objects.all()}
    for name, (task, cron, _) in PERIODIC_TASKS.items():
        assert rows[name].task == task and rows[name].enabled
        assert rows[name].crontab.minute == cron["minute"] and rows[name].crontab.hour == cron["hour"]
    assert PeriodicTask.objects.filter(name__in=PERIODIC_TASKS).count() == len(PERIODIC_TASKS)
    assert not rows["old-job"].enabled and rows["someone-elses"].enabled
    assert {
        "monitoring-windows",
        "monitoring-estimate",
        "monitoring-drift",
        "monitoring-watchdog",
        "retrain-nightly",
    } <= set(rows)
