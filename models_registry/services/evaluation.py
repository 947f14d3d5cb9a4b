"""Scoring versions on frozen data: the configured evaluation sets (LEGALNAME_EVALUATION_SETS) and the held-out
audit decisions. Training measures a new version here; the promotion gate measures the candidate and the active
version here, on the same data at the same moment."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from comparisons.engine import Comparator
from comparisons.engine.evaluation import evaluate, read_pairs_csv
from feedback.selectors import feedback_holdout_list

logger = logging.getLogger(__name__)


def evaluation_sets() -> dict[str, Path]:
    """The frozen evaluation sets configured in LEGALNAME_EVALUATION_SETS whose files exist (never trained on).

    A configured set whose file is missing is skipped with a warning: evaluation then covers the others, and the
    app runs on a machine that has only some of the files."""
    sets = {}
    for name, path in settings.LEGALNAME_EVALUATION_SETS.items():
        if Path(path).is_file():
            sets[name] = Path(path)
        else:
            logger.warning("evaluation set %r skipped: no file at %s (LEGALNAME_EVALUATION_SETS)", name, path)
    return sets


def comparator_evaluate(*, comparator: Comparator) -> dict[str, dict]:
    """The comparator's metrics on every evaluation set, at its own threshold."""
    results = {}
    for name, path in evaluation_sets().items():
        data = read_pairs_csv(path)
        probs = comparator.predict_proba(data.pairs)
        results[name] = evaluate(data.labels, probs, comparator.threshold, data.sources)
    return results


@dataclass(frozen=True)
class HeldOutDecisions:
    """The promotion gate's frozen decisions: each pair and the analyst's verdict (1 material)."""

    pairs: list[tuple[str, str]]
    labels: np.ndarray


def held_out_decisions() -> HeldOutDecisions:
    rows = list(feedback_holdout_list().values_list("prediction__name1", "prediction__name2", "user_correction"))
    return HeldOutDecisions(
        pairs=[(name1, name2) for name1, name2, _ in rows], labels=np.asarray([int(v) for *_, v in rows], dtype=int)
    )


def comparator_verdicts(*, comparator: Comparator, pairs: list[tuple[str, str]]) -> np.ndarray:
    """The comparator's verdicts (1 material) at its own threshold."""
    if not pairs:
        return np.zeros(0, dtype=int)
    return (comparator.predict_proba(pairs) >= comparator.threshold).astype(int)
