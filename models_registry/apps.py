import os

from django.apps import AppConfig

# MLflow sends usage telemetry unless told not to; this app is the only MLflow user, and it is imported at start-up,
# before anything imports mlflow. An operator who sets the variables explicitly keeps their choice.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")


class ModelsRegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "models_registry"
    verbose_name = "Model registry"
