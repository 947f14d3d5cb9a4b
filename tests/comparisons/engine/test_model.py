"""The comparator on a tiny in-memory dataset with a fixed seed."""

import random

import joblib
import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from comparisons.engine import FEATURE_VERSION, Comparator, ModelVersionError, Verdict
from comparisons.engine.model import _binned_proba, best_threshold

BASES = [
    "Acme Widgets",
    "Globex",
    "Initech Software",
    "Umbrella Pharma",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Robotics",
    "Cyberdyne Systems",
    "Wonka Confectionery",
    "Oscorp Chemicals",
    "Pied Piper",
    "Dunder Mifflin Paper",
    "Gringotts Bank",
    "Monarch Shipping",
    "Nakatomi Trading",
    "Bluth Homes",
    "Prestige Worldwide",
    "Sterling Cooper",
    "Wernham Hogg",
    "Los Pollos Hermanos",
    "Kramerica",
]
FORMS = [("Inc", "Incorporated"), ("Ltd", "Limited"), ("LLC", "L.L.C."), ("GmbH", "G.m.b.H."), ("plc", "PLC")]


def tiny_dataset(seed: int = 0) -> tuple[list[tuple[str, str]], list[int]]:
    rng = random.Random(seed)
    pairs, labels = [], []
    for base in BASES:
        i = rng.randrange(len(FORMS))
        form, spelling = FORMS[i]
        other = FORMS[(i + 1 + rng.randrange(len(FORMS) - 1)) % len(FORMS)][0]
        name = f"{base} {form}"
        pairs += [
            (name, name.upper()),
            (name, f"{base}, {spelling}"),
            (name, f"The {base} {form}."),
            (name, f"{base} {other}"),
            (f"{base} Fund I {form}", f"{base} Fund II {form}"),
            (name, f"{base} Holdings {form}"),
        ]
        labels += [0, 0, 0, 1, 1, 1]
    return pairs, labels


@pytest.fixture(scope="module")
def comparator() -> Comparator:
    pairs, labels = tiny_dataset()
    return Comparator.train(pairs, labels, random_state=0, max_iter=50)


def test_trained_object(comparator):
    assert comparator.feature_version == FEATURE_VERSION
    assert 0.0 < comparator.threshold < 1.0
    assert isinstance(comparator.pipeline, Pipeline)
    assert list(comparator.pipeline.named_steps) == ["features", "classifier"]
    metrics = comparator.validation_metrics
    assert {"n", "accuracy", "balanced_accuracy", "roc_auc", "confusion"} <= set(metrics)
    assert metrics["n"] == round(len(tiny_dataset()[0]) * 0.2)
    assert sum(comparator.split_sizes.values()) == len(tiny_dataset()[0])


def test_predicts_unseen_pairs(comparator):
    probs = comparator.predict_proba(
        [
            ("Zorg Corp Ltd", "ZORG CORP LIMITED"),
            ("Zorg Corp Ltd", "Zorg Corp LLC"),
            ("Quux Fund I Inc", "Quux Fund II Inc"),
        ]
    )
    assert probs.shape == (3,)
    assert ((probs >= 0) & (probs <= 1)).all()
    assert probs[0] < comparator.threshold <= probs[1]
    assert probs[0] < comparator.threshold <= probs[2]


def test_pipeline_scores_pairs_directly(comparator):
    pairs = [("Zorg Ltd", "Zorg LLC"), ("Zorg Ltd", "zorg ltd")]
    assert np.allclose(comparator.pipeline.predict_proba(pairs)[:, 1], comparator.predict_proba(pairs))


def test_training_is_reproducible(comparator):
    pairs, labels = tiny_dataset()
    again = Comparator.train(pairs, labels, random_state=0, max_iter=50)
    probe = [("Zorg Ltd", "Zorg LLC"), ("Zorg Ltd", "zorg ltd"), ("Zorg I", "Zorg II")]
    assert again.threshold == comparator.threshold
    assert np.array_equal(again.predict_proba(probe), comparator.predict_proba(probe))


def test_compare_returns_a_verdict(comparator):
    verdict = comparator.compare("Zorg Widgets LLC", "Zorg Widgets Inc")
    assert isinstance(verdict, Verdict)
    assert verdict.material is True
    assert 0.5 <= verdict.confidence <= 1.0
    assert verdict.normalized == ("zorg widgets llc", "zorg widgets inc")
    assert "legal form differs: LLC vs Inc (different kind of entity)" in [r.text for r in verdict.reasons]
    data = verdict.to_dict()
    assert {
        "kind": "legal_form_changed",
        "text": "legal form differs: LLC vs Inc (different kind of entity)",
        "left": ["llc"],
        "right": ["inc"],
    } in data["reasons"]
    assert data["material"] is True and data["normalized"] == ["zorg widgets llc", "zorg widgets inc"]
    immaterial = comparator.compare("Zorg Widgets LLC", "ZORG WIDGETS L.L.C.")
    assert immaterial.material is False
    assert 0.5 <= immaterial.confidence <= 1.0
    assert immaterial.probability_material < verdict.probability_material


def test_compare_many_matches_compare(comparator):
    pairs = [("Zorg Ltd", "Zorg LLC"), ("Zorg Ltd", "zorg ltd")]
    many = comparator.compare_many(pairs)
    assert [v.to_dict() for v in many] == [comparator.compare(*p).to_dict() for p in pairs]
    assert comparator.compare_many([]) == []


