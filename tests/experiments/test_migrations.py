"""0002 to 0004: experiments made before routing existed are brought to the new rules (model name, split inside (0, 1), one
running experiment per model name, running means started)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("experiments", "0001_initial"), ("models_registry", "0007_retraining")]
AFTER = [("experiments", "0004_experiment_routing_constraints")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_experiments_fit_the_new_rules():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE)
        version = apps.get_model("models_registry", "ModelVersion")
        experiment = apps.get_model("experiments", "Experiment")
        a, b = (version.objects.create(name="m", version=i, model_uri=f"models:/m/{i}") for i in (1, 2))
        now = timezone.now()
        old = experiment.objects.create(name="old", model_a=a, model_b=b, traffic_split=0.0, is_active=True)
        experiment.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=2))
        new = experiment.objects.create(name="new", model_a=a, model_b=b, traffic_split=1.0, is_active=True)
        idle = experiment.objects.create(name="idle", model_a=a, model_b=b, traffic_split=0.4)

        migrated = _migrate(AFTER).get_model("experiments", "Experiment")
        rows = {row.name: row for row in migrated.objects.all()}
        assert {row.model_name for row in rows.values()} == {"m"}
        assert rows["old"].traffic_split == 0.01 and rows["new"].traffic_split == 0.99
        assert rows["idle"].traffic_split == 0.4 and not rows["idle"].is_active
        # the newest running one stays running (and is started); the older one is stopped
        assert rows["new"].is_active and rows["new"].started_at is not None
        assert not rows["old"].is_active and rows["old"].ended_at is not None
        assert set(migrated.objects.values_list("pk", flat=True)) == {new.pk, old.pk, idle.pk}
    finally:
        _migrate(latest)
