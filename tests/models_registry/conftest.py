import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from models_registry.models import ModelVersion
from models_registry.serving import model_server


@pytest.fixture(autouse=True)
def _fresh_server(settings):
    """Each test starts with an empty per-process model server that checks the registry on every call."""
    settings.LEGALNAME_MODEL_CHECK_SECONDS = 0
    model_server.reset()
    yield
    model_server.reset()


DEFAULT_METRICS = {
    "validation": {"roc_auc": 0.95, "balanced_accuracy": 0.9, "f1": 0.9, "n": 600},
    "golden": {"roc_auc": 0.93, "balanced_accuracy": 0.88, "n": 285},
    "dev": {"roc_auc": 0.91, "balanced_accuracy": 0.85, "n": 834},
}


def metric_rows_create(version: ModelVersion, metrics: dict[str, dict[str, float]]) -> None:
    """The evaluation rows a training writes for a version (ModelMetric is where measured metrics live)."""
    from django.utils import timezone

    from models_registry.models import ModelMetric

    ModelMetric.objects.bulk_create(
        ModelMetric(
            model_version=version, dataset=dataset, metric_name=name, metric_value=value, recorded_at=timezone.now()
        )
        for dataset, values in metrics.items()
        for name, value in values.items()
    )


@pytest.fixture
def register_version(mlflow_store, small_comparator_path):
    """Register a copy of the session's small comparator as a new version, in MLflow and the database.

    The real registration path of training (pyfunc model, pinned requirements, MLflow version), without paying for a
    training per test."""
    from django.db.models import Max

    from models_registry.services.mlflow_registry import mlflow_log_and_register

    def register(name: str = "legal-name-comparator", source: Path | None = None, **fields) -> ModelVersion:
        number = (ModelVersion.objects.filter(name=name).aggregate(m=Max("version"))["m"] or 0) + 1
        folder = Path(django_settings.MODELS_DIR) / name
        folder.mkdir(parents=True, exist_ok=True)
        artifact = folder / f"v{number}.joblib"
        shutil.copyfile(source or small_comparator_path, artifact)
        info = mlflow_log_and_register(
            model_name=name,
            artifact_path=artifact,
            params={"n_pairs": 4000},
            evaluations={"validation": {"roc_auc": 0.9, "n": 10}},
            train_seconds=1.0,
        )
        metrics = fields.pop("metrics", DEFAULT_METRICS)
        version = ModelVersion.objects.create(
            name=name,
            version=number,
            artifact_path=str(artifact),
            model_uri=info["model_uri"],
            mlflow_run_id=info["run_id"],
            **fields,
        )
        metric_rows_create(version, metrics)
        return version

    return register
