"""MLflow: log a training run, register the model version, move aliases. Only services call this module."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

EXPERIMENT_NAME = "legal-name-comparator-training"


def _client():
    import mlflow

    mlflow.set_tracking_uri(settings.MLFLOW_TRACKING_URI)
    return mlflow, mlflow.MlflowClient(tracking_uri=settings.MLFLOW_TRACKING_URI)


def _experiment_id(mlflow, client) -> str:
    experiment = client.get_experiment_by_name(EXPERIMENT_NAME)
    if experiment is not None:
        return experiment.experiment_id
    return client.create_experiment(EXPERIMENT_NAME, artifact_location=Path(settings.MLFLOW_ARTIFACT_ROOT).as_uri())


def mlflow_log_and_register(*, model_name: str, artifact_path: Path, params: dict, evaluations: dict,
                            train_seconds: float) -> dict:
    """Log params, metrics and the model file to a new run and register it as a new model version."""
    mlflow, client = _client()
    experiment_id = _experiment_id(mlflow, client)
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_params({k: str(v) for k, v in params.items()})
        for dataset, values in evaluations.items():
            for key, value in values.items():
                if isinstance(value, int | float) and value is not None:
                    mlflow.log_metric(f"{dataset}_{key}", float(value))
        mlflow.log_metric("train_seconds", float(train_seconds))
        mlflow.log_artifact(str(artifact_path), artifact_path="model")
        source = f"{run.info.artifact_uri}/model"
    try:
        client.get_registered_model(model_name)
    except Exception:
        client.create_registered_model(model_name, description="LegalName comparator: MATERIAL vs IMMATERIAL")
    mv = client.create_model_version(name=model_name, source=source, run_id=run.info.run_id)
    return {"run_id": run.info.run_id, "model_uri": f"models:/{model_name}/{mv.version}", "mlflow_version": mv.version}


def mlflow_alias_set(*, model_name: str, alias: str, model_uri: str) -> None:
    """Point an alias (``champion``/``challenger``) at the MLflow version behind ``model_uri``."""
    if not model_uri.startswith("models:/"):
        return
    _, client = _client()
    client.set_registered_model_alias(model_name, alias, model_uri.rsplit("/", 1)[1])


def mlflow_alias_delete(*, model_name: str, alias: str) -> None:
    _, client = _client()
    try:
        client.delete_registered_model_alias(model_name, alias)
    except Exception:
        pass
