"""0004: the metric summaries kept as JSON become ModelMetric rows, and migrating back rebuilds the same JSON."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("models_registry", "0003_modelversion_status_detail")]
AFTER = [("models_registry", "0004_metrics_live_in_modelmetric")]
SUMMARY = {
    "validation": {"roc_auc": 0.951, "balanced_accuracy": 0.9, "f1": 0.875, "n": 600},
    "golden": {"roc_auc": 0.932, "balanced_accuracy": 0.88, "n": 285},
    "dev": {"roc_auc": 0.914, "n": 834},
    "train_seconds": 12.34,
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_summaries_become_metric_rows_and_back():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE)
        version_model = apps.get_model("models_registry", "ModelVersion")
        measured = version_model.objects.create(version=1, model_uri="models:/legal-name-comparator/1", metrics=SUMMARY)
        unmeasured = version_model.objects.create(version=2, model_uri="models:/legal-name-comparator/2")
        run = apps.get_model("models_registry", "TrainingRun").objects.create(
            status="succeeded", model_version=measured, metrics=SUMMARY
        )

        metric_model = _migrate(AFTER).get_model("models_registry", "ModelMetric")
        rows = set(metric_model.objects.values_list("model_version_id", "dataset", "metric_name", "metric_value"))
        assert rows == {
            (measured.pk, "validation", "roc_auc", 0.951),
            (measured.pk, "validation", "balanced_accuracy", 0.9),
            (measured.pk, "validation", "f1", 0.875),
            (measured.pk, "validation", "n", 600.0),
            (measured.pk, "golden", "roc_auc", 0.932),
            (measured.pk, "golden", "balanced_accuracy", 0.88),
            (measured.pk, "golden", "n", 285.0),
            (measured.pk, "dev", "roc_auc", 0.914),
            (measured.pk, "dev", "n", 834.0),
            (measured.pk, "training", "train_seconds", 12.34),
        }
        assert not metric_model.objects.filter(window_start__isnull=False).exists()

        apps = _migrate(BEFORE)
        versions = dict(apps.get_model("models_registry", "ModelVersion").objects.values_list("pk", "metrics"))
        assert versions == {measured.pk: SUMMARY, unmeasured.pk: {}}
        assert isinstance(versions[measured.pk]["golden"]["n"], int)  # a count, as training wrote it
        assert apps.get_model("models_registry", "TrainingRun").objects.get(pk=run.pk).metrics == SUMMARY
    finally:
        _migrate(latest)
