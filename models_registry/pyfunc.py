"""The MLflow ``pyfunc`` face of a saved comparator, so that the registered model is a real MLflow model.

MLflow stores this class (by reference) with the model; ``mlflow.pyfunc.load_model(uri)`` then scores a DataFrame
with ``name1``/``name2`` columns. No Django imports here: whatever loads the model needs only the engine."""

from __future__ import annotations

from typing import Any

from mlflow.models import ModelSignature
from mlflow.pyfunc import PythonModel
from mlflow.types import ColSpec, Schema

from comparisons.engine import Comparator

# What the registered model takes and returns: two name columns in, P(material) per row out.
SIGNATURE = ModelSignature(
    inputs=Schema([ColSpec("string", "name1"), ColSpec("string", "name2")]),
    outputs=Schema([ColSpec("double", "probability_material")]),
)


class ComparatorPyfunc(PythonModel):
    def load_context(self, context: Any) -> None:
        self.comparator = Comparator.load(context.artifacts["comparator"])

    # No type hints on predict: MLflow would infer a signature from them (and warn about Any); SIGNATURE says it.
    def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]
        pairs = list(zip(model_input["name1"], model_input["name2"], strict=True))
        return self.comparator.predict_proba(pairs)
