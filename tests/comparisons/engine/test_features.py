"""Unit tests of the pair features, by name."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from comparisons.engine import FEATURE_NAMES, analysis, feature_matrix, features_for
from comparisons.engine.analysis import analyze_name
from comparisons.engine.pipeline_step import PairFeatures
from comparisons.engine.tokens import GENERIC, NUMBER, OTHER, PLACE, STOP, classify, roman_value


def f(a: str, b: str) -> dict[str, float]:
    return features_for(a, b)


def test_names_match_matrix_width():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES))
    assert feature_matrix([("a", "b"), ("c", "d")]).shape == (2, len(FEATURE_NAMES))
    assert feature_matrix([]).shape == (0, len(FEATURE_NAMES))


def test_equality_after_each_step():
    assert f("Acme Ltd", "ACME LTD")["eq_case"] == 1
    x = f("Acme, Ltd.", "acme ltd")
    assert x["eq_case"] == 0 and x["eq_punct"] == 1
    x = f("Société Acme", "Societe Acme")
    assert x["eq_punct"] == 0 and x["eq_ascii"] == 1
    x = f("Acme Intl", "Acme International")
    assert x["eq_ascii"] == 0 and x["eq_abbrev"] == 1
    x = f("Acme Limited", "Acme Ltd.")
    assert x["eq_forms"] == 1
    x = f("Acme LLC", "Acme Inc")
    assert x["eq_forms"] == 0 and x["eq_core"] == 1
    x = f("BOSCH GMBH ROBERT", "Robert Bosch GmbH")
    assert x["eq_core"] == 0 and x["eq_sorted"] == 1
    x = f("Micro Soft", "Microsoft")
    assert x["eq_sorted"] == 0 and x["eq_nospace"] == 1


@pytest.mark.parametrize(
    ("a", "b", "feature"),
    [
        ("Acme", "Acme Widgets", "lf_none"),
        ("Acme Inc", "Acme Incorporated", "lf_same"),
        ("Unilever N.V.", "Unilever plc", "lf_same_class_diff_form"),
        ("Acme LLC", "Acme", "lf_one_missing"),
        ("Acme LLC", "Acme Inc", "lf_diff_class"),
        ("Acme Ltd", "Acme LP", "lf_diff_class"),
    ],
)
def test_legal_form_features(a, b, feature):
    x = f(a, b)
    lf = ["lf_none", "lf_same", "lf_same_class_diff_form", "lf_one_missing", "lf_diff_class"]
    assert x[feature] == 1
    assert sum(x[name] for name in lf) == 1  # exactly one case holds


@pytest.mark.parametrize(
    ("a", "b", "feature"),
    [
        ("Fund I", "Fund II", "num_disjoint"),
        ("FIRST OCEAN", "FOURTH OCEAN", "num_disjoint"),
        ("First Ocean", "1st Ocean", "num_equal"),
        ("Fund 2", "Fund II", "num_equal"),
        ("Acme 2", "Acme", "num_one_sided"),
        ("Acme 2 3", "Acme 2 4", "num_partial"),
        ("Acme", "Acme Ltd", "num_none"),
    ],
)
def test_number_features(a, b, feature):
    assert f(a, b)[feature] == 1


def test_extra_tokens_by_kind():
    x = f("Acme Holdings", "Acme")
    assert (x["generic_extra_max"], x["generic_extra_min"], x["other_extra_max"]) == (1, 0, 0)
    x = f("Acme UK Ltd", "Acme Ltd")
    assert (x["place_extra_max"], x["generic_extra_max"], x["other_extra_max"]) == (1, 0, 0)
    x = f("Acme Rockets", "Acme Widgets")
    assert (x["other_extra_max"], x["other_extra_min"]) == (1, 1)
    assert x["common_other"] == 1


@pytest.mark.parametrize(
    ("a", "b"), [("Olympus Denmark AS", "Olympus Danmark AS"), ("Acme Nippon KK", "Acme Japan KK")]
)
def test_a_country_in_another_language_is_the_same_place(a, b):
    x = f(a, b)
    assert (x["place_extra_max"], x["other_extra_max"], x["common_tokens"]) == (0, 0, 2)


def test_two_word_places_count_once():
    x = f("Mercator Trading (Hong Kong) Limited", "Mercator Trading Limited")
    assert (x["place_extra_max"], x["other_extra_max"]) == (1, 0)


def test_seat_after_legal_form_and_comma_is_not_part_of_the_name():
    assert f("Van Dijk Transport B.V., Zwolle", "Van Dijk Transport B.V.")["eq_forms"] == 1
    assert f("KESSLER MASCHINENBAU GMBH, AUGSBURG, DE", "Kessler Maschinenbau GmbH")["eq_forms"] == 1
    # a place inside the name, before the legal form, is a qualifier
    x = f("Van Dijk Transport Zwolle B.V.", "Van Dijk Transport B.V.")
    assert x["eq_forms"] == 0 and x["other_extra_max"] == 1


def test_known_words_are_not_typos_of_each_other():
    x = f("Northern Star Resources", "Southern Star Resources")
    assert x["typo_pairs"] == 0 and x["place_extra_min"] == 1
    x = f("Westfield Partners LLC", "Eastfield Partners LLC")
    assert x["typo_pairs"] == 1 and x["typo_first_letter"] == 1
    x = f("Sunrise Foods", "Sunset Foods")
    assert x["typo_pairs"] == 0 and x["other_extra_min"] == 1  # too far apart for a typo
    x = f("Vegas Systems AB", "Velas Systems AB")
    assert x["typo_short"] == 1


def test_typos_and_abbreviations_are_aligned_not_counted_as_new_words():
    x = f("Acme Holdngs", "Acme Holdings")
    assert x["typo_pairs"] == 1 and x["generic_extra_max"] == 0 and x["other_extra_max"] == 0
    x = f("Zeta Fabr", "Zeta Fabrication")
    assert x["abbrev_pairs"] == 1 and x["other_extra_max"] == 0


def test_acronym():
    assert f("IBM", "International Business Machines Corp")["acronym_match"] == 1
    assert f("International Business Machines", "IBM Corp")["acronym_match"] == 1
    assert f("IBM", "Intel Corp")["acronym_match"] == 0
    assert f("IHI", "Ishikawajima-Harima Heavy Industries")["acronym_loose"] == 1
    assert f("KBC", "Kredietbank ABB Insurance CERA")["acronym_loose"] == 0.5
    assert f("XYZ", "Kredietbank ABB Insurance CERA")["acronym_loose"] == 0


def test_scripts():
    x = f("ООО Ромашка", "OOO Romashka")
    assert x["script_diff"] == 1 and x["eq_ascii"] == 1
    x = f("Acme", "ACME")
    assert x["script_diff"] == 0


def test_similarities_and_lengths():
    x = f("Acme Widgets Ltd", "Acme Widgets Inc")
    assert x["sim_ratio"] == 1 and x["sim_jw"] == 1  # compared without legal forms
    assert x["sim_ratio_forms"] < 1
    x = f("Widgets Acme", "Acme Widgets")
    assert x["sim_token_sort"] == 1 and x["sim_ratio"] < 1
    x = f("Acme", "Acme Widgets International")
    assert x["sim_partial"] == 1 and x["sim_token_set"] == 1
    assert x["len_ratio"] == pytest.approx(4 / 26)
    assert (x["ntok_min"], x["ntok_max"]) == (1, 3)
    assert f("Zyxw", "Acme")["sim_ratio"] == 0


def test_batch_equals_single():
    pairs = [("Fund I", "Fund II"), ("Acme LLC", "Acme Inc"), ("ООО Ромашка", "OOO Romashka")]
    batch = feature_matrix(pairs)
    for row, pair in zip(batch, pairs, strict=True):
        assert np.array_equal(row, np.array(list(features_for(*pair).values()), dtype=np.float32))


def test_transformer_step_accepts_lists_and_arrays():
    step = PairFeatures().fit(None)
    pairs = [("Fund I", "Fund II"), ("Acme", "Acme")]
    assert np.array_equal(step.transform(pairs), step.transform(np.array(pairs, dtype=object)))
    assert list(step.get_feature_names_out()) == list(FEATURE_NAMES)


@pytest.mark.parametrize(
    ("token", "position", "kind", "value"),
    [
        ("12", 1, NUMBER, 12),
        ("first", 0, NUMBER, 1),
        ("2nd", 1, NUMBER, 2),
        ("iv", 1, NUMBER, 4),
        ("ivy", 1, OTHER, None),
        ("x", 0, OTHER, None),  # a Roman numeral only after the first word
        ("holding", 1, GENERIC, None),
        ("uk", 1, PLACE, None),
        ("deutschland", 1, PLACE, None),
        ("of", 1, STOP, None),
        ("acme", 0, OTHER, None),
    ],
)
def test_token_kinds(token, position, kind, value):
    assert classify(token, position) == (kind, value)


def test_roman_values():
    assert [roman_value(t) for t in ("i", "ii", "iv", "ix", "xiv", "xxxix")] == [1, 2, 4, 9, 14, 39]
    assert roman_value("iiii") is None
    assert roman_value("") is None


def test_analysis_is_cached_per_name():
    assert analyze_name("Acme Widgets Ltd") is analyze_name("Acme Widgets Ltd")


def test_name_cache_is_bounded_and_keeps_the_newest_names():
    analysis.clear_name_cache()
    try:
        first = analyze_name("Cache Probe Number 0 Ltd")
        assert analyze_name("Cache Probe Number 0 Ltd") is first  # cached: the same object
        for i in range(1, analysis.NAME_CACHE_SIZE + 10):
            analyze_name(f"Cache Probe Number {i} Ltd")
            assert len(analysis._cache_names) <= analysis.NAME_CACHE_SIZE
        newest = f"Cache Probe Number {analysis.NAME_CACHE_SIZE + 9} Ltd"
        assert newest in analysis._cache_names
        assert "Cache Probe Number 0 Ltd" not in analysis._cache_names  # the oldest went first
        again = analyze_name("Cache Probe Number 0 Ltd")
        assert again is not first and again == first  # recomputed, the same analysis
    finally:
        analysis.clear_name_cache()


def test_name_cache_is_safe_to_share_between_threads():
    """Web workers run several threads over one cache; evictions happen while others read and write."""
    analysis.clear_name_cache()
    per_thread = analysis.NAME_CACHE_SIZE // 2

    def work(thread: int) -> int:
        for i in range(per_thread):
            info = analyze_name(f"Thread {thread} Probe {i} GmbH")
            assert info.forms == frozenset({"gmbh"})
        return thread

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert sorted(pool.map(work, range(4))) == [0, 1, 2, 3]
        assert len(analysis._cache_names) <= analysis.NAME_CACHE_SIZE
    finally:
        analysis.clear_name_cache()