def test_save_load_roundtrip(comparator, tmp_path):
    path = tmp_path / "model.joblib"
    comparator.save(path)
    loaded = Comparator.load(path)
    probe = [("Zorg Ltd", "Zorg LLC"), ("Zorg Ltd", "zorg ltd")]
    assert np.array_equal(loaded.predict_proba(probe), comparator.predict_proba(probe))
    assert loaded.threshold == comparator.threshold
    assert loaded.validation_metrics == comparator.validation_metrics


def test_load_refuses_other_feature_version(comparator, tmp_path):
    path = tmp_path / "old.joblib"
    old = Comparator(comparator.pipeline, comparator.threshold, comparator.validation_metrics, "1999.01.1")
    old.save(path)
    with pytest.raises(ModelVersionError, match="feature version '1999.01.1'"):
        Comparator.load(path)


def test_load_refuses_other_objects(tmp_path):
    path = tmp_path / "not_a_model.joblib"
    joblib.dump({"a": 1}, path)
    with pytest.raises(TypeError, match="not a Comparator"):
        Comparator.load(path)


def test_train_needs_both_labels():
    with pytest.raises(ValueError, match="both labels"):
        Comparator.train([("a", "b"), ("c", "d")], [0, 0])
    with pytest.raises(ValueError, match="labels"):
        Comparator.train([("a", "b")], [0, 1])


def test_small_batch_path_equals_pipeline(comparator):
    # predict_proba takes a numpy shortcut for small batches; it must agree with scikit-learn's
    pairs = [(f"Zorg {i} Ltd", f"Zorg {i % 3} LLC") for i in range(100)] + tiny_dataset()[0]
    expected = comparator.pipeline.predict_proba(pairs)[:, 1]
    small = np.concatenate([comparator.predict_proba(pairs[i : i + 10]) for i in range(0, len(pairs), 10)])
    assert np.allclose(small, expected, rtol=0, atol=1e-9)
    assert np.allclose(comparator.predict_proba(pairs), expected, rtol=0, atol=1e-9)


def test_large_batch_binned_path_is_exactly_scikit_learns(comparator):
    # large batches bin the features once and walk the trees on the bins (_binned_proba): the
    # probabilities must be scikit-learn's own, bit for bit, also for values right at a split
    classifier = comparator.pipeline.named_steps["classifier"]
    trees = classifier.calibrated_classifiers_[0].estimator
    trees = getattr(trees, "estimator", trees)
    rng = np.random.default_rng(0)
    n_features = trees.n_features_in_
    X = rng.random((3000, n_features)).astype(np.float32) * 3  # noqa: N806
    nodes = np.concatenate([p.nodes for (p,) in trees._predictors])
    splits = nodes[~nodes["is_leaf"].astype(bool)]
    for k, node in enumerate(splits):  # exactly on, just below and just above each split value
        row = k % len(X)
        X[row, node["feature_idx"]] = node["num_threshold"]
        X[(row + 1) % len(X), node["feature_idx"]] = np.nextafter(np.float32(node["num_threshold"]), np.float32(-1))
        X[(row + 2) % len(X), node["feature_idx"]] = np.nextafter(np.float32(node["num_threshold"]), np.float32(9))
    expected = classifier.predict_proba(X)[:, 1]
    got = _binned_proba(classifier, X)
    assert got is not None
    assert np.array_equal(got, expected)
    pairs = [(f"Zorg {i} Ltd", f"Zorg {i % 7} LLC") for i in range(300)] + tiny_dataset()[0]
    assert np.array_equal(comparator.predict_proba(pairs), comparator.pipeline.predict_proba(pairs)[:, 1])


def test_threshold_is_the_centre_of_the_best_plateau():
    # negatives spread over 0..0.6, positives over 0.4..1: every cut between 0.4 and 0.6 trades one error
    # for another and balanced accuracy is flat there. A few extra negatives at 0.41 make the exact
    # maximum sit at the plateau's lower edge (where a plain argmax would put the threshold); the rule
    # takes the middle of the plateau instead.
    neg = np.concatenate([np.linspace(0.0, 0.6, 2000, endpoint=False), np.full(5, 0.41)])
    pos = np.linspace(0.4, 1.0, 2000, endpoint=False)
    probs = np.concatenate([neg, pos])
    labels = np.concatenate([np.zeros(len(neg)), np.ones(len(pos))]).astype(int)
    assert 0.45 < best_threshold(labels, probs) < 0.55
    # cleanly separated scores: a threshold between the classes
    t = best_threshold(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9]))
    assert 0.2 < t <= 0.8
    # an even number of plateau members: one of them, not the average of two across a dip
    t = best_threshold(np.array([0, 0, 1, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]))
    assert t in (0.25, 0.45)
    # one class only, or scores no better than chance: 0.5
    assert best_threshold(np.array([1, 1]), np.array([0.3, 0.7])) == 0.5
    assert best_threshold(np.array([0, 1, 0, 1]), np.array([0.3] * 4)) == 0.5
    assert best_threshold(np.array([0, 0, 1, 1]), np.array([0.9, 0.8, 0.2, 0.1])) == 0.5
