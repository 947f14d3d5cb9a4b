"""The MLflow ``pyfunc`` face of a saved comparator, so that the registered model is a real MLflow model.

MLflow stores this class (by reference) with the model; ``mlflow.pyfunc.load_model(uri)`` then scores a DataFrame
with ``name1``/``name2`` columns. No Django imports here: whatever loads the model needs only the engine."""

from __future__ import annotations

from typing import Any

from mlflow.pyfunc import PythonModel


class ComparatorPyfunc(PythonModel):
    def load_context(self, context: Any) -> None:
        from comparisons.engine import Comparator

        self.comparator = Comparator.load(context.artifacts["comparator"])

    def predict(self, context: Any, model_input: Any, params: dict[str, Any] | None = None) -> Any:
        pairs = list(zip(model_input["name1"], model_input["name2"], strict=True))
        return self.comparator.predict_proba(pairs)
