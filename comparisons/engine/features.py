"""Pair features: a numeric vector per name pair, named in ``FEATURE_NAMES``.

Per-name work (normalisation, legal-form tagging, token kinds) happens once per name in
``analysis.analyze_name`` (a bounded cache; ``analysis.clear_name_cache`` empties it); per-pair work is set
arithmetic plus rapidfuzz scorers run over the whole batch at once (``rapidfuzz.process.cpdist``).
Bump ``FEATURE_VERSION`` whenever the output of this module, or of ``analysis``, changes for any input: a saved
model refuses to load across versions.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence, Set
from itertools import chain
from typing import Final

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, JaroWinkler
from rapidfuzz.process import cpdist

from comparisons.engine.analysis import NameInfo, analyze_name
from comparisons.engine.tokens import GENERIC, OTHER, PLACE

FEATURE_VERSION = "2026.11.3"

# fuzzy token alignment: a typo (Indel similarity, i.e. one changed letter in a 5-letter word at
# least), or an abbreviation (prefix of 3+ letters) of the other side's word
_TYPO_MIN: Final = 0.78
_indel: Final = Indel.normalized_similarity


def align_tokens(
    only_a: Set[str], only_b: Set[str], kinds_a: dict | None = None, kinds_b: dict | None = None
) -> tuple[list[tuple[str, str]], Set[str], Set[str], list[float]]:
    """Pair up tokens unique to each side that are typos or abbreviations of each other.

    Returns the pairs, the tokens left unexplained on each side, and for each unexplained token
    its best similarity to any unique token of the other side (0 when the other side has none).
    Two different known words (``Northern`` / ``Southern``, ``Bank`` / ``Fund``) are never a typo.
    """
    if not only_a or not only_b:
        return [], only_a, only_b, [0.0] * (len(only_a) + len(only_b))
    la, lb = list(only_a), list(only_b)
    sims = [[_indel(x, y) for y in lb] for x in la]
    candidates = []
    for i, x in enumerate(la):
        known_x = kinds_a is not None and kinds_a.get(x, OTHER) != OTHER
        row = sims[i]
        for j, y in enumerate(lb):
            score = row[j]
            if score < _TYPO_MIN:
                short, long_ = (x, y) if len(x) <= len(y) else (y, x)
                if len(short) < 3 or not long_.startswith(short):
                    continue
                score = 0.5
            if known_x and kinds_b is not None and kinds_b.get(y, OTHER) != OTHER:
                continue
            candidates.append((score, i, j))
    pairs: list[tuple[str, str]] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    if candidates:
        candidates.sort(reverse=True)
        for _, i, j in candidates:
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                pairs.append((la[i], lb[j]))
    rest_sims = [max(sims[i]) for i in range(len(la)) if i not in used_a]
    rest_sims += [max(sims[i][j] for i in range(len(la))) for j in range(len(lb)) if j not in used_b]
    rest_a = {la[i] for i in range(len(la)) if i not in used_a} if used_a else only_a
    rest_b = {lb[j] for j in range(len(lb)) if j not in used_b} if used_b else only_b
    return pairs, rest_a, rest_b, rest_sims


def _kind_counts(tokens: Set[str], kinds: dict) -> tuple[int, int, int]:
    g = p = o = 0
    for t in tokens:
        k = kinds[t]
        if k == GENERIC:
            g += 1
        elif k == PLACE:
            p += 1
        else:
            o += 1
    return g, p, o


_SET_FEATURES = (
    "eq_case",
    "eq_punct",
    "eq_ascii",
    "eq_abbrev",
    "eq_forms",
    "eq_core",
    "eq_sorted",
    "eq_nospace",
    "lf_none",
    "lf_same",
    "lf_same_class_diff_form",
    "lf_one_missing",
    "lf_diff_class",
    "lf_weak_only",
    "num_none",
    "num_equal",
    "num_disjoint",
    "num_one_sided",
    "num_partial",
    "generic_extra_max",
    "generic_extra_min",
    "place_extra_max",
    "place_extra_min",
    "other_extra_max",
    "other_extra_min",
    "typo_pairs",
    "typo_short",
    "typo_first_letter",
    "abbrev_pairs",
    "residual_sim_mean",
    "residual_sim_min",
    "prefix_core",
    "stop_diff",
    "common_other",
    "common_tokens",
    "jaccard",
    "containment",
    "first_token_eq",
    "acronym_match",
    "acronym_loose",
    "initials_eq",
    "script_diff",
    "len_ratio",
    "tok_ratio",
    "ntok_min",
    "ntok_max",
    "len_min",
)
_SIM_FEATURES = (
    "sim_ratio",
    "sim_token_sort",
    "sim_token_set",
    "sim_partial",
    "sim_jw",
    "sim_ratio_nospace",
    "sim_ratio_forms",
    "sim_ratio_case",
)
FEATURE_NAMES: tuple[str, ...] = _SET_FEATURES + _SIM_FEATURES


_ZERO_SIM: Final = (0.0,)  # mean and min of any number of zeros
_CO: Final = frozenset({"co"})


def _set_features(a: NameInfo, b: NameInfo) -> tuple:
    eq_case = a.case == b.case
    eq_core = a.core == b.core
    # legal forms
    fa, fb = a.forms, b.forms
    # one-hot flags as separate ints (a star-unpacked tuple in the result costs a list and a copy)
    lf_none = lf_same = lf_same_class = lf_one = lf_diff_class = 0
    if not fa and not fb:
        lf_none = 1
    elif not fa or not fb:
        lf_one = 1
    elif fa == fb:
        lf_same = 1
    elif a.form_classes & b.form_classes:
        lf_same_class = 1
    else:
        lf_diff_class = 1
    weak_only = int((fa == _CO) != (fb == _CO))
    # numbers
    na, nb = a.numbers, b.numbers
    num_none = num_equal = num_disjoint = num_one = num_partial = 0
    if not na and not nb:
        num_none = 1
    elif na == nb:
        num_equal = 1
    elif not na or not nb:
        num_one = 1
    elif na.isdisjoint(nb):
        num_disjoint = 1
    else:
        num_partial = 1
    # tokens by kind
    ta, tb = a.tokens, b.tokens
    common = ta & tb
    only_a, only_b = ta - common, tb - common
    pairs: Sequence[tuple[str, str]]
    rest_a: Set[str]
    rest_b: Set[str]
    rest_sims: Sequence[float]
    if only_a and only_b:
        pairs, rest_a, rest_b, rest_sims = align_tokens(only_a, only_b, a.kinds, b.kinds)
    else:  # align_tokens' answer without the call: nothing to pair, every unique word scores 0
        pairs, rest_a, rest_b = (), only_a, only_b
        rest_sims = _ZERO_SIM if only_a or only_b else ()
    typo = abbrev = typo_short = typo_first = 0
    for x, y in pairs:
        if x.startswith(y) or y.startswith(x):
            abbrev += 1
        else:
            typo += 1
            typo_short += min(len(x), len(y)) < 6  # one letter in a short word is often another word
            typo_first += x[0] != y[0]  # typos rarely hit the first letter (Westfield / Eastfield)
    ga, pa, oa = _kind_counts(rest_a, a.kinds) if rest_a else (0, 0, 0)
    gb, pb, ob = _kind_counts(rest_b, b.kinds) if rest_b else (0, 0, 0)
    common_other = 0
    if common:
        kinds_a = a.kinds
        for t in common:
            if kinds_a[t] == OTHER:
                common_other += 1
    # how close each unexplained word is to its nearest word on the other side (1 = nothing unexplained)
    if rest_sims:
        res_mean, res_min = sum(rest_sims) / len(rest_sims), min(rest_sims)
    else:
        res_mean = res_min = 1.0
    ca, cb = a.core_nospace, b.core_nospace
    prefix = ca != cb and len(ca) >= 4 and len(cb) >= 4 and (ca.startswith(cb) or cb.startswith(ca))
    n_common, n_ta, n_tb = len(common), len(ta), len(tb)
    union = n_ta + n_tb - n_common
    smaller = n_ta if n_ta <= n_tb else n_tb
    acronym = (len(a.core_nospace) >= 2 and a.core_nospace == b.initials and b.n_tokens > 1) or (
        len(b.core_nospace) >= 2 and b.core_nospace == a.initials and a.n_tokens > 1
    )
    acronym_loose = 0.0
    if not acronym:
        short, long_ = (a, b) if a.n_tokens < b.n_tokens else (b, a)
        if short.n_tokens == 1 and long_.n_tokens > 1 and 2 <= len(short.core_nospace) <= 6:
            acronym_loose = _acronym_loose(short.core_nospace, long_)
    # min() / max() spelled out: this runs once per pair
    la, lb = len(a.core), len(b.core)
    len_min, len_max = (la, lb) if la <= lb else (lb, la)
    nta, ntb = a.n_tokens, b.n_tokens
    ntok_min, ntok_max = (nta, ntb) if nta <= ntb else (ntb, nta)
    return (
        eq_case,
        eq_case or a.punct == b.punct,
        a.ascii == b.ascii,
        a.abbrev == b.abbrev,
        a.forms_text == b.forms_text,
        eq_core,
        eq_core or a.core_sorted == b.core_sorted,
        eq_core or a.core_nospace == b.core_nospace,
        lf_none,
        lf_same,
        lf_same_class,
        lf_one,
        lf_diff_class,
        weak_only,
        num_none,
        num_equal,
        num_disjoint,
        num_one,
        num_partial,
        ga if ga >= gb else gb,
        ga if ga <= gb else gb,
        pa if pa >= pb else pb,
        pa if pa <= pb else pb,
        oa if oa >= ob else ob,
        oa if oa <= ob else ob,
        typo,
        typo_short,
        typo_first,
        abbrev,
        res_mean,
        res_min,
        prefix,
        len(a.stop ^ b.stop) if a.stop or b.stop else 0,
        common_other,
        n_common,
        n_common / union if union else 1.0,
        n_common / smaller if smaller else 0.0,
        a.first == b.first,
        acronym,
        acronym_loose,
        a.initials == b.initials,
        a.scripts != b.scripts,
        len_min / (len_max if len_max > 1 else 1),
        ntok_min / (ntok_max if ntok_max > 1 else 1),
        ntok_min,
        ntok_max,
        len_min,
    )


def _is_subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


def _acronym_loose(short: str, long_: NameInfo) -> float:
    """1 if ``short`` is built from the initials of ``long_`` with some words skipped (``IHI`` for
    Ishikawajima-Harima Heavy Industries), 0.5 if from its letters starting at its first letter
    (``KBC`` for Kredietbank ABB Insurance CERA), else 0."""
    if not long_.initials or short[0] != long_.initials[0]:
        return 0.0
    if _is_subsequence(short, long_.initials):
        return 1.0
    return 0.5 if _is_subsequence(short, long_.core_nospace) else 0.0


def feature_matrix(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The feature matrix (n_pairs x len(FEATURE_NAMES), float32) of a batch of pairs."""
    n = len(pairs)
    out = np.empty((n, len(FEATURE_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    # A batch allocates many small objects: the name analyses it caches, a tuple per row, lists of strings.
    # Left on, the cyclic garbage collector would scan them again and again while the batch runs; nothing
    # here creates reference cycles, so collection is paused until the batch's temporaries are gone (they
    # die when _fill returns), and the one collection that follows sees only the cached analyses.
    gc_was_enabled = gc.isenabled()
    if n > 1000:
        gc.disable()
    try:
        _fill(out, pairs)
    finally:
        if gc_was_enabled:
            gc.enable()
    return out


def _fill(out: np.ndarray, pairs: Sequence[tuple[str, str]]) -> None:
    infos_a = [analyze_name(p[0]) for p in pairs]
    infos_b = [analyze_name(p[1]) for p in pairs]
    n_set = len(_SET_FEATURES)
    rows = [_set_features(a, b) for a, b in zip(infos_a, infos_b, strict=True)]
    # fromiter over the flattened rows: no per-element type discovery (np.array on tuples of mixed types)
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.float32, count=len(rows) * n_set)
    out[:, :n_set] = flat.reshape(len(rows), n_set)
    del rows
    core_a = [a.core for a in infos_a]
    core_b = [b.core for b in infos_b]
    col = n_set
    out[:, col] = cpdist(core_a, core_b, scorer=fuzz.ratio, workers=1, dtype=np.float32) / 100.0
    # token_sort_ratio is ratio() of the sorted words re-joined: ``core_sorted``, computed once per name
    sorted_a = [a.core_sorted for a in infos_a]
    sorted_b = [b.core_sorted for b in infos_b]
    out[:, col + 1] = cpdist(sorted_a, sorted_b, scorer=fuzz.ratio, workers=1, dtype=np.float32) / 100.0
    col += 2
    for scorer in (fuzz.token_set_ratio, fuzz.partial_ratio):
        out[:, col] = cpdist(core_a, core_b, scorer=scorer, workers=1, dtype=np.float32) / 100.0
        col += 1
    out[:, col] = cpdist(core_a, core_b, scorer=JaroWinkler.normalized_similarity, workers=1, dtype=np.float32)
    col += 1
    # plain attribute reads (not getattr): compiled, they are direct field loads
    for xs, ys in (
        ([a.core_nospace for a in infos_a], [b.core_nospace for b in infos_b]),
        ([a.forms_text for a in infos_a], [b.forms_text for b in infos_b]),
        ([a.case for a in infos_a], [b.case for b in infos_b]),
    ):
        out[:, col] = cpdist(xs, ys, scorer=fuzz.ratio, workers=1, dtype=np.float32) / 100.0
        col += 1


def features_for(name1: str, name2: str) -> dict[str, float]:
    """The features of one pair by name (for tests and explanations)."""
    row = feature_matrix([(name1, name2)])[0]
    return {name: float(value) for name, value in zip(FEATURE_NAMES, row, strict=True)}
