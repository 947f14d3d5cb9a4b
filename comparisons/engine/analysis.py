"""Per-name analysis: everything pair features need about one name, computed once per name and cached.

``analyze_name`` runs the steps of ``normalize`` (case, punctuation, ASCII, abbreviations) and ``legal_forms``
(tagging), then sorts the tokens by kind (``tokens``) into a ``NameInfo``. A bounded cache keeps the analyses
(``clear_name_cache`` empties it). ``normalize_name``, the fully normalised name, is one of its fields.

Split out of ``features.py`` (pair features) so that the dependency runs one way: ``normalize`` ->
``analysis`` -> ``features``; ``normalize`` used to import ``features`` back for ``normalize_name``. The output of
this module is part of the features: a change to it is a ``FEATURE_VERSION`` bump in ``features.py``.
"""

from __future__ import annotations

from itertools import islice
from typing import Final

from mypy_extensions import mypyc_attr
from rigour._core import text_scripts

from comparisons.engine.legal_forms import FormSpan, strong_forms, tag_forms
from comparisons.engine.normalize import (
    _LEADING_THE,
    fold_ascii,
    fold_case,
    fold_case_ascii,
    strip_article,
    strip_punctuation,
    strip_punctuation_ascii,
)
from comparisons.engine.tables import ABBREVIATIONS
from comparisons.engine.tokens import (
    NUMBER,
    PLACE,
    PLACE_BIGRAMS,
    PLACE_FIRST,
    STOP,
    classify_token,
)

_LATIN: Final = frozenset({"Latin"})


NAME_INFO_FIELDS: Final[tuple[str, ...]] = (
    "raw",
    "case",
    "punct",
    "ascii",
    "abbrev",
    "forms_text",
    "core",
    "core_sorted",
    "core_nospace",
    "forms",
    "form_classes",
    "form_written",
    "numbers",
    "number_tokens",
    "tokens",
    "kinds",
    "written",
    "stop",
    "initials",
    "scripts",
    "n_tokens",
    "first",
)


@mypyc_attr(acyclic=True)
class NameInfo:
    """Everything about one name that pair features need, computed once per name.

    A plain class with a written-out ``__init__`` rather than a dataclass: compiled with mypyc it is
    a native class whose constructor runs as C (a dataclass's generated ``__init__`` stays
    interpreted Python, a measurable part of analysing a name). ``acyclic``: it only refers to strings,
    numbers and containers of them, never back to itself, so compiled it is not tracked by the cyclic
    garbage collector, which would otherwise walk every cached analysis after each batch (its ``tokens``
    frozenset still is). Cached and shared between threads: treat it as read-only, and never put a
    ``NameInfo`` into its own dicts (an untracked cycle would never be freed).
    """

    __slots__ = NAME_INFO_FIELDS

    raw: str
    case: str
    punct: str
    ascii: str
    abbrev: str
    forms_text: str  # abbrev with legal forms in their comparison form: the normalised name
    core: str  # abbrev with legal forms removed
    core_sorted: str
    core_nospace: str
    forms: frozenset  # comparison forms that decide ("ltd", "gmbh")
    form_classes: frozenset  # their generic classes ("llc", "jsc")
    form_written: str  # the legal forms as written (normalised), "|"-joined and sorted: for explanations
    numbers: frozenset  # number values (digits, ordinals, Roman numerals)
    number_tokens: dict  # value -> token as written after normalisation
    tokens: frozenset  # core tokens that are not numbers or stop words
    kinds: dict  # token -> kind for the tokens above
    written: dict  # token key -> the word as it appears in the normalised name, where they differ
    stop: frozenset
    initials: str  # first letters of the core words (stop words left out)
    scripts: frozenset
    n_tokens: int
    first: str  # first core word

    def __init__(
        self,
        raw: str,
        case: str,
        punct: str,
        ascii: str,
        abbrev: str,
        forms_text: str,
        core: str,
        core_sorted: str,
        core_nospace: str,
        forms: frozenset,
        form_classes: frozenset,
        form_written: str,
        numbers: frozenset,
        number_tokens: dict,
        tokens: frozenset,
        kinds: dict,
        written: dict,
        stop: frozenset,
        initials: str,
        scripts: frozenset,
        n_tokens: int,
        first: str,
    ) -> None:
        self.raw = raw
        self.case = case
        self.punct = punct
        self.ascii = ascii
        self.abbrev = abbrev
        self.forms_text = forms_text
        self.core = core
        self.core_sorted = core_sorted
        self.core_nospace = core_nospace
        self.forms = forms
        self.form_classes = form_classes
        self.form_written = form_written
        self.numbers = numbers
        self.number_tokens = number_tokens
        self.tokens = tokens
        self.kinds = kinds
        self.written = written
        self.stop = stop
        self.initials = initials
        self.scripts = scripts
        self.n_tokens = n_tokens
        self.first = first

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NameInfo):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in NAME_INFO_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable value object, as the dataclass was

    def __repr__(self) -> str:
        return "NameInfo(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in NAME_INFO_FIELDS) + ")"


