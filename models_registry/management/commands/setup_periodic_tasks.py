from django.core.management.base import BaseCommand

from models_registry.schedules import periodic_tasks_sync


class Command(BaseCommand):
    help = (
        "Sync the schedules defined in code (models_registry/schedules.py) into celery-beat's table, keeping the "
        "admins' edits and pauses; ours no longer in code are disabled. Run on every deploy; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="put every schedule back to its definition in code and enable it (drops the admins' edits)",
        )

    def handle(self, *args, **options):
        for change in periodic_tasks_sync(reset=options["reset"]):
            self.stdout.write(str(change))
