"""Legal forms: where they are in a name, their comparison form and their generic class.

The source is rigour's organisation-type database (ISO 20275 / GLEIF, OCCRP and Wikipedia;
pinned in requirements.txt because its data changes between releases). rigour's tagger is an
Aho-Corasick automaton in Rust; we run it on our own ASCII-folded, punctuation-free tokens
(before abbreviations are expanded) and correct its known quirks here, each with a test in
``tests/comparisons/engine/test_legal_forms.py``:

- a bare Roman numeral (``Fund II``) is not a legal form, even though rigour tags ``II``;
- ``AT`` (Ukrainian joint-stock company) only counts as the last word, so ``AT & T`` keeps it;
- ``Pty. Limited`` / ``Pty Ltd`` are one form, and not the same as plain ``Ltd`` (rigour maps
  both to ``Ltd``); ``Co. Ltd.`` / ``Company Limited`` are one form (rigour gives two);
- tagging is accent-insensitive (``société`` and ``SOCIETE``): names are folded to ASCII
  first and the alias table is built with NFKD + mark removal;
- ``PRIORITY_FORMS`` (tried before rigour) adds forms rigour lacks (``Corp``, ``KK``...) and
  fixes multi-word spellings; ``SAME_FORM`` merges spellings of one form that rigour keeps apart
  (Russian ``OOO`` = ``LLC``, ``PAO`` = ``PJSC``);
- a trailing ``Co`` / ``Company`` is a weak form: it only counts when there is no other form.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from rigour._core import extract_org_types as _extract_org_types
from rigour.text.normalize import Cleanup, Normalize

# The alias table is built with NFKD + case folding + mark removal (Cleanup.Strong), so it
# matches our ASCII-folded input: "societe anonyme" finds "société anonyme".
_FLAGS: Final = int(Normalize.NFKD | Normalize.CASEFOLD | Normalize.SQUASH_SPACES)
_CLEANUP: Final = int(Cleanup.Strong)


def extract_org_types(text: str, generic: bool = False) -> list[tuple[str, str]]:
    """rigour's tagger with our flags (calling the Rust core directly saves the IntFlag overhead)."""
    return _extract_org_types(text, _FLAGS, _CLEANUP, generic)


def _spellings(words: str, form: tuple[str, str]) -> dict[tuple[str, ...], tuple[str, str]]:
    return {tuple(w.split()): form for w in words.split("|")}


