"""The scikit-learn pipeline step that turns name pairs into the feature matrix.

Kept out of ``features.py`` so it stays a plain Python class when the engine is compiled with mypyc
(scikit-learn introspects its estimators, and pickle needs their ``__dict__``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Self, TypeAlias

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from comparisons.engine import features
from comparisons.engine.features import FEATURE_NAMES, FEATURE_VERSION, feature_matrix
from comparisons.engine.policy import POLICY_FEATURE_NAMES, WordPolicy

# what ``transform`` takes: an (n, 2) array of names, or any iterable of (name1, name2) pairs
Pairs: TypeAlias = "np.ndarray | Iterable[Sequence[str]]"


class PairFeatures(TransformerMixin, BaseEstimator):
    """Pipeline step: a sequence of ``(name1, name2)`` pairs -> the feature matrix.

    ``fit`` learns nothing, so the step is always fitted; the word policy (learned beforehand from decisions, see
    ``engine.policy``) is given to it. It records the feature code version it was built with so a pipeline can be
    checked against the running code.
    """

    def __init__(self, feature_version: str = FEATURE_VERSION, policy: WordPolicy | None = None) -> None:
        self.feature_version = feature_version
        self.policy = policy

    def fit(self, X: object, y: object = None) -> Self:  # noqa: N803 - scikit-learn's signature
        return self

    def transform(self, X: Pairs) -> np.ndarray:  # noqa: N803
        pairs = _as_pairs(X)
        policy = getattr(self, "policy", None)  # steps pickled before policies existed have none
        if not policy:
            return feature_matrix(pairs)
        X = feature_matrix(policy.rewrite(pairs))  # noqa: N806
        return np.hstack([X, policy.features(pairs)]) if policy.has_features else X

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        policy = getattr(self, "policy", None)
        return np.asarray(
            FEATURE_NAMES + (POLICY_FEATURE_NAMES if policy and policy.has_features else ()), dtype=object
        )

    def __sklearn_is_fitted__(self) -> bool:
        return True


def _as_pairs(X: Pairs) -> list[tuple[str, str]]:  # noqa: N803
    if isinstance(X, np.ndarray):
        return [(str(a), str(b)) for a, b in X]
    return [(p[0], p[1]) for p in X]


# models pickled before the class moved here refer to it as comparisons.engine.features.PairFeatures
features.PairFeatures = PairFeatures  # type: ignore[attr-defined]
