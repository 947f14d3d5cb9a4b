"""Legal forms: where they are in a name, their comparison form and their generic class.

The source is rigour's organisation-type database (ISO 20275 / GLEIF, OCCRP and Wikipedia;
pinned in requirements.txt because its data changes between releases). rigour's tagger is an
Aho-Corasick automaton in Rust; we run it on our own folded, punctuation-free tokens and
correct its known quirks here, each with a test in ``tests/comparisons/engine/test_legal_forms.py``:

- a bare Roman numeral (``Fund II``) is not a legal form, even though rigour tags ``II``;
- ``AT`` (Ukrainian joint-stock company) only counts as the last word, so ``AT & T`` keeps it;
- ``Pty. Limited`` / ``Pty Ltd`` and ``Co. Ltd.`` / ``Company Limited`` reach the same form
  because abbreviations are canonicalised before tagging (``normalize.canonical_tokens``);
- tagging is accent-insensitive (``société`` and ``SOCIETE``): names are folded to ASCII
  first and the alias table is built with NFKD + mark removal;
- forms missing from rigour (``Corp``, ``KK``, ``Tbk``...) and classes we read differently
  (a US ``Inc`` is a corporation, not an LLC) come from ``EXTRA_FORMS`` / ``CLASS_OVERRIDES``;
- a trailing ``Co`` is a weak form: it only counts when the name has no other form.
"""

from __future__ import annotations

from typing import NamedTuple

from rigour._core import extract_org_types as _extract_org_types
from rigour.text.normalize import Cleanup, Normalize

# The alias table is built with NFKD + case folding + mark removal (Cleanup.Strong), so it
# matches our ASCII-folded input: "societe anonyme" finds "société anonyme".
_FLAGS = int(Normalize.NFKD | Normalize.CASEFOLD | Normalize.SQUASH_SPACES)
_CLEANUP = int(Cleanup.Strong)


def extract_org_types(text: str, generic: bool = False) -> list[tuple[str, str]]:
    """rigour's tagger with our flags (calling the Rust core directly saves the IntFlag overhead)."""
    return _extract_org_types(text, _FLAGS, _CLEANUP, generic)


# token (or token pair) -> (comparison form, generic class)
EXTRA_FORMS: dict[tuple[str, ...], tuple[str, str]] = {
    ("corp",): ("corp", "jsc"),
    ("kk",): ("kk", "jsc"),
    ("kabushiki", "kaisha"): ("kk", "jsc"),
    ("kabushikikaisha",): ("kk", "jsc"),
    ("yk",): ("yk", "llc"),
    ("gk",): ("gk", "llc"),
    ("tbk",): ("tbk", "jsc"),
    ("asa",): ("asa", "jsc"),
    ("sl",): ("sl", "llc"),
    ("slu",): ("sl", "llc"),
    ("sro",): ("sro", "llc"),
    ("as",): ("as", "jsc"),
    ("ab",): ("ab", "jsc"),
    ("publ",): ("ab", "jsc"),
    ("pte",): ("pte ltd", "llc"),
    ("sdn",): ("sdn bhd", "llc"),
    ("ltd", "co"): ("ltd", "llc"),
    ("nv", "sa"): ("nv", "jsc"),
    ("sa", "nv"): ("nv", "jsc"),
}
_EXTRA_MAX = max(len(k) for k in EXTRA_FORMS)
_EXTRA_FIRST = frozenset(k[0] for k in EXTRA_FORMS)

# comparison form -> generic class, where rigour has none or one we read differently
CLASS_OVERRIDES: dict[str, str] = {
    "inc": "jsc",
    "ab": "jsc",
    "pt": "llc",
    "nl": "nl",
}

# aliases rigour tags that are not legal forms in the names we see
_NOT_FORMS = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "nl"})
# aliases that are ordinary words or letters elsewhere in a name: a form only as the last word
_LAST_WORD_ONLY = frozenset({"at", "as", "ab", "na", "se", "ev", "ug", "cv", "pt"})
_LEADING_OK = frozenset({"pt", "ooo", "oao", "zao", "pao", "ao", "jsc", "pjsc", "ojsc", "cjsc", "tov", "sa", "cv"})

