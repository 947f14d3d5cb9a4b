"""The hand-written golden set: well-formed, and a quality floor for a model trained on generated pairs.

The golden set is evaluation only: it is never trained on, and no threshold is chosen on it.
"""

from __future__ import annotations

import csv
from collections import Counter

import numpy as np
import pytest

from comparisons.engine import Comparator, datagen
from comparisons.engine.evaluation import evaluate, read_pairs_csv

GOLDEN = datagen.GOLDEN_CSV
FLOOR = 0.95
TRAIN_N = 30_000


def _rows() -> list[dict]:
    with GOLDEN.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_golden_csv_is_well_formed():
    rows = _rows()
    assert len(rows) >= 200
    assert set(rows[0]) == {"name1", "name2", "label", "reason"}
    for i, row in enumerate(rows, start=2):
        assert row["name1"].strip() and row["name2"].strip(), i
        assert row["name1"] != row["name2"], i
        assert row["label"] in {"0", "1"}, i
        assert row["reason"].strip(), i
    keys = Counter(
        tuple(sorted((" ".join(r["name1"].split()).casefold(), " ".join(r["name2"].split()).casefold()))) for r in rows
    )
    assert max(keys.values()) == 1, [k for k, v in keys.items() if v > 1]
    labels = Counter(r["label"] for r in rows)
    assert min(labels.values()) / len(rows) > 0.35  # both verdicts well represented


def test_golden_covers_the_policy_traps():
    pairs = {(r["name1"], r["name2"]): int(r["label"]) for r in _rows()}
    expected = {
        ("Acme LLC", "Acme Inc"): 1,
        ("Fund I", "Fund II"): 1,
        ("FIRST OCEAN", "FOURTH OCEAN"): 1,
        ("Barclays plc", "Barclays Bank plc"): 1,
        ("Acme Holdings", "Acme"): 1,
        ("Acme UK Ltd", "Acme Ltd"): 1,
        ("AT&T Inc.", "AT and T Incorporated"): 0,
        ("ООО Газпром", "OOO Gazprom"): 0,
        ("Brennan Freight Pty. Limited", "Brennan Freight Pty Ltd"): 0,
        ("Osaka Precision Co. Ltd.", "Osaka Precision Company Limited"): 0,
        ("Société Générale SA", "SOCIETE GENERALE S.A."): 0,
        ("FISCHER GMBH ARTUR", "Artur Fischer GmbH"): 0,
    }
    for pair, label in expected.items():
        assert pairs.get(pair) == label, pair


def test_golden_readable_by_the_evaluation_reader():
    lp = read_pairs_csv(GOLDEN)
    assert len(lp.pairs) == len(_rows())


@pytest.fixture(scope="session")
def trained_comparator():
    pairs = datagen.generate_pairs(TRAIN_N)
    return Comparator.train([(a, b) for a, b, _ in pairs], [label for _, _, label in pairs], random_state=0)


@pytest.mark.slow
def test_golden_accuracy_floor(trained_comparator):
    lp = read_pairs_csv(GOLDEN)
    probs = trained_comparator.predict_proba(lp.pairs)
    result = evaluate(lp.labels, probs, trained_comparator.threshold)
    wrong = np.flatnonzero((probs >= trained_comparator.threshold).astype(int) != lp.labels)
    detail = "; ".join(f"{lp.pairs[i]} label={lp.labels[i]} p={probs[i]:.2f}" for i in wrong[:25])
    assert result["accuracy"] >= FLOOR, f"golden accuracy {result['accuracy']:.3f} < {FLOOR}: {detail}"
