"""Normalisation of legal-entity names, one step at a time.

Each step is kept separately because equality after each step is a model feature: two names
that are equal after case folding differ less than two that are only equal once their legal
forms are removed. The steps, in order:

1. ``case``: Unicode NFKC, case folding, whitespace squashed.
2. ``punct``: punctuation removed (``N.V.`` -> ``nv``, ``AT&T`` -> ``att``, ``&`` -> ``and``).
3. ``ascii``: accents folded and non-Latin scripts transliterated (``ООО`` -> ``ooo``).
4. ``abbrev``: common abbreviations canonicalised (``Intl`` -> ``international``, ``Company``
   -> ``co``), plural generic words singularised, a leading or trailing ``The`` dropped.

Legal forms (``legal_forms.py``) are tagged on the output of the last step; the fully normalised name, with
legal forms in their comparison form, is ``analysis.normalize_name`` (this module imports no other engine module
but the word tables, so the per-name analysis builds on it and never the other way round).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Final

from comparisons.engine.tables import ABBREVIATIONS

# Latin letters that NFKD does not decompose into a base letter plus a combining mark.
_LATIN_SPECIAL: Final = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŀ": "l",
        "ŧ": "t",
        "ß": "ss",
        "ĸ": "k",
        "ŋ": "n",
    }
)

# Cyrillic and Greek, letter by letter, in the romanisation registries and companies use
# ("Общество" -> "obshchestvo", "ООО" -> "ooo"). Applied before accents are stripped, because
# NFKD would turn "й" into "и" + breve. Other scripts go through ICU's Any-Latin.
_SCRIPT_LETTERS: Final = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye", strict=True)),
        "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
        "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ј": "j", "љ": "lj",
        "њ": "nj", "ћ": "c", "ђ": "dj", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
        **dict(zip("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstyfo", strict=True)),
        "θ": "th", "χ": "ch", "ψ": "ps", "ά": "a", "έ": "e", "ή": "i", "ί": "i", "ό": "o", "ύ": "y",
        "ώ": "o", "ϊ": "i", "ϋ": "y", "ΐ": "i", "ΰ": "y",
    }
)  # fmt: skip
_icu_transliterator: Any = None  # icu.Transliterator, created on first use


class _DropMarks(dict):
    """``str.translate`` table: combining marks removed, then ``_LATIN_SPECIAL`` applied, in one pass
    (the same as filtering on ``unicodedata.combining`` and translating). Filled one code point at a
    time as they are met, so it never holds more than the characters seen."""

    def __missing__(self, code: int) -> int | None:
        value = self[code] = None if unicodedata.combining(chr(code)) else code
        return value


_DROP_MARKS: Final = _DropMarks(_LATIN_SPECIAL)


def _icu_ascii(text: str) -> str:
    global _icu_transliterator
    if _icu_transliterator is None:
        import icu

        _icu_transliterator = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
    return _icu_transliterator.transliterate(text)


# "AT&T", "P&G", "B & Q": an ampersand between short letter groups belongs to an acronym.
_AMP_TIGHT: Final = re.compile(r"(?<![\w&])(\w{1,3})&(\w{1,3})(?![\w&])")
_AMP_SPACED: Final = re.compile(r"(?<![\w&])(\w) & (\w{1,2})(?![\w&])|(?<![\w&])(\w{1,2}) & (\w)(?![\w&])")
# A full stop right after a single letter is part of an abbreviation (N.V., G.m.b.H., J.P.).
_DOT_AFTER_LETTER: Final = re.compile(r"(?<![^\W\d_])([^\W\d_])\.")
_APOSTROPHE: Final = re.compile(r"['’`´]")
# The two above in one pass (same result): a full stop after a letter that follows no letter, or an apostrophe.
_DOT_OR_APOSTROPHE: Final = re.compile(r"(?<=[^\W\d_])(?<![^\W\d_]{2})\.|['’`´]")
_NON_WORD: Final = re.compile(r"[^\w&]+|_+")
_AMP: Final = re.compile(r"&")
# _NON_WORD on ASCII text, one byte at a time: everything but letters, digits and "&" becomes a space
_ASCII_NON_WORD_TO_SPACE: Final = bytes(
    c if c >= 128 or chr(c).isalnum() or chr(c) == "&" else ord(" ") for c in range(256)
)
# "AT and T", "B and Q": the spelled-out ampersand of an acronym
_AND_SPACED: Final = re.compile(r"(?<!\S)(\w) and (\w{1,2})(?!\S)|(?<!\S)(\w{1,2}) and (\w)(?!\S)")

_LEADING_THE: Final = frozenset({"the", "het"})


# invisible format characters left by copy and paste (soft hyphen, zero-width space/joiners, BOM)
_INVISIBLE: Final = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_HAS_INVISIBLE: Final = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

# Per-word memo tables for the non-ASCII steps: words recur across names ("société", "общество") and the
# steps are word by word, so a name costs a split, look-ups and a join. Bounded: cleared when full.
_cache_ascii_words: Final[dict[str, str]] = {}
_cache_punct_words: Final[dict[str, str]] = {}
_WORD_CACHE_MAX: Final = 50_000  # about 200 bytes a word: 10 MB per table at most


def fold_case(name: str) -> str:
    """NFKC, case folding and squashed whitespace: the ``case`` step."""
    if name.isascii():
        return fold_case_ascii(name)
    if _HAS_INVISIBLE.search(name) is not None:  # a translate() that would change nothing is not cheap
        name = name.translate(_INVISIBLE)
    name = unicodedata.normalize("NFKC", name)
    return " ".join(name.casefold().split())


def fold_case_ascii(name: str) -> str:
    """``fold_case`` for a name the caller knows is ASCII: there, lower() is casefold() (and compiled)."""
    return " ".join(name.lower().split())


def fold_ascii(text: str) -> str:
    """Fold accents and transliterate any non-Latin script to ASCII (expects case-folded text).

    Word by word through a memo table where the letter tables and accent folding do it all: they map one
    character at a time. A word that needs ICU sends the whole text through ICU, which looks across
    spaces (it spaces out Han syllables and the punctuation next to them)."""
    if text.isascii():
        return text
    out = []
    for word in text.split(" "):
        if word.isascii():
            out.append(word)
            continue
        folded = _cache_ascii_words.get(word)
        if folded is None:
            if len(_cache_ascii_words) >= _WORD_CACHE_MAX:
                _cache_ascii_words.clear()
            folded = _cache_ascii_words[word] = _fold_letters(word)
        if not folded.isascii():
            return _fold_ascii_text(text)
        out.append(folded)
    return " ".join(out)


def _fold_letters(text: str) -> str:
    """Cyrillic and Greek letters romanised, accents dropped: ASCII unless a script needs ICU."""
    return unicodedata.normalize("NFKD", text.translate(_SCRIPT_LETTERS)).translate(_DROP_MARKS)


def _fold_ascii_text(text: str) -> str:
    if text.isascii():
        return text
    text = _fold_letters(text)
    if text.isascii():
        return text
    text = _icu_ascii(text)
    if text.isascii():
        return text
    return text.encode("ascii", "ignore").decode()


_ASCII_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _drop_abbreviation_dots_ascii(text: str) -> str:
    """``_DOT_OR_APOSTROPHE``'s full stops on ASCII text, without the regex (twice as fast): a full stop
    goes when the character before it is a letter and the one before that is not."""
    pieces = text.split(".")
    out = [pieces[0]]
    for k in range(1, len(pieces)):
        prev = pieces[k - 1]
        if not (prev and prev[-1] in _ASCII_LETTERS and (len(prev) < 2 or prev[-2] not in _ASCII_LETTERS)):
            out.append(".")
        out.append(pieces[k])
    return "".join(out)


def _replace_ampersands(text: str) -> str:
    text = _AMP_TIGHT.sub(r"\1\2", text)
    text = _AMP_SPACED.sub(lambda m: "".join(g for g in m.groups() if g), text)
    return _AMP.sub(" and ", text)


def _connectors(text: str) -> str:
    """``&`` becomes `` and `` except inside acronyms (``AT&T``), and ``A and B`` acronyms close up."""
    if "&" in text:
        text = _replace_ampersands(text)
    if " and " in text:
        text = _AND_SPACED.sub(lambda m: "".join(g for g in m.groups() if g), text)
    return text


def strip_punctuation(text: str) -> str:
    """Remove punctuation from case-folded text; ``&`` becomes ``and`` except inside acronyms."""
    text = _connectors(text)
    if text.isascii():
        return _strip_punctuation_ascii_tail(text)
    if text.replace(" ", "").isalnum():  # nothing to remove (str.isalnum is re's \w without "_")
        return " ".join(text.split())
    # word by word through a memo table: what is left to remove never looks across a space
    # (a full stop counts as part of an abbreviation by the one or two characters before it)
    out = []
    for word in text.split():
        stripped = _cache_punct_words.get(word)
        if stripped is None:
            if len(_cache_punct_words) >= _WORD_CACHE_MAX:
                _cache_punct_words.clear()
            stripped = _cache_punct_words[word] = " ".join(_NON_WORD.sub(" ", _DOT_OR_APOSTROPHE.sub("", word)).split())
        if stripped:
            out.append(stripped)
    return " ".join(out)


def strip_punctuation_ascii(text: str) -> str:
    """``strip_punctuation`` for text the caller knows is ASCII (the same result, fewer checks)."""
    return _strip_punctuation_ascii_tail(_connectors(text))


def _strip_punctuation_ascii_tail(text: str) -> str:
    """The rest of ``strip_punctuation`` on ASCII text, with a byte table for ``_NON_WORD``."""
    if "." in text:
        text = _drop_abbreviation_dots_ascii(text)
    if "'" in text:
        text = text.replace("'", "")
    if "`" in text:
        text = text.replace("`", "")
    return " ".join(text.encode().translate(_ASCII_NON_WORD_TO_SPACE).decode().split())


def abbreviate(tokens: list[str]) -> list[str]:
    """Token by token (positions kept): canonical abbreviations, Dutch "ij" folded to "y"."""
    out = [ABBREVIATIONS.get(t, t) for t in tokens]
    if any("ij" in t for t in out):  # Dutch: "ij" and "y" are one letter ("Koninklyke")
        out = [t.replace("ij", "y") if "ij" in t else t for t in out]
    return out


def strip_article(tokens: list[str]) -> list[str]:
    """Drop a leading or trailing "The" ("Acme Company, The")."""
    if len(tokens) > 1 and tokens[0] in _LEADING_THE:
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[-1] == "the":
        tokens = tokens[:-1]
    return tokens


def canonical_tokens(tokens: list[str]) -> list[str]:
    """The ``abbrev`` step on a token list: abbreviations and a leading/trailing article."""
    return strip_article(abbreviate(tokens))


def normalize_steps(name: str) -> tuple[str, str, str, str]:
    """The name after each step: ``(case, punct, ascii, abbrev)``."""
    case = fold_case(name)
    punct = strip_punctuation(case)
    ascii_ = punct if punct.isascii() else strip_punctuation(fold_ascii(case).lower())
    abbrev = " ".join(canonical_tokens(ascii_.split()))
    return case, punct, ascii_, abbrev
