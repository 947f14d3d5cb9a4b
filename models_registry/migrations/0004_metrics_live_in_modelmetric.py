"""ModelMetric becomes the one store of measured metrics: the summaries kept in ModelVersion.metrics (and copied into
TrainingRun.metrics) become ModelMetric rows where no row holds that value yet, then both JSON fields go.

Backwards, the JSON is rebuilt from the rows (``rows_to_summaries``, the inverse of the copy): nothing measured is
lost by migrating back. The rows stay, as 0003 had them too."""

from django.db import migrations, models

# The forward copy files the summary's scalars (train_seconds) under this set; backwards they are scalars again.
TRAINING = "training"


def copy_summaries_to_rows(apps, schema_editor):
    ModelVersion = apps.get_model("models_registry", "ModelVersion")
    ModelMetric = apps.get_model("models_registry", "ModelMetric")
    rows = []
    for version in ModelVersion.objects.exclude(metrics={}).iterator():
        have = set(
            ModelMetric.objects.filter(model_version=version, window_start__isnull=True).values_list(
                "dataset", "metric_name"
            )
        )
        for dataset, values in (version.metrics or {}).items():
            if not isinstance(values, dict):  # scalars such as train_seconds: measured by the training itself
                values, dataset = {dataset: values}, TRAINING
            for name, value in values.items():
                if isinstance(value, bool) or not isinstance(value, int | float) or (dataset, name) in have:
                    continue
                rows.append(
                    ModelMetric(model_version=version, dataset=dataset, metric_name=name, metric_value=float(value),
                                recorded_at=version.created_at)
                )
    ModelMetric.objects.bulk_create(rows, batch_size=1000)


def rows_to_summaries(apps, schema_editor):
    """Rebuild ``ModelVersion.metrics`` (``{dataset: {metric: value}}``, the ``training`` scalars at the top) from the
    evaluation rows, and give each training run the summary of its version, as training wrote both before.

    Counts come back as integers (the forward copy stored ``n`` as a float); a metric the summary held as null has
    no row, so it comes back absent, which every reader (``.get``) took the same way."""
    ModelVersion = apps.get_model("models_registry", "ModelVersion")
    ModelMetric = apps.get_model("models_registry", "ModelMetric")
    TrainingRun = apps.get_model("models_registry", "TrainingRun")
    summaries = {}
    # Oldest first, so a later measurement of the same metric replaces an earlier one (as model_metric_summary reads).
    rows = ModelMetric.objects.filter(window_start__isnull=True).order_by("recorded_at", "pk")
    for version_id, dataset, name, value in rows.values_list(
        "model_version_id", "dataset", "metric_name", "metric_value"
    ).iterator():
        if name == "n" and float(value).is_integer():
            value = int(value)
        summary = summaries.setdefault(version_id, {})
        if dataset == TRAINING:
            summary[name] = value
        else:
            summary.setdefault(dataset, {})[name] = value
    versions = list(ModelVersion.objects.filter(pk__in=summaries))
    for version in versions:
        version.metrics = summaries[version.pk]
    ModelVersion.objects.bulk_update(versions, ["metrics"], batch_size=1000)
    runs = list(TrainingRun.objects.filter(model_version_id__in=summaries))
    for run in runs:
        run.metrics = summaries[run.model_version_id]
    TrainingRun.objects.bulk_update(runs, ["metrics"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("models_registry", "0003_modelversion_status_detail"),
    ]

    operations = [
        migrations.RunPython(copy_summaries_to_rows, rows_to_summaries),
        migrations.RemoveField(model_name="modelversion", name="metrics"),
        migrations.RemoveField(model_name="trainingrun", name="metrics"),
        migrations.AddField(
            model_name="trainingrun",
            name="promotion",
            field=models.TextField(
                blank=True, help_text="What the promotion gate decided about the version: activated, or why not"
            ),
        ),
    ]
