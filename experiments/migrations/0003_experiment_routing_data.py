"""Experiments made before routing existed, brought to the rules that 0004 makes constraints. A migration of its own:
on PostgreSQL an UPDATE leaves trigger events pending until commit, and an ALTER TABLE or CREATE INDEX (0002's
deferred index) in the same transaction is refused."""

from django.db import migrations
from django.db.models import F, Max, OuterRef, Subquery


def existing_rows_fit_the_new_rules(apps, schema_editor):
    """Before this migration an experiment routed nothing, so its rows can be brought to the new rules safely:
    model_name from arm A, a split of 0 or 1 (no experiment) moved inside (0, 1), a running row given its start, and
    of several running rows on one model name only the newest stays running."""
    experiment = apps.get_model("experiments", "Experiment")
    version = apps.get_model("models_registry", "ModelVersion")
    experiment.objects.update(model_name=Subquery(version.objects.filter(pk=OuterRef("model_a")).values("name")[:1]))
    experiment.objects.filter(traffic_split__lte=0).update(traffic_split=0.01)
    experiment.objects.filter(traffic_split__gte=1).update(traffic_split=0.99)
    experiment.objects.filter(is_active=True, started_at__isnull=True).update(started_at=F("created_at"))
    experiment.objects.filter(is_active=True, ended_at__isnull=False).update(is_active=False)
    newest = experiment.objects.filter(is_active=True).values("model_name").annotate(newest=Max("created_at"))
    for row in newest:
        experiment.objects.filter(is_active=True, model_name=row["model_name"], created_at__lt=row["newest"]).update(
            is_active=False, ended_at=F("started_at")
        )


class Migration(migrations.Migration):

    dependencies = [
        ("experiments", "0002_experiment_routing"),
    ]

    operations = [migrations.RunPython(existing_rows_fit_the_new_rules, migrations.RunPython.noop, elidable=True)]