WEAK_FORM = ("co", "co")


class FormSpan(NamedTuple):
    start: int  # first token index (inclusive)
    end: int  # last token index (exclusive)
    text: str  # the tagged tokens as written (normalised)
    compare: str  # comparison form, e.g. "gmbh", "ltd", "ooo"
    generic: str  # generic class, e.g. "llc", "jsc", "lp"


_generic_cache: dict[str, str] = {}


def _generic_for(alias: str, compare: str) -> str:
    if compare in CLASS_OVERRIDES:
        return CLASS_OVERRIDES[compare]
    generic = _generic_cache.get(alias)
    if generic is None:
        found = extract_org_types(alias, generic=True)
        generic = found[0][1].lower() if found and found[0][1] else ""
        _generic_cache[alias] = generic
    return generic or compare


def tag_forms(tokens: list[str]) -> list[FormSpan]:
    """Legal forms in a list of normalised tokens (output of ``normalize.canonical_tokens``)."""
    n = len(tokens)
    if n == 0:
        return []
    # "and" is left out of the tagged text: rigour's aliases write "GmbH & Co. KG" as "gmbh co kg".
    if "and" in tokens:
        keep = [i for i, t in enumerate(tokens) if t != "and"]
        text = " ".join([tokens[i] for i in keep])
    else:
        keep = None
        text = " ".join(tokens)
    spans: list[FormSpan] = []
    taken = [False] * n
    found = _extract_org_types(text, _FLAGS, _CLEANUP, False) if text else ()
    cursor = 0
    for alias, compare in found:
        pos = text.find(alias, cursor)
        if pos < 0 or alias in _NOT_FORMS:
            continue
        cursor = pos + len(alias)
        first = text.count(" ", 0, pos)
        last = first + alias.count(" ")
        if keep is None:
            start, end = first, last + 1
        else:
            start, end = keep[first], keep[last] + 1
        if alias in _LAST_WORD_ONLY and end != n and not (start == 0 and alias in _LEADING_OK):
            continue
        if start == 0 and end == n:
            continue  # the whole name is a legal form: keep it as the name
        compare = compare.lower()
        spans.append(FormSpan(start, end, " ".join(tokens[start:end]), compare, _generic_for(alias, compare)))
        for i in range(start, end):
            taken[i] = True
    # our own additions, on tokens rigour left untagged
    if not _EXTRA_FIRST.isdisjoint(tokens):
        _tag_extra(tokens, taken, spans)
    # weak "Co": the last untagged word, or the word just before the forms
    if "co" in tokens:
        last_free = max((j for j in range(n) if not taken[j]), default=-1)
        if last_free > 0 and tokens[last_free] == "co":
            spans.append(FormSpan(last_free, last_free + 1, "co", *WEAK_FORM))
    if len(spans) > 1:
        spans.sort()
    return spans


def _tag_extra(tokens: list[str], taken: list[bool], spans: list[FormSpan]) -> None:
    n = len(tokens)
    i = 0
    while i < n:
        if taken[i] or tokens[i] not in _EXTRA_FIRST:
            i += 1
            continue
        for size in range(min(_EXTRA_MAX, n - i), 0, -1):
            key = tuple(tokens[i : i + size])
            form = EXTRA_FORMS.get(key)
            if form is None or any(taken[i : i + size]) or (i == 0 and size == n):
                continue
            if size == 1 and key[0] in _LAST_WORD_ONLY and i + 1 != n and not (i == 0 and key[0] in _LEADING_OK):
                continue
            spans.append(FormSpan(i, i + size, " ".join(key), form[0], form[1]))
            for j in range(i, i + size):
                taken[j] = True
            i += size - 1
            break
        i += 1


def strong_forms(spans: list[FormSpan]) -> list[FormSpan]:
    """The forms that decide: the weak ``Co`` only counts when there is no other form."""
    strong = [s for s in spans if s.compare != WEAK_FORM[0]]
    return strong or spans
