"""ModelMetric becomes the one store of measured metrics: the summaries kept in ModelVersion.metrics (and copied into
TrainingRun.metrics) become ModelMetric rows where no row holds that value yet, then both JSON fields go."""

from django.db import migrations, models


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
                values, dataset = {dataset: values}, "training"
            for name, value in values.items():
                if isinstance(value, bool) or not isinstance(value, int | float) or (dataset, name) in have:
                    continue
                rows.append(
                    ModelMetric(model_version=version, dataset=dataset, metric_name=name, metric_value=float(value),
                                recorded_at=version.created_at)
                )
    ModelMetric.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("models_registry", "0003_modelversion_status_detail"),
    ]

    operations = [
        migrations.RunPython(copy_summaries_to_rows, migrations.RunPython.noop),
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
