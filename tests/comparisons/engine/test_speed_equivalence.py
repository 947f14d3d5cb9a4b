"""The speed work must not change what the engine computes.

``data/speed_equivalence.json`` was captured from the engine *before* it was optimised: 331 varied
pairs (hand-picked edge cases, golden, dev and generated pairs) and their feature rows. Regenerate
it only together with a ``FEATURE_VERSION`` bump, when a feature is changed on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from comparisons.engine import features
from comparisons.engine.features import FEATURE_NAMES, FEATURE_VERSION, analyze_name, feature_matrix

FIXTURE = Path(__file__).parent / "data" / "speed_equivalence.json"


@pytest.fixture(scope="module")
def frozen() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _assert_same(got: np.ndarray, want: np.ndarray, pairs) -> None:
    bad = ~np.isclose(got, want, rtol=0, atol=1e-6)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        pytest.fail(f"{int(bad.sum())} values differ; first: {pairs[i]!r} {FEATURE_NAMES[j]}: {got[i, j]} != {want[i, j]}")


def test_fixture_matches_the_running_feature_code(frozen):
    assert frozen["feature_version"] == FEATURE_VERSION
    assert tuple(frozen["feature_names"]) == FEATURE_NAMES


def test_batch_features_are_unchanged(frozen):
    pairs = [tuple(p) for p in frozen["pairs"]]
    want = np.asarray(frozen["features"], dtype=np.float32)
    analyze_name.cache_clear()
    _assert_same(feature_matrix(pairs), want, pairs)
    # warm caches give the same answer
    _assert_same(feature_matrix(pairs), want, pairs)


def test_one_pair_at_a_time_is_the_same_as_a_batch(frozen):
    pairs = [tuple(p) for p in frozen["pairs"]][:60]
    want = np.asarray(frozen["features"], dtype=np.float32)[:60]
    got = np.vstack([feature_matrix([p]) for p in pairs])
    _assert_same(got, want, pairs)


def test_large_batch_path_is_the_same(frozen):
    """Batches over the gc / vectorisation thresholds take the same values."""
    pairs = [tuple(p) for p in frozen["pairs"]] * 4
    want = np.tile(np.asarray(frozen["features"], dtype=np.float32), (4, 1))
    features.analyze_name.cache_clear()
    _assert_same(feature_matrix(pairs), want, pairs)
