from pathlib import Path

from models_registry.models import ModelVersion


def corrupt(version: ModelVersion) -> None:
    """Overwrite the artifact with garbage bytes, as a bad disk or a half-copied file would."""
    Path(version.artifact_path).write_bytes(b"\x00garbage, not a joblib pickle\xff" * 32)


def champion_version(name: str = "legal-name-comparator") -> str:
    from models_registry.services.mlflow_registry import mlflow_alias_versions

    return mlflow_alias_versions(model_name=name).get("champion")


def mlflow_number(version: ModelVersion) -> str:
    return version.model_uri.rsplit("/", 1)[1]