# token sequence -> (comparison form, generic class); tried before rigour, longest first
PRIORITY_FORMS: Final[dict[tuple[str, ...], tuple[str, str]]] = {
    **_spellings("corp|corporation|corpn|corporate", ("corp", "jsc")),
    **_spellings("inc|incorporated|incorporation|incorporee", ("inc", "jsc")),
    **_spellings("kk|kabushiki kaisha|kabushikikaisha|kabushiki gaisha", ("kk", "jsc")),
    **_spellings("yk|yugen kaisha", ("yk", "llc")),
    **_spellings("gk|godo kaisha", ("gk", "llc")),
    **_spellings("co ltd|co limited|company limited|company ltd|coltd|cia ltda", ("coltd", "llc")),
    **_spellings("pty ltd|pty limited|proprietary limited|proprietary ltd|pty", ("ptyltd", "llc")),
    **_spellings(
        "pte ltd|pte limited|pvt ltd|pvt limited|private limited|private ltd|p ltd|pte|pvt ltd co",
        ("pteltd", "llc"),
    ),
    **_spellings("ltd partnership|limited partnership|lp|l p", ("lp", "lp")),
    **_spellings("llc|limited liability company|limited liability co|ltd liability co", ("llc", "llc")),
    **_spellings("sl|sociedad limitada|sociedad de responsabilidad limitada", ("sl", "llc")),
    **_spellings("slu|sociedad limitada unipersonal", ("slu", "llc")),
    **_spellings("asa|allmennaksjeselskap", ("asa", "jsc")),
    **_spellings("as|a s|aksjeselskap|aktieselskab", ("as", "jsc")),
    **_spellings("ab|aktiebolag|aktiebolaget|publ ab|ab publ", ("ab", "jsc")),
    **_spellings("tbk", ("tbk", "jsc")),
    **_spellings("sro|spol s ro|spol sro", ("sro", "llc")),
    **_spellings("sdn bhd|sdn", ("sdnbhd", "llc")),
    **_spellings("ltd sti|limited sirketi", ("ltdsti", "llc")),
    **_spellings("pc|professional corporation", ("pc", "pc")),
    **_spellings("na|national association|natl assn|natl association|national assn", ("na", "fin")),
    **_spellings("nv sa|sa nv", ("nv", "jsc")),
    **_spellings("bv srl|srl bv", ("bv", "llc")),
    **_spellings("ag sa|sa ag", ("ag", "jsc")),
    **_spellings("closed joint stock company|closed joint stock co|cjsc|zao", ("cjsc", "jsc")),
    **_spellings("open joint stock company|open joint stock co|ojsc|oao", ("ojsc", "jsc")),
    **_spellings(
        "joint stock co ltd|joint stock company limited|joint stock co limited|co ltd joint stock", ("jscltd", "jsc")
    ),
    **_spellings("hb|handelsbolag", ("hb", "gp")),
    **_spellings("kb|kommanditbolag", ("kb", "lp")),
    **_spellings("epe|etaireia periorismenis efthynis", ("epe", "llc")),
    **_spellings("ike", ("ike", "llc")),
    **_spellings("s coop|scoop|sociedad cooperativa", ("scoop", "coop")),
    **_spellings("stichting", ("stichting", "ngo")),
    **_spellings("ltd co|teoranta|teo|ltee|limitee", ("ltd", "llc")),
    **_spellings("ltda|lda|limitada", ("ltda", "llc")),
    **_spellings("cpt|public limited co|public ltd co", ("plc", "jsc")),
    **_spellings("dac|designated activity company|designated activity co", ("dac", "llc")),
    **_spellings("ulc|unlimited liability company|unlimited liability co", ("ulc", "ulc")),
    **_spellings("kg aa|kgaa|kommanditgesellschaft auf aktien", ("kgaa", "lp")),
    **_spellings("ug haftungsbeschrankt|ug haftungsbeschraenkt|ug haftungsbeschr|ug hb", ("ug", "llc")),
    **_spellings("sasu|societe par actions simplifiee unipersonnelle", ("sasu", "llc")),
    **_spellings("sas|societe par actions simplifiee", ("sas", "llc")),
    **_spellings("sa rl|s a r l|sarl|s ar l|societe a responsabilite limitee", ("sarl", "llc")),
    **_spellings("sca|societe en commandite par actions", ("sca", "lp")),
    **_spellings("sci|societe civile immobiliere", ("sci", "gp")),
    **_spellings("snc|societe en nom collectif|societa in nome collettivo", ("snc", "gp")),
    **_spellings("societa in accomandita semplice", ("sas", "lp")),
    **_spellings("i s|interessentskab", ("is", "gp")),
    **_spellings("anonymi etaireia|anonymi etairia|ae", ("ae", "jsc")),
    **_spellings("spolka akcyjna", ("sa", "jsc")),
    **_spellings("chusik hoesa|chusik hoesa", ("coltd", "llc")),
    **_spellings(
        "aktsionernoye obshchestvo|aktsionernoe obshchestvo|aktsionernoe obshestvo|joint stock company|jsc|ao",
        ("jsc", "jsc"),
    ),
    **_spellings(
        "publichnoe aktsionernoe obshchestvo|publichnoye aktsionernoye obshchestvo|public joint stock company|pjsc",
        ("pjsc", "jsc"),
    ),
}
_PRIORITY_MAX: Final = max(len(k) for k in PRIORITY_FORMS)
_PRIORITY_FIRST: Final = frozenset(k[0] for k in PRIORITY_FORMS)
# first token -> the lengths of the spellings that start with it, longest first
_PRIORITY_SIZES: Final[dict[str, tuple[int, ...]]] = {
    first: tuple(sorted({len(k) for k in PRIORITY_FORMS if k[0] == first}, reverse=True)) for first in _PRIORITY_FIRST
}

