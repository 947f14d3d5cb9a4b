"""The comparator: a calibrated scikit-learn pipeline over the pair features, plus explanations.

Training splits the labelled pairs three ways, all stratified and seeded:

- *fit* (60% by default): the gradient-boosted trees learn here;
- *calibration* (20%): a sigmoid maps the trees' scores to probabilities (order-preserving, so the
  ranking, and the ROC AUC, is the trees' own);
- *validation* (``validation_fraction``, 20%): the decision threshold is the one that maximises
  balanced accuracy here, and ``validation_metrics`` are measured here at that threshold.

Nothing outside the pairs given to ``train`` is used to choose anything.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import roc_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

from comparisons.engine import evaluation
from comparisons.engine.analysis import analyze_name
from comparisons.engine.explain import Reason, explain_pair, verdict_label
from comparisons.engine.features import FEATURE_NAMES, FEATURE_VERSION, feature_matrix
from comparisons.engine.pipeline_step import PairFeatures
from comparisons.engine.policy import POLICY_MONOTONIC, WordPolicy

# Monotonic constraints: +1 = the feature can only raise P(material), -1 = only lower it. They encode
# the rules of legal names (more similar never means "more different") so the trees extrapolate
# sensibly to real names unlike the training pairs. Unlisted features are unconstrained.
_INCREASING = (
    "typo_short",
    "typo_first_letter",
    "lf_diff_class",
    "lf_same_class_diff_form",
    "num_disjoint",
    "num_partial",
    "generic_extra_max",
    "place_extra_max",
    "other_extra_max",
    "other_extra_min",
    "script_diff",
)
_DECREASING = (
    "eq_case",
    "eq_punct",
    "eq_ascii",
    "eq_abbrev",
    "eq_forms",
    "eq_core",
    "eq_sorted",
    "eq_nospace",
    "lf_same",
    "num_equal",
    "residual_sim_mean",
    "residual_sim_min",
    "common_other",
    "jaccard",
    "containment",
    "acronym_match",
    "acronym_loose",
    "sim_ratio",
    "sim_token_sort",
    "sim_token_set",
    "sim_partial",
    "sim_jw",
    "sim_ratio_nospace",
    "sim_ratio_forms",
)


def monotonic_constraints() -> list[int]:
    return [1 if n in _INCREASING else -1 if n in _DECREASING else 0 for n in FEATURE_NAMES]


class _CompiledTrees:
    """The fitted trees and sigmoid calibration as flat numpy arrays, for small batches.

    scikit-learn's ``predict_proba`` costs a Python call per tree plus an OpenMP start-up, which
    dominates when scoring one pair (hundreds of microseconds; far more on a busy machine). Here
    all trees step down one level at a time in one numpy operation. Large batches still go
    through scikit-learn, which is faster there. A test checks both give the same probabilities.
    """

    def __init__(self, calibrated: CalibratedClassifierCV):
        (fitted,) = calibrated.calibrated_classifiers_
        trees = fitted.estimator
        trees = getattr(trees, "estimator", trees)  # unwrap FrozenEstimator
        (sigmoid,) = fitted.calibrators
        predictors = [iteration[0] for iteration in trees._predictors]
        offsets = np.cumsum([0] + [len(p.nodes) for p in predictors])
        nodes = np.concatenate([p.nodes for p in predictors])
        index = np.arange(len(nodes), dtype=np.intp)
        tree_of_node = np.repeat(np.arange(len(predictors)), [len(p.nodes) for p in predictors])
        leaf = nodes["is_leaf"].astype(bool)
        self.feature = np.where(leaf, 0, nodes["feature_idx"]).astype(np.intp)
        self.threshold = nodes["num_threshold"].astype(np.float64)
        self.left = np.where(leaf, index, nodes["left"].astype(np.intp) + offsets[tree_of_node])
        self.right = np.where(leaf, index, nodes["right"].astype(np.intp) + offsets[tree_of_node])
        self.value = nodes["value"].astype(np.float64)
        self.roots = offsets[:-1].astype(np.intp)
        self.depth = int(nodes["depth"].max())
        self.baseline = float(np.ravel(trees._baseline_prediction)[0])
        self.a, self.b = float(sigmoid.a_), float(sigmoid.b_)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        X = np.asarray(X, dtype=np.float64)  # noqa: N806 - scikit-learn compares in float64 too
        rows = np.arange(len(X))[:, None]
        node = np.broadcast_to(self.roots, (len(X), len(self.roots)))
        for _ in range(self.depth):
            go_left = X[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(go_left, self.left[node], self.right[node])
        raw = self.value[node].sum(axis=1) + self.baseline
        return 1.0 / (1.0 + np.exp(self.a * raw + self.b))


_SMALL_BATCH = 64


def _binned_proba(calibrated: CalibratedClassifierCV, X: np.ndarray) -> np.ndarray | None:  # noqa: N803
    """P(material) for a large batch, the same numbers as ``calibrated.predict_proba(X)[:, 1]``, about
    twice as fast: the rows are binned once with the trees' own bin mapper and every tree walks the
    small uint8 matrix (``predict_binned``, scikit-learn's own early-stopping path) instead of
    re-reading the float64 matrix, then the sigmoid calibrator is applied as scikit-learn does.
    ``x <= num_threshold`` and ``bin(x) <= bin_threshold`` are the same test by construction of the
    bins. Returns None for a model of another shape (the caller then uses scikit-learn directly).
    """
    calibrators = calibrated.calibrated_classifiers_
    if len(calibrators) != 1 or len(calibrators[0].calibrators) != 1:
        return None
    trees = calibrators[0].estimator
    trees = getattr(trees, "estimator", trees)  # unwrap FrozenEstimator
    mapper = getattr(trees, "_bin_mapper", None)
    if mapper is None or getattr(trees, "n_trees_per_iteration_", 1) != 1 or mapper.is_categorical_.any():
        return None
    n_threads = _openmp_effective_n_threads()
    binned = mapper.transform(np.asarray(X, dtype=np.float64))
    raw = np.zeros((len(X), 1), dtype=trees._baseline_prediction.dtype, order="F")
    raw += trees._baseline_prediction
    missing = mapper.missing_values_bin_idx_
    for (predictor,) in trees._predictors:
        raw[:, 0] += predictor.predict_binned(binned, missing, n_threads)
    return calibrators[0].calibrators[0].predict(raw[:, 0])


def _matrix(pairs: Sequence[tuple[str, str]], policy: WordPolicy) -> np.ndarray:
    """The engine's features of the pairs as the policy rewrites them (without the organisation's minor words),
    followed by the policy's own feature when it has one."""
    if not policy:
        return feature_matrix(pairs)
    X = feature_matrix(policy.rewrite(pairs))  # noqa: N806
    return np.hstack([X, policy.features(pairs)]) if policy.has_features else X


