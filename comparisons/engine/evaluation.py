"""Metrics for a set of labelled pairs and the CSV reader for such sets.

Plain Python + scikit-learn: used by the ``evaluate_model`` command, by training (validation
metrics) and by the benchmarks. Label 1 = MATERIAL (different entity), 0 = IMMATERIAL.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn import metrics as skm


class PairsFileError(ValueError):
    """A pairs CSV that cannot be read; the message names the row and the problem."""


@dataclass(frozen=True)
class LabelledPairs:
    pairs: list[tuple[str, str]]
    labels: np.ndarray
    sources: list[str]


def read_pairs_csv(path: str | Path) -> LabelledPairs:
    """Read ``name1,name2,label[,source]`` (a header row is required)."""
    path = Path(path)
    if not path.is_file():
        raise PairsFileError(f"{path}: no such file")
    pairs: list[tuple[str, str]] = []
    labels: list[int] = []
    sources: list[str] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"name1", "name2", "label"} - set(reader.fieldnames or [])
        if missing:
            raise PairsFileError(f"{path}: header lacks column(s) {', '.join(sorted(missing))}")
        for lineno, row in enumerate(reader, start=2):
            name1, name2, label = (row.get("name1") or "").strip(), (row.get("name2") or "").strip(), row.get("label")
            if not name1 or not name2:
                raise PairsFileError(f"{path}, row {lineno}: name1 and name2 must not be empty")
            if (label or "").strip() not in {"0", "1"}:
                raise PairsFileError(f"{path}, row {lineno}: label must be 0 or 1, got {label!r}")
            pairs.append((name1, name2))
            labels.append(int((label or "").strip()))
            sources.append((row.get("source") or "").strip() or "all")
    if not pairs:
        raise PairsFileError(f"{path}: no pairs")
    return LabelledPairs(pairs=pairs, labels=np.asarray(labels, dtype=np.int8), sources=sources)


def _scores(labels: np.ndarray, probs: np.ndarray, threshold: float) -> dict:
    pred = (probs >= threshold).astype(np.int8)
    cm = skm.confusion_matrix(labels, pred, labels=[0, 1])
    both_classes = len(set(labels.tolist())) == 2
    return {
        "n": int(len(labels)),
        "accuracy": float(skm.accuracy_score(labels, pred)),
        "balanced_accuracy": float(skm.balanced_accuracy_score(labels, pred)) if both_classes else None,
        "precision": float(skm.precision_score(labels, pred, zero_division=0)),
        "recall": float(skm.recall_score(labels, pred, zero_division=0)),
        "f1": float(skm.f1_score(labels, pred, zero_division=0)),
        "roc_auc": float(skm.roc_auc_score(labels, probs)) if both_classes else None,
        # rows = true label (0 immaterial, 1 material), columns = predicted label
        "confusion": cm.tolist(),
    }


def evaluate(
    labels: Sequence[int] | np.ndarray,
    probs: Sequence[float] | np.ndarray,
    threshold: float,
    sources: Sequence[str] | None = None,
) -> dict:
    """Metrics at a fixed threshold (never tuned here), overall and per source."""
    labels = np.asarray(labels, dtype=np.int8)
    probs = np.asarray(probs, dtype=float)
    result = _scores(labels, probs, threshold)
    per_source: dict[str, dict] = {}
    if sources is not None:
        src = np.asarray(list(sources))
        for name in sorted(set(src.tolist())):
            mask = src == name
            per_source[name] = _scores(labels[mask], probs[mask], threshold)
    result["per_source"] = per_source
    return result
