import pytest
from django.core.management import call_command

from models_registry.models import ModelDeployment, ModelMetric, ModelVersion, TrainingRun


@pytest.mark.django_db
@pytest.mark.slow
def test_train_model_trains_registers_activates_then_skips_with_if_none(mlflow_store, capsys):
    call_command("train_model", "--n-pairs", "2000", "--seed", "5")
    out = capsys.readouterr().out
    version = ModelVersion.objects.get()
    assert version.is_active and version.model_uri.startswith("models:/legal-name-comparator/")
    assert (
        "validation: n=" in out
        and "golden: n=" in out
        and f"{version.name} v{version.version}: activated: no version" in out
    )
    assert TrainingRun.objects.get().status == TrainingRun.Status.SUCCEEDED
    assert ModelMetric.objects.filter(model_version=version, dataset="golden", metric_name="roc_auc").exists()
    assert ModelDeployment.objects.filter(to_version=version, from_version=None).count() == 1

    call_command("train_model", "--if-none")
    assert "not training" in capsys.readouterr().out
    assert ModelVersion.objects.count() == 1 and TrainingRun.objects.count() == 1

    call_command("train_model", "--n-pairs", "2000", "--seed", "6", "--activate", "never")
    assert "Not activated" in capsys.readouterr().out
    assert ModelVersion.objects.get(is_active=True) == version and ModelVersion.objects.count() == 2
    assert TrainingRun.objects.get(model_version=version).promotion.startswith("activated: no version")
