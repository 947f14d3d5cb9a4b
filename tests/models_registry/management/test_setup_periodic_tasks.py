"""setup_periodic_tasks: a thin wrapper of models_registry.schedules.periodic_tasks_sync (tested in
tests/models_registry/test_schedules.py) that prints what it did to each row and passes ``--reset`` on."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from models_registry.schedules import SCHEDULES


@pytest.mark.django_db
def test_prints_one_line_per_row_and_reset_enables_a_paused_schedule():
    out = StringIO()
    call_command("setup_periodic_tasks", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [f"created {schedule.name}" for schedule in SCHEDULES]
    assert "created retrain-nightly: schedule 0 2 * * * UTC" in lines
    PeriodicTask.objects.filter(name="retrain-nightly").update(enabled=False)
    out = StringIO()
    call_command("setup_periodic_tasks", stdout=out)
    assert "unchanged retrain-nightly: kept the admin's pause" in out.getvalue().splitlines()
    out = StringIO()
    call_command("setup_periodic_tasks", "--reset", stdout=out)
    assert "updated retrain-nightly: enabled False -> True" in out.getvalue().splitlines()
    assert PeriodicTask.objects.get(name="retrain-nightly").enabled