class ModelVersionError(ValueError):
    """A saved model was built by other feature code than the one running."""


@dataclass(frozen=True)
class Verdict:
    material: bool
    probability_material: float  # 0..1
    confidence: float  # probability of the verdict given, 0.5..1
    reasons: list[Reason]
    normalized: tuple[str, str]

    @property
    def label(self) -> str:
        return verdict_label(self.material)

    def to_dict(self) -> dict:
        return {
            "material": self.material,
            "probability_material": self.probability_material,
            "confidence": self.confidence,
            "reasons": [r.to_dict() for r in self.reasons],
            "normalized": list(self.normalized),
        }


def best_threshold(labels: np.ndarray, probs: np.ndarray) -> float:
    """The decision threshold: the centre of the plateau of best balanced accuracy on validation data.

    Balanced accuracy is flat near its maximum, so its argmax alone swings with the split: on generated
    data, five split seeds of the same model gave argmax thresholds from 0.28 to 0.41. Every threshold
    whose balanced accuracy is within one standard error of the best is as good on this sample; the middle
    one of them (an actual member, never an average of two that could fall in a dip between them) is
    steadier (0.33 to 0.37 on the same runs) and scored the same or better on pairs built from base names
    held out of training. The threshold returned is the midpoint between that score and the next lower one.
    Scores that tell the classes apart no better than chance give 0.5.
    """
    labels = np.asarray(labels)
    probs = np.asarray(probs, dtype=float)
    if len(set(labels.tolist())) < 2:
        return 0.5
    fpr, tpr, thresholds = roc_curve(labels, probs)
    balanced = (tpr + 1 - fpr) / 2
    best = int(np.argmax(balanced))
    if balanced[best] <= 0.5:
        return 0.5
    n_pos = int(labels.sum())
    n_neg = len(labels) - n_pos
    se = 0.5 * np.sqrt(tpr[best] * (1 - tpr[best]) / n_pos + fpr[best] * (1 - fpr[best]) / n_neg)
    plateau = np.sort(thresholds[np.isfinite(thresholds) & (balanced >= balanced[best] - se)])
    t = float(plateau[(len(plateau) - 1) // 2])  # the lower middle member when there are two
    lower = probs[probs < t]
    return float((t + lower.max()) / 2) if lower.size else t


def _confidence(p: float, threshold: float, material: bool) -> float:
    """Probability of the verdict given, rescaled so the threshold maps to 0.5 and certainty to 1."""
    if material:
        span = 1.0 - threshold
        return 0.5 + 0.5 * ((p - threshold) / span if span > 0 else 1.0)
    return 0.5 + 0.5 * ((threshold - p) / threshold if threshold > 0 else 1.0)


class Comparator:
    """A trained pair classifier with its threshold, validation metrics and feature-code version.

    ``policy``: the organisation's word policy learned from its decisions (``engine.policy``); when it has words,
    its minor words are taken out of both names before the features, and a word it treats as material adds one
    feature after the engine's. Empty for a model trained on generated pairs
    only (and for models saved before policies existed: the class default)."""

    policy: WordPolicy = WordPolicy()

    def __init__(
        self,
        pipeline: Pipeline,
        threshold: float,
        validation_metrics: dict,
        feature_version: str,
        policy: WordPolicy | None = None,
    ):
        self.pipeline = pipeline
        self.threshold = float(threshold)
        self.validation_metrics = validation_metrics
        self.feature_version = feature_version
        self.policy = policy or WordPolicy()
        self.split_sizes: dict[str, int] = {}  # pairs used to fit, calibrate and validate (set by train)
        self.hyper_parameters: dict[str, float | int] = {}  # the trees' settings (set by train)
        self._compiled: _CompiledTrees | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_compiled"] = None  # rebuilt from the pipeline on first use
        return state

    # ---------------------------------------------------------------- training
    @classmethod
    def train(
        cls,
        pairs: Sequence[tuple[str, str]],
        labels: Sequence[int],
        *,
        random_state: int = 0,
        validation_fraction: float = 0.2,
        max_iter: int = 50,
        max_leaf_nodes: int = 31,
        learning_rate: float = 0.3,
        sample_weight: Sequence[float] | None = None,
        policy: WordPolicy | None = None,
    ) -> Comparator:
        """Fit, calibrate and choose the threshold on ``pairs`` (module docstring). ``sample_weight``: how much each
        pair counts in fitting and calibration (an organisation's decisions weigh more than generated pairs); the
        threshold and ``validation_metrics`` count every validation pair once. ``policy``: a learned word policy
        whose features the trees see beside the engine's."""
        y = np.asarray(labels, dtype=np.int8)
        if len(pairs) != len(y):
            raise ValueError(f"{len(pairs)} pairs but {len(y)} labels")
        if len(set(y.tolist())) < 2:
            raise ValueError("training needs both labels (0 immaterial and 1 material)")
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if weights.shape != y.shape or not np.all(np.isfinite(weights)) or np.any(weights <= 0):
            raise ValueError("sample_weight needs one finite, positive weight per pair")
        policy = policy or WordPolicy()
        X = _matrix(list(pairs), policy)  # noqa: N806 - scikit-learn's naming
        idx = np.arange(len(y))
        idx_rest, idx_val = train_test_split(idx, test_size=validation_fraction, random_state=random_state, stratify=y)
        idx_fit, idx_cal = train_test_split(idx_rest, test_size=0.25, random_state=random_state, stratify=y[idx_rest])
        trees = HistGradientBoostingClassifier(
            max_iter=max_iter,
            learning_rate=learning_rate,
            max_leaf_nodes=max_leaf_nodes,
            min_samples_leaf=min(50, max(5, len(idx_fit) // 50)),
            l2_regularization=1.0,
            monotonic_cst=monotonic_constraints() + (list(POLICY_MONOTONIC) if policy.has_features else []),
            early_stopping=False,
            random_state=random_state,
        )
        trees.fit(X[idx_fit], y[idx_fit], sample_weight=weights[idx_fit])
        calibrated = CalibratedClassifierCV(FrozenEstimator(trees), method="sigmoid")
        with warnings.catch_warnings():
            # the weights are meant for the sigmoid only: the frozen trees are already fitted (with them)
            warnings.filterwarnings("ignore", message="Since FrozenEstimator does not appear to accept sample_weight")
            calibrated.fit(X[idx_cal], y[idx_cal], sample_weight=weights[idx_cal])
        pipeline = Pipeline([("features", PairFeatures(policy=policy)), ("classifier", calibrated)])
        probs_val = calibrated.predict_proba(X[idx_val])[:, 1]
        threshold = best_threshold(y[idx_val], probs_val)
        metrics = evaluation.evaluate(y[idx_val], probs_val, threshold)
        comparator = cls(pipeline, threshold, metrics, FEATURE_VERSION, policy)
        comparator.split_sizes = {"fit": len(idx_fit), "calibration": len(idx_cal), "validation": len(idx_val)}
        comparator.hyper_parameters = {
            "max_iter": max_iter,
            "max_leaf_nodes": max_leaf_nodes,
            "learning_rate": learning_rate,
            "random_state": random_state,
        }
        return comparator

    # ---------------------------------------------------------------- scoring
    def _proba_from_features(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        classifier = self.pipeline.named_steps["classifier"]
        if len(X) <= _SMALL_BATCH:
            compiled = getattr(self, "_compiled", None)
            if compiled is None:
                compiled = self._compiled = _CompiledTrees(classifier)
            return compiled.predict_proba(X)
        proba = _binned_proba(classifier, X)
        return classifier.predict_proba(X)[:, 1] if proba is None else proba

    def predict_proba(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """P(material) for each pair, as one vectorised batch."""
        if len(pairs) == 0:
            return np.empty(0, dtype=float)
        return self._proba_from_features(_matrix(pairs, self.policy))

    def _verdict(self, name1: str, name2: str, p: float, row: np.ndarray) -> Verdict:
        material = bool(p >= self.threshold)
        features = dict(zip(FEATURE_NAMES, row[: len(FEATURE_NAMES)].tolist(), strict=True))
        if self.policy:  # the reasons of the pair the model judged (minor words out), then what the policy says
            reasons = explain_pair(*self.policy.rewrite([(name1, name2)])[0], features)
            reasons += self.policy.reasons(name1, name2)
        else:
            reasons = explain_pair(name1, name2, features)
        return Verdict(
            material=material,
            probability_material=float(p),
            confidence=float(_confidence(float(p), self.threshold, material)),
            reasons=reasons,
            normalized=(analyze_name(name1).forms_text, analyze_name(name2).forms_text),
        )

    def compare(self, name1: str, name2: str) -> Verdict:
        return self.compare_many([(name1, name2)])[0]

    def compare_many(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        if len(pairs) == 0:
            return []
        X = _matrix(pairs, self.policy)  # noqa: N806
        probs = self._proba_from_features(X)
        return [self._verdict(p[0], p[1], float(prob), row) for p, prob, row in zip(pairs, probs, X, strict=True)]

    def explain(self, name1: str, name2: str) -> list[Reason]:
        if not self.policy:
            return explain_pair(name1, name2)
        return explain_pair(*self.policy.rewrite([(name1, name2)])[0]) + self.policy.reasons(name1, name2)

    # ---------------------------------------------------------------- persistence
    def save(self, path: str | Path) -> None:
        """Write the whole comparator (pipeline, threshold, metrics, version) to one joblib file."""
        joblib.dump(self, Path(path), compress=3)

    @classmethod
    def load(cls, path: str | Path) -> Comparator:
        obj = joblib.load(Path(path))
        if not isinstance(obj, Comparator):
            raise TypeError(f"{path}: not a Comparator but {type(obj).__name__}")
        if obj.feature_version != FEATURE_VERSION:
            raise ModelVersionError(
                f"{path}: model was trained with feature version {obj.feature_version!r}, but this code computes "
                f"feature version {FEATURE_VERSION!r}; retrain the model (python manage.py train_model)"
            )
        return obj
