import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# name -> (task, crontab fields, kwargs). Upserted by name on every deploy; rows not listed are left alone.
PERIODIC_TASKS: dict[str, tuple[str, dict[str, str], dict[str, object]]] = {
    "retrain-nightly": (
        "models_registry.tasks.retrain_if_needed_task",
        # https://crontab.guru/#0_2_*_*_* : at 02:00 every day
        {"minute": "0", "hour": "2", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        {},
    ),
}


class Command(BaseCommand):
    help = "Create or update the celery-beat periodic tasks defined in code (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, cron, kwargs) in PERIODIC_TASKS.items():
            schedule, _ = CrontabSchedule.objects.get_or_create(timezone="UTC", **cron)
            _, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "crontab": schedule, "kwargs": json.dumps(kwargs)}
            )
            self.stdout.write(f"{'created' if created else 'updated'} {name}")