# rigour comparison form -> ours, where rigour keeps apart spellings of one form
SAME_FORM: Final[dict[str, str]] = {
    "ooo": "llc",
    "pao": "pjsc",
    "oao": "ojsc",
    "zao": "cjsc",
    "ao": "jsc",
    "aktiebolag": "ab",
    "ltda": "ltda",
    "cpa": "cpa",
}
# rigour alias -> our comparison form, where rigour's comparison form merges different forms
_ALIAS_FORM: Final[dict[str, str]] = {"oao": "ojsc", "ojsc": "ojsc", "zao": "cjsc", "cjsc": "cjsc", "pjsc": "pjsc"}

# comparison form -> generic class, where rigour has none or one we read differently
CLASS_OVERRIDES: Final[dict[str, str]] = {"inc": "jsc", "ab": "jsc", "pt": "llc", "nl": "nl"}

# aliases rigour tags that are not legal forms in the names we see
_NOT_FORMS: Final = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "nl", "en", "mit", "sp"})
# aliases that are ordinary words or letters elsewhere in a name: a form only as the last word
_LAST_WORD_ONLY: Final = frozenset(
    {"at", "as", "ab", "na", "se", "ev", "ug", "cv", "pt", "pc", "lp", "sl", "pty", "pte", "hb", "kb", "ike", "ao"}
)
_LEADING_OK: Final = frozenset(
    {"pt", "ooo", "oao", "zao", "pao", "ao", "jsc", "pjsc", "ojsc", "cjsc", "tov", "sa", "cv", "ab", "stichting"}
)

# priority spelling -> (its text, comparison form, generic class, whether it only counts as the last word)
_PRIORITY_SPELLINGS: Final[dict[tuple[str, ...], tuple[str, str, str, bool]]] = {
    key: (" ".join(key), form[0], form[1], " ".join(key) in _LAST_WORD_ONLY) for key, form in PRIORITY_FORMS.items()
}

WEAK_FORM: Final = ("co", "co")
_WEAK_SPELLINGS: Final = frozenset({"co", "company", "cie", "cia"})


class FormSpan(NamedTuple):
    start: int  # first token index (inclusive)
    end: int  # last token index (exclusive)
    text: str  # the tagged tokens as written (normalised)
    compare: str  # comparison form, e.g. "gmbh", "ltd", "llc"
    generic: str  # generic class, e.g. "llc", "jsc", "lp"


_tuple_new: Final = tuple.__new__


def _span(start: int, end: int, text: str, compare: str, generic: str) -> FormSpan:
    """``FormSpan(...)`` without the namedtuple's ``__new__``, which is interpreted Python even when
    this module is compiled (same object)."""
    return _tuple_new(FormSpan, (start, end, text, compare, generic))


_generic_cache: Final[dict[str, str]] = {}


def _generic_for(alias: str, compare: str) -> str:
    if compare in CLASS_OVERRIDES:
        return CLASS_OVERRIDES[compare]
    generic = _generic_cache.get(alias)
    if generic is None:
        found = extract_org_types(alias, generic=True)
        generic = found[0][1].lower() if found and found[0][1] else ""
        _generic_cache[alias] = generic
    return generic or compare


# (rigour alias, rigour comparison form) -> (our comparison form, generic class); bounded by rigour's table
_cache_rigour_forms: Final[dict[tuple[str, str], tuple[str, str]]] = {}


def _allowed(alias: str, start: int, end: int, n: int, tokens: list[str], taken: list[bool]) -> bool:
    if start == 0 and end == n:
        return False  # the whole name is a legal form: keep it as the name
    if alias in _LAST_WORD_ONLY:
        at_end = all(taken[end:]) or all(t in _WEAK_SPELLINGS or t == "publ" for t in tokens[end:])
        return at_end or (start == 0 and alias in _LEADING_OK)
    return True


