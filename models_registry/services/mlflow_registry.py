"""MLflow: log a training run, register the model version, move aliases. Only services call this module.

``mlflow`` is imported inside the functions that use it: importing it costs about a second (measured with
``python -X importtime -c "import mlflow"``: 1.08 s), which every web process, worker and management command
would otherwise pay at start-up although only training and model switches talk to MLflow.

Aliases, not stages (deprecated): ``champion`` is the active version, ``challenger`` a candidate under test.
MLflow keeps no history of alias moves; ``ModelDeployment`` is that history."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from mlflow import MlflowClient

EXPERIMENT_NAME = "legal-name-comparator-training"
CHAMPION = "champion"
CHALLENGER = "challenger"

# What a process needs to load and run a comparator, pinned to the versions it was trained with.
ENGINE_DISTRIBUTIONS = (
    "mlflow",
    "scikit-learn",
    "numpy",
    "scipy",
    "pandas",
    "joblib",
    "rigour",
    "rapidfuzz",
    "pyicu",
    "mypy-extensions",
)


def engine_pip_requirements() -> list[str]:
    """Exact pins of the engine's runtime dependencies, from the installed distributions."""
    pins = []
    for dist in ENGINE_DISTRIBUTIONS:
        try:
            pins.append(f"{dist}=={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return pins


def _client() -> MlflowClient:
    from mlflow import MlflowClient  # slow to import: see the module docstring

    return MlflowClient(tracking_uri=settings.MLFLOW_TRACKING_URI, registry_uri=settings.MLFLOW_TRACKING_URI)


@contextmanager
def _fluent() -> Iterator[ModuleType]:
    """MLflow's fluent API (start_run, log_model) on our store, without leaking the URI into the environment.

    ``mlflow.set_tracking_uri`` also writes ``MLFLOW_TRACKING_URI`` into ``os.environ`` for subprocesses; a later
    settings load (or a test's store) must not inherit a URI that only this call chose."""
    import mlflow  # slow to import: see the module docstring

    saved = {key: os.environ.get(key) for key in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    mlflow.set_tracking_uri(settings.MLFLOW_TRACKING_URI)
    mlflow.set_registry_uri(settings.MLFLOW_TRACKING_URI)
    try:
        yield mlflow
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _experiment_id(client: MlflowClient) -> str:
    experiment = client.get_experiment_by_name(EXPERIMENT_NAME)
    if experiment is not None:
        return experiment.experiment_id
    return client.create_experiment(EXPERIMENT_NAME, artifact_location=Path(settings.MLFLOW_ARTIFACT_ROOT).as_uri())


def mlflow_log_and_register(
    *,
    model_name: str,
    artifact_path: Path,
    params: dict,
    evaluations: dict,
    train_seconds: float,
    tags: dict[str, str] | None = None,
) -> dict:
    """Log params, metrics and the model (a pyfunc with pinned pip requirements) and register a new version."""
    from models_registry.pyfunc import SIGNATURE, ComparatorPyfunc  # imports mlflow

    client = _client()
    experiment_id = _experiment_id(client)
    tags = {"legalname.model_name": model_name, **(tags or {})}
    with _fluent() as mlflow, mlflow.start_run(experiment_id=experiment_id, tags=tags) as run:
        mlflow.log_params({k: str(v) for k, v in params.items()})
        metrics = {
            f"{dataset}_{key}": float(value)
            for dataset, values in evaluations.items()
            for key, value in values.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
        mlflow.log_metrics({**metrics, "train_seconds": float(train_seconds)})
        mlflow.log_dict(evaluations, "evaluations.json")
        requirements = engine_pip_requirements()
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=ComparatorPyfunc(),
            signature=SIGNATURE,
            artifacts={"comparator": str(artifact_path)},
            pip_requirements=requirements,
            registered_model_name=model_name,
            tags=tags,
        )
    mlflow_version = str(info.registered_model_version)
    for key, value in tags.items():
        client.set_model_version_tag(model_name, mlflow_version, key, value)
    return {
        "run_id": run.info.run_id,
        "model_uri": f"models:/{model_name}/{mlflow_version}",
        "mlflow_version": mlflow_version,
        "logged_model_uri": info.model_uri,
    }


def _mlflow_version(model_uri: str) -> str | None:
    return model_uri.rsplit("/", 1)[1] if model_uri.startswith("models:/") else None


def mlflow_alias_set(*, model_name: str, alias: str, model_uri: str) -> None:
    """Point an alias (``champion``/``challenger``) at the MLflow version behind ``model_uri``.

    Raises on any MLflow failure, so that the caller's database transaction rolls back."""
    mlflow_version = _mlflow_version(model_uri)
    if mlflow_version is None:
        return  # a version that was never registered in MLflow (a local file): nothing to point at
    client = _client()
    client.set_registered_model_alias(model_name, alias, mlflow_version)


def mlflow_alias_delete(*, model_name: str, alias: str, model_uri: str | None = None) -> None:
    """Remove an alias; with ``model_uri``, only when it points at that version. A missing alias is fine."""
    from mlflow.exceptions import MlflowException  # slow to import: see the module docstring

    client = _client()
    try:
        current = client.get_model_version_by_alias(model_name, alias)
    except MlflowException as exc:
        if exc.error_code == "RESOURCE_DOES_NOT_EXIST" or "not found" in str(exc).lower():
            return
        raise
    if model_uri is not None and str(current.version) != _mlflow_version(model_uri):
        return
    client.delete_registered_model_alias(model_name, alias)


def mlflow_alias_versions(*, model_name: str) -> dict[str, str]:
    """alias -> MLflow version number, for checks and the admin."""
    client = _client()
    return {alias: str(number) for alias, number in client.get_registered_model(model_name).aliases.items()}


def mlflow_version_delete(*, model_name: str, mlflow_version: str) -> None:
    """Delete one registered version (a registration whose database row was never committed). Missing is fine."""
    from mlflow.exceptions import MlflowException  # slow to import: see the module docstring

    try:
        _client().delete_model_version(model_name, mlflow_version)
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_DOES_NOT_EXIST" and "not found" not in str(exc).lower():
            raise


def mlflow_run_versions_list(*, model_name: str, training_run_id: str) -> list[str]:
    """The MLflow versions of ``model_name`` registered by one training run (its ``legalname.training_run_id`` tag)."""
    from mlflow.exceptions import MlflowException  # slow to import: see the module docstring

    try:
        versions = _client().search_model_versions(f"name='{model_name}'")
    except MlflowException as exc:
        if exc.error_code == "RESOURCE_DOES_NOT_EXIST" or "not found" in str(exc).lower():
            return []
        raise
    return [str(v.version) for v in versions if (v.tags or {}).get("legalname.training_run_id") == str(training_run_id)]
