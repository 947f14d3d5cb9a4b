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
        info = mlflow_log_and_register(model_name=name, artifact_path=artifact, params={"n_pairs": 4000},
                                       evaluations={"validation": {"roc_auc": 0.9, "n": 10}}, train_seconds=1.0)
        metrics = {"validation": {"roc_auc": 0.95, "balanced_accuracy": 0.9, "f1": 0.9, "n": 600},
                   "golden": {"roc_auc": 0.93, "balanced_accuracy": 0.88, "n": 285},
                   "dev": {"roc_auc": 0.91, "balanced_accuracy": 0.85, "n": 834}}
        return ModelVersion.objects.create(name=name, version=number, artifact_path=str(artifact),
                                           model_uri=info["model_uri"], mlflow_run_id=info["run_id"],
                                           metrics=fields.pop("metrics", metrics), **fields)

    return register