def _tag_priority(tokens: list[str], taken: list[bool], spans: list[FormSpan]) -> None:
    n = len(tokens)
    i = 0
    while i < n:
        sizes = _PRIORITY_SIZES.get(tokens[i])
        if sizes is not None:
            for size in sizes:  # longest spelling first
                end = i + size
                if end > n:
                    continue
                found = _PRIORITY_SPELLINGS.get(tuple(tokens[i:end]) if size > 1 else (tokens[i],))
                if found is None:
                    continue
                alias, compare, generic, last_only = found
                # _allowed(), inlined
                if i == 0 and end == n:
                    continue
                if last_only and not _allowed(alias, i, end, n, tokens, taken):
                    continue
                spans.append(_span(i, end, alias, compare, generic))
                for j in range(i, end):
                    taken[j] = True
                i = end - 1
                break
        i += 1


# token -> bits: it starts a PRIORITY_FORMS spelling, it is a weak "Co" spelling, it is "and" / "und"
_PRIORITY: Final = 1
_WEAK: Final = 2
_AND: Final = 4
_TOKEN_FLAGS: Final[dict[str, int]] = {}
for _t in _PRIORITY_FIRST:
    _TOKEN_FLAGS[_t] = _TOKEN_FLAGS.get(_t, 0) | _PRIORITY
for _t in _WEAK_SPELLINGS:
    _TOKEN_FLAGS[_t] = _TOKEN_FLAGS.get(_t, 0) | _WEAK
for _t in ("and", "und"):
    _TOKEN_FLAGS[_t] = _TOKEN_FLAGS.get(_t, 0) | _AND


def tag_forms(tokens: list[str]) -> list[FormSpan]:
    """Legal forms in a list of ASCII-folded, punctuation-free tokens (``normalize`` step ``ascii``)."""
    n = len(tokens)
    if n == 0:
        return []
    spans: list[FormSpan] = []
    taken = [False] * n
    flags = 0  # one look-up per token says what the passes below need (see _TOKEN_FLAGS)
    for t in tokens:
        found = _TOKEN_FLAGS.get(t)
        if found is not None:
            flags |= found
    weak = (flags & _WEAK) != 0
    has_and = (flags & _AND) != 0
    if flags & _PRIORITY:
        _tag_priority(tokens, taken, spans)
    # rigour on the rest. "and" is left out of the tagged text: rigour writes "GmbH & Co. KG" as "gmbh co kg".
    if spans or has_and:
        kept = [i for i, t in enumerate(tokens) if t != "and" and t != "und" and not taken[i]]
        keep: list[int] | None = kept
        text = " ".join([tokens[i] for i in kept])
    else:
        keep = None  # every token: text position k is token k
        text = " ".join(tokens)
    if text:
        cursor = 0
        for alias, compare in _extract_org_types(text, _FLAGS, _CLEANUP, False):
            pos = text.find(alias, cursor)
            if pos < 0:
                continue
            cursor = pos + len(alias)
            if alias in _NOT_FORMS:
                continue
            first = text.count(" ", 0, pos)
            last = first + alias.count(" ")
            if keep is None:
                start, end = first, last + 1
            else:
                start, end = keep[first], keep[last] + 1
            if any(taken[start:end]) or not _allowed(alias, start, end, n, tokens, taken):
                continue
            form = _cache_rigour_forms.get((alias, compare))
            if form is None:
                ours = _ALIAS_FORM.get(alias) or SAME_FORM.get(compare.lower(), compare.lower())
                form = _cache_rigour_forms[(alias, compare)] = (ours, _generic_for(alias, ours))
            spans.append(_span(start, end, " ".join(tokens[start:end]), form[0], form[1]))
            for i in range(start, end):
                taken[i] = True
    # weak "Co": the last untagged word
    if weak:
        last_free = n - 1
        while last_free >= 0 and taken[last_free]:
            last_free -= 1
        if last_free > 0 and tokens[last_free] in _WEAK_SPELLINGS:
            spans.append(_span(last_free, last_free + 1, tokens[last_free], WEAK_FORM[0], WEAK_FORM[1]))
    if len(spans) > 1:
        spans.sort()
    return spans


def strong_forms(spans: list[FormSpan]) -> list[FormSpan]:
    """The forms that decide: the weak ``Co`` only counts when there is no other form."""
    strong = [s for s in spans if s.compare != WEAK_FORM[0]]
    return strong or spans