_EDGE_WORDS: Final = frozenset({"and", "the", "het"})


def _core_tokens(tokens: list[str], spans: list[FormSpan]) -> list[str]:
    if spans:
        inside: set[int] = set()
        for span in spans:
            inside.update(range(span.start, span.end))
        core = [t for i, t in enumerate(tokens) if i not in inside]
    else:
        core = list(tokens)
    while len(core) > 1 and core[-1] in _EDGE_WORDS:
        core.pop()
    while len(core) > 1 and core[0] in _EDGE_WORDS:
        core.pop(0)
    return core or tokens


def _forms_text(tokens: list[str], spans: list[FormSpan]) -> str:
    if not spans:
        return " ".join(strip_article(tokens))
    out: list[str] = []
    i = 0
    for span in spans:
        out.extend(tokens[i : span.start])
        out.append(span.compare)
        i = span.end
    out.extend(tokens[i:])
    return " ".join(strip_article(out))


def _seat_start(case: str, spans: list[FormSpan], n_tokens: int) -> int:
    """Index of the first token of a seat or address written after the legal form and a comma.

    ``Van Dijk Transport B.V., Zwolle`` / ``KESSLER GMBH, AUGSBURG, DE``: what follows the comma
    after the legal form is where the company sits, not its name. Returns ``n_tokens`` if none.
    """
    ends = [s.end for s in spans if s.compare != "co"]
    if not ends:
        return n_tokens
    last = min(max(ends), n_tokens - 1)  # boundaries only grow: none past this one can count
    boundary = 0
    for segment in case.split(",")[:-1]:
        boundary += len(strip_punctuation(fold_ascii(segment).lower()).split())
        if boundary in ends and boundary < n_tokens:
            return boundary
        if boundary >= last:
            break
    return n_tokens


