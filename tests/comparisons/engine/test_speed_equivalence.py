"""The speed work must not change what the engine computes.

``data/speed_equivalence.json`` was captured from the engine *before* it was optimised: 331 varied
pairs (hand-picked edge cases, golden, dev and generated pairs) and their feature rows. Regenerate
it only together with a ``FEATURE_VERSION`` bump, when a feature is changed on purpose.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import comparisons.engine as engine
from comparisons.engine import analysis, features
from comparisons.engine import normalize as n
from comparisons.engine.features import FEATURE_NAMES, FEATURE_VERSION, feature_matrix
from comparisons.engine.normalize import _DROP_MARKS, strip_punctuation

FIXTURE = Path(__file__).parent / "data" / "speed_equivalence.json"


@pytest.fixture(scope="module")
def frozen() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _assert_same(got: np.ndarray, want: np.ndarray, pairs) -> None:
    bad = ~np.isclose(got, want, rtol=0, atol=1e-6)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        pytest.fail(
            f"{int(bad.sum())} values differ; first: {pairs[i]!r} {FEATURE_NAMES[j]}: {got[i, j]} != {want[i, j]}"
        )


def test_fixture_matches_the_running_feature_code(frozen):
    assert frozen["feature_version"] == FEATURE_VERSION
    assert tuple(frozen["feature_names"]) == FEATURE_NAMES


def test_batch_features_are_unchanged(frozen):
    pairs = [tuple(p) for p in frozen["pairs"]]
    want = np.asarray(frozen["features"], dtype=np.float32)
    analysis.clear_name_cache()
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
    analysis.clear_name_cache()
    _assert_same(feature_matrix(pairs), want, pairs)


# The straightforward spellings of two steps that were rewritten for speed, kept here as references.
def _reference_strip_punctuation(text: str) -> str:
    if "&" in text:
        text = n._AMP_TIGHT.sub(r"\1\2", text)
        text = n._AMP_SPACED.sub(lambda m: "".join(g for g in m.groups() if g), text)
        text = n._AMP.sub(" and ", text)
    if " and " in text:
        text = n._AND_SPACED.sub(lambda m: "".join(g for g in m.groups() if g), text)
    if "." in text:
        text = n._DOT_AFTER_LETTER.sub(r"\1", text)
    text = n._APOSTROPHE.sub("", text)
    return " ".join(n._NON_WORD.sub(" ", text).split())


def _reference_strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(n._LATIN_SPECIAL)


_ALPHABET = list("ab c.'’`´&_-1é2 .,/ xyZ()") + ["\u00a0", "ß", "ǅ", "²", "\u0301", "ι", "и", "\t", " and ", "ø", "Å"]


def test_strip_punctuation_equals_its_reference():
    rng = random.Random(5)
    pools = (
        _ALPHABET,
        [chr(i) for i in range(128)] + [" and ", "a", "b", " "],
        list("ab.' `1_-.&.") + [" and ", "A", "z."],  # ASCII abbreviations: full stops after letters
    )
    for pool in pools:
        for _ in range(20_000):
            text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
            assert strip_punctuation(text) == _reference_strip_punctuation(text), repr(text)


def test_mark_removal_equals_its_reference():
    rng = random.Random(6)
    pool = [chr(c) for c in range(0x80, 0x2000)] + list("abc .-")
    for _ in range(10_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 10))).casefold()
        assert unicodedata.normalize("NFKD", text).translate(_DROP_MARKS) == _reference_strip_marks(text), repr(text)


def _reference_fold_ascii(text: str) -> str:
    """``fold_ascii`` on the whole text at once, as it was before the per-word memo table."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(n._SCRIPT_LETTERS)).translate(n._DROP_MARKS)
    if text.isascii():
        return text
    text = n._icu_ascii(text)
    return text if text.isascii() else text.encode("ascii", "ignore").decode()


def test_fold_case_and_fold_ascii_equal_their_references():
    rng = random.Random(7)
    pool = (
        list("abcdeé.'’&-,/ ()0123 ")
        + list("ÀÉÎõüçñøæßłđ")
        + list("абвгдежзийклмнопрстуфхцчшщъыьэюяАБВ")
        + list("αβγδεζηθΣσς")
        + list("北京公司株式会社한국")  # ICU's Any-Latin spaces these out, looking across words
        + ["\u0301", "\u0308", "\u00a0", "\u00ad", "\u200b", "¨", "⑴", "ﬁ", "Ⅱ", "ǅ", "İ", "ı"]
    )
    for _ in range(20_000):
        raw = "".join(rng.choice(pool) for _ in range(rng.randint(1, 25)))
        case = n.fold_case(raw)
        reference_case = " ".join(unicodedata.normalize("NFKC", raw.translate(n._INVISIBLE)).casefold().split())
        assert case == reference_case, repr(raw)
        assert n.fold_ascii(case) == _reference_fold_ascii(case), repr(case)
        assert n.strip_punctuation(case) == _reference_strip_punctuation(case), repr(case)


# The engine runs compiled (mypyc, ``comparisons/engine/build.py``) where it was built and as pure Python
# elsewhere: both must give the frozen features. This process uses whatever is installed; the pure-Python
# run is a subprocess with LEGALNAME_ENGINE_PURE=1.
_PURE_SCRIPT = """
import json, sys
import numpy as np
import comparisons.engine as engine
from comparisons.engine.features import feature_matrix
fixture, out = sys.argv[1], sys.argv[2]
pairs = [tuple(p) for p in json.load(open(fixture, encoding="utf-8"))["pairs"]]
np.save(out, feature_matrix(pairs))
print(json.dumps(engine.compiled_status()))
"""


def test_pure_python_engine_gives_the_frozen_features(frozen, tmp_path):
    repo = Path(__file__).resolve().parents[3]
    out = tmp_path / "pure.npy"
    env = {**os.environ, "LEGALNAME_ENGINE_PURE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _PURE_SCRIPT, str(FIXTURE), str(out)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    status = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(status["modules"].values()) == {"python"}, status
    pairs = [tuple(p) for p in frozen["pairs"]]
    _assert_same(np.load(out), np.asarray(frozen["features"], dtype=np.float32), pairs)


def test_compiled_engine_is_in_use_where_built():
    """Where ``make install`` compiled the engine, this test process runs the compiled modules."""
    built = [
        name
        for name in engine.COMPILED_MODULES
        if (Path(engine.__file__).parent / f"{name}{engine._EXT_SUFFIX}").is_file()
    ]
    if not built:
        pytest.skip("engine not compiled (pure Python): python -m comparisons.engine.build compiles it")
    if os.environ.get("LEGALNAME_ENGINE_PURE", "") not in ("", "0") or engine._stale_compiled():
        pytest.skip(f"compiled engine ignored: {engine.compiled_status()['pure_python_reason']}")
    assert engine.compiled_status()["compiled"], engine.compiled_status()
    assert features.__file__.endswith(engine._EXT_SUFFIX)
