import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# name -> (task, crontab fields (UTC), kwargs). Upserted by name on every deploy (`make run`, the release step).
# A row of one of our tasks that is no longer listed here is disabled, not left running.
PERIODIC_TASKS: dict[str, tuple[str, dict[str, str], dict[str, object]]] = {
    "retrain-nightly": (
        "models_registry.tasks.retrain_if_needed_task",
        # https://crontab.guru/#0_2_*_*_* : at 02:00 every day
        {"minute": "0", "hour": "2", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        {},
    ),
    "monitoring-windows": (
        "models_registry.tasks.monitoring_windows_task",
        # https://crontab.guru/#5_*_*_*_* : at minute 5 of every hour (the hour just ended is complete by then)
        {"minute": "5", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        {},
    ),
    "monitoring-estimate": (
        "models_registry.tasks.monitoring_estimate_task",
        # https://crontab.guru/#10_*_*_*_* : at minute 10 of every hour
        {"minute": "10", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        {},
    ),
    "monitoring-drift": (
        "models_registry.tasks.monitoring_drift_task",
        # https://crontab.guru/#15_*_*_*_* : at minute 15 of every hour
        {"minute": "15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        {},
    ),
    "monitoring-watchdog": (
        "models_registry.tasks.monitoring_watchdog_task",
        # https://crontab.guru/#*/15_*_*_*_* : every 15 minutes
        {"minute": "*/15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        {},
    ),
}
OUR_TASK_PREFIXES = ("models_registry.tasks.", "comparisons.tasks.", "feedback.tasks.", "experiments.tasks.")


class Command(BaseCommand):
    help = "Create or update the celery-beat periodic tasks defined in code (idempotent); disable ours not listed."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, cron, kwargs) in PERIODIC_TASKS.items():
            schedule, _ = CrontabSchedule.objects.get_or_create(timezone="UTC", **cron)
            _, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "crontab": schedule, "kwargs": json.dumps(kwargs)}
            )
            self.stdout.write(f"{'created' if created else 'updated'} {name}")
        stale = PeriodicTask.objects.filter(enabled=True).exclude(name__in=PERIODIC_TASKS)
        for row in stale:
            if row.task.startswith(OUR_TASK_PREFIXES):
                row.enabled = False
                row.save(update_fields=["enabled"])
                self.stdout.write(f"disabled {row.name} (no longer defined in code)")