def _join_places(tokens: list[str]) -> list[str]:
    """Join two-word places into one token (``hong kong`` -> ``hongkong``) so they count once."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) in PLACE_BIGRAMS:
            out.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


# About 1.5 kB per cached name for short Latin names, 2.5 kB for longer Cyrillic ones (tracemalloc):
# 50,000 names cost 75-125 MB at most.
NAME_CACHE_SIZE: Final = 50_000


_EMPTY: Final[frozenset] = frozenset()
_ABBREVIATION: Final = ABBREVIATIONS.get
# one shared one-element frozenset per legal form and per class (a few hundred): fewer allocations
_SINGLETONS: Final[dict[str, frozenset]] = {}


def _singleton(value: str) -> frozenset:
    found = _SINGLETONS.get(value)
    if found is None:
        found = _SINGLETONS[value] = frozenset((value,))
    return found


# name -> its analysis. A plain dict read and written from compiled code (an lru_cache wrapper costs a
# Python-level call and a GC-tracked list node per name); when full, the oldest quarter is dropped.
_cache_names: Final[dict[str, NameInfo]] = {}


def analyze_name(name: str) -> NameInfo:
    """Everything pair features need about one name (cached: names recur across pairs)."""
    info = _cache_names.get(name)
    if info is None:
        if len(_cache_names) >= NAME_CACHE_SIZE:
            _evict_oldest_names()
        info = _cache_names[name] = _analyze_name(name)
    return info


def clear_name_cache() -> None:
    """Forget every cached name analysis (tests and benchmarks start cold with it)."""
    _cache_names.clear()


def _evict_oldest_names() -> None:
    # Web workers run threads, and the copy of the oldest keys can be interrupted (a garbage collection it
    # triggers may run Python code, and another thread may insert meanwhile): then it is tried again, and
    # after a few tries the whole cache is dropped instead. pop(key, None) tolerates keys already gone.
    for _ in range(3):
        try:
            oldest = list(islice(_cache_names, NAME_CACHE_SIZE // 4))  # insertion order: oldest first
        except RuntimeError:  # dictionary changed size during iteration
            continue
        for key in oldest:
            _cache_names.pop(key, None)
        return
    _cache_names.clear()


def _analyze_name(name: str) -> NameInfo:
    """Everything pair features need about one name, uncached.

    The steps of ``normalize`` and ``legal_forms`` written out in one function (same results,
    checked by ``tests/comparisons/engine/test_speed_equivalence.py``): this runs once for every
    new name and is most of the cost of scoring a batch of new pairs.
    """
    is_ascii = name.isascii()
    if is_ascii:  # fold_case() and strip_punctuation() on ASCII, without re-checking it
        case = fold_case_ascii(name)
        punct = ascii_ = strip_punctuation_ascii(case)
    else:
        case = fold_case(name)
        punct = strip_punctuation(case)
        ascii_ = punct if punct.isascii() else strip_punctuation(fold_ascii(case).lower())
    ascii_tokens = ascii_.split()
    spans = tag_forms(ascii_tokens)  # legal forms are tagged on the unabbreviated words
    if spans and "," in case:
        seat = _seat_start(case, spans, len(ascii_tokens))
        if seat < len(ascii_tokens):
            ascii_tokens = ascii_tokens[:seat]
            spans = [s for s in spans if s.end <= seat]
    # abbreviate(): same positions, canonical spellings
    tokens = [_ABBREVIATION(t, t) for t in ascii_tokens]
    if "ij" in ascii_ and any("ij" in t for t in tokens):
        tokens = [t.replace("ij", "y") if "ij" in t else t for t in tokens]
    # strip_article()
    art = tokens
    if len(art) > 1 and art[0] in _LEADING_THE:
        art = art[1:]
    if len(art) > 1 and art[-1] == "the":
        art = art[:-1]
    abbrev = " ".join(art)
    if len(spans) == 1:  # the usual case, as _core_tokens / _forms_text / strong_forms do it
        span = spans[0]
        forms = _singleton(span.compare)
        form_classes = _singleton(span.generic)
        form_written = span.text
        head, tail = tokens[: span.start], tokens[span.end :]
        core_tokens = head + tail
        while len(core_tokens) > 1 and core_tokens[-1] in _EDGE_WORDS:
            core_tokens.pop()
        while len(core_tokens) > 1 and core_tokens[0] in _EDGE_WORDS:
            core_tokens.pop(0)
        if not core_tokens:
            core_tokens = tokens
        head.append(span.compare)
        head += tail
        if len(head) > 1 and head[0] in _LEADING_THE:
            head = head[1:]
        if len(head) > 1 and head[-1] == "the":
            head = head[:-1]
        forms_text = " ".join(head)
    elif spans:
        deciding = strong_forms(spans)
        forms = frozenset([s.compare for s in deciding])
        form_classes = frozenset([s.generic for s in deciding])
        core_tokens = _core_tokens(tokens, spans)
        forms_text = _forms_text(tokens, spans)
        form_written = "|".join(sorted({s.text for s in spans}))
    else:
        forms = form_classes = _EMPTY
        form_written = ""
        core_tokens = _core_tokens(tokens, spans)
        forms_text = abbrev
    if len(core_tokens) > 1:
        for token in core_tokens:
            if token in PLACE_FIRST:
                core_tokens = _join_places(core_tokens)
                break
    numbers: dict[int | None, str] = {}  # a number's value is never None (classify_token)
    kinds: dict[str, int] = {}
    stop = []
    initials = []
    written: dict[str, str] = {}
    for position, token in enumerate(core_tokens):
        kind, value, place = classify_token(token, position)
        if kind == NUMBER:
            numbers.setdefault(value, token)
        elif kind == STOP:
            stop.append(token)
            continue
        elif place is not None:  # the same country in any language is one word
            kinds[place] = PLACE
            written[place] = token
        else:
            kinds[token] = kind
        initials.append(token[0])
    if len(core_tokens) > 1:
        core = " ".join(core_tokens)
        core_sorted = " ".join(sorted(core_tokens))
        core_nospace = "".join(core_tokens)
    else:
        core = core_sorted = core_nospace = core_tokens[0] if core_tokens else ""
    return NameInfo(
        name,
        case,
        punct,
        ascii_,
        abbrev,
        forms_text,
        core,
        core_sorted,
        core_nospace,
        forms,
        form_classes,
        form_written,
        frozenset(numbers) if numbers else _EMPTY,
        numbers,
        frozenset(kinds),
        kinds,
        written,
        frozenset(stop) if stop else _EMPTY,
        "".join(initials),
        _LATIN if is_ascii else frozenset(text_scripts(name)),
        len(core_tokens),
        core_tokens[0] if core_tokens else "",
    )


def normalize_name(name: str) -> str:
    """The fully normalised name: all steps of ``normalize``, with legal forms in their comparison form."""
    return analyze_name(name).forms_text
