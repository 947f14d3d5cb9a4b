from django.core.management.base import BaseCommand, CommandError

from models_registry.serving import model_server


class Command(BaseCommand):
    help = 'Compare two names with the active model: python manage.py compare "NAME 1" "NAME 2"'

    def add_arguments(self, parser):
        parser.add_argument("name1")
        parser.add_argument("name2")

    def handle(self, *args, name1, name2, **options):
        served = model_server.current()
        if served is None:
            raise CommandError("no active model: run `python manage.py train_model` first")
        verdict = served.comparator.compare(name1, name2)
        self.stdout.write(
            f"{verdict.label}  "
            f"(P(material)={verdict.probability_material:.3f}, confidence={verdict.confidence:.3f}, "
            f"model {served.label})"
        )
        self.stdout.write(f"normalised: {verdict.normalized[0]!r} / {verdict.normalized[1]!r}")
        for reason in verdict.reasons:
            self.stdout.write(f"  - {reason.text}  [{reason.kind}]")
