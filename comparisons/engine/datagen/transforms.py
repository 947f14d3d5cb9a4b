"""Transformations of a name that keep it the same entity (IMMATERIAL), and the look-alike words that do not.

Surface transformations work on the rendered string (``SURFACE``); structural ones on the name under construction
(``STRUCTURAL``: the legal form's spelling and position, a leading "The", ``&`` / ``and``). Each takes the
generator's seeded ``random.Random`` and draws from it in a fixed order: the order of the draws is part of the
generated data.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from comparisons.engine.datagen.names import Entity, pick_spelling
from comparisons.engine.datagen.words import (
    ACCENT_WORDS,
    AFFIX_SWAPS,
    AND_WORDS,
    QUALIFIERS_BUSINESS,
    UMLAUT,
)
from comparisons.engine.tables import WRITTEN_ABBREVIATIONS

ABBR_WORD_RE = re.compile(r"\b(" + "|".join(sorted(WRITTEN_ABBREVIATIONS, key=len, reverse=True)) + r")\b")


def postal_code(rng: random.Random, jur: str) -> str:
    if jur == "NL":
        return f"{rng.randrange(1000, 9999)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
    if jur in {"DE", "FR", "IT", "ES", "FI", "US"}:
        return f"{rng.randrange(10000, 99999)}"
    if jur == "SE":
        return f"{rng.randrange(100, 999)} {rng.randrange(10, 99)}"
    if jur == "JP":
        return f"{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
    if jur == "GB":
        return rng.choice(["EC2V 7HQ", "SW1A 1AA", "M1 2AB", "B3 3HJ", "LS1 4DY", "EH2 2AD"])
    return f"{rng.randrange(1000, 9999)}"


def change_case(rng: random.Random, text: str) -> str:
    r = rng.random()
    if r < 0.4:
        out = text.upper()
    elif r < 0.65:
        out = text.lower()
    elif r < 0.9:
        out = " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
    else:
        out = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
    return out if out != text else text.swapcase()


def punctuation(rng: random.Random, text: str) -> str:
    ops = []
    if "." in text:
        ops.append(lambda t: t.replace(".", ""))
        ops.append(lambda t: t.replace(". ", " ").replace(".", ""))
    if "," in text:
        ops.append(lambda t: t.replace(",", ""))
    else:
        ops.append(lambda t: re.sub(r" (\S+)$", r", \1", t) if " " in t else t + ".")
    if "-" in text:
        ops.append(lambda t: t.replace("-", " "))
        ops.append(lambda t: t.replace("-", ""))
    if "'" in text:
        ops.append(lambda t: t.replace("'", ""))
    if " " in text:
        ops.append(lambda t: re.sub(r"(?<=\w) (?=\w)", "-", t, count=1) if len(t.split()) > 2 else t + ".")
        ops.append(lambda t: '"' + t + '"' if rng.random() < 0.5 else t + " .")
    ops.append(lambda t: t + ".")
    if re.search(r"\b[A-Z]\.[A-Z]\.?", text):
        ops.append(lambda t: re.sub(r"\b([A-Z])\.([A-Z])\.?", r"\1 \2", t))  # "N.V." -> "N V"
        ops.append(lambda t: re.sub(r"\b([A-Z])\.([A-Z])\.?", r"\1. \2.", t))  # "N.V." -> "N. V."
    ops.append(lambda t: re.sub(r"\b([A-Z])([A-Z])([A-Z]?)\b", lambda m: ".".join(g for g in m.groups() if g) + ".", t))
    for _ in range(4):
        out = rng.choice(ops)(text)
        if out != text:
            return out
    return text + "."


def spacing(rng: random.Random, text: str) -> str:
    r = rng.random()
    if r < 0.3 and " " in text:
        i = rng.choice([m.start() for m in re.finditer(" ", text)])
        return text[:i] + "  " + text[i + 1 :]
    if r < 0.5:
        return " " + text + "  "
    if r < 0.7 and re.search(r"\b[A-Z]\. [A-Z]\.", text):
        return re.sub(r"\b([A-Z])\. (?=[A-Z]\.)", r"\1.", text)
    if r < 0.85 and "&" in text:
        return text.replace(" & ", "&") if " & " in text else text.replace("&", " & ")
    if re.search(r"\b[A-Z]\.[A-Z]\.", text):
        return re.sub(r"\b([A-Z])\.(?=[A-Z]\.)", r"\1. ", text)
    return text + " " if rng.random() < 0.5 else "  " + text


def strip_accents(text: str) -> str:
    out = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in out if not unicodedata.combining(c)))


def accents(rng: random.Random, text: str) -> str:
    if any(c in UMLAUT for c in text) and rng.random() < 0.5:
        return "".join(UMLAUT.get(c, c) for c in text)
    stripped = strip_accents(text)
    if stripped != text:
        return stripped
    words = text.split(" ")
    changed = [(ACCENT_WORDS.get(w, w) if w in ACCENT_WORDS else w) for w in words]
    return " ".join(changed)


def has_accents(text: str) -> bool:
    return strip_accents(text) != text or any(w in ACCENT_WORDS for w in text.split(" "))


def transliterate(text: str, table: tuple[tuple[str, str], ...]) -> str:
    out, i, low = [], 0, text.lower()
    while i < len(text):
        for lat, rep in table:
            if low.startswith(lat, i):
                seg = text[i : i + len(lat)]
                out.append(
                    rep.upper()
                    if seg.isupper() and len(seg) > 0 and (len(seg) > 1 or text.isupper())
                    else (rep[:1].upper() + rep[1:] if seg[:1].isupper() else rep)
                )
                i += len(lat)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def typo(rng: random.Random, text: str) -> str:
    """One small typo (15% of the time a second one) in words of 6+ letters."""
    out = one_typo(rng, text)
    return one_typo(rng, out) if rng.random() < 0.15 else out


def one_typo(rng: random.Random, text: str) -> str:
    words = [(m.start(), m.group()) for m in re.finditer(r"[^\W\d_]{6,}", text)]
    if not words:
        return text
    # long words are misspelt more often (and a typo in a short word makes another word: Vega / Vela)
    start, word = rng.choices(words, weights=[(len(w) - 4) ** 2 for _, w in words])[0]
    if rng.random() < 0.03:  # rarely the first letter
        c = rng.choice([x for x in "aeiounrstl" if x != word[0].lower()])
        new = (c.upper() if word[0].isupper() else c) + word[1:]
        return text[:start] + new + text[start + len(word) :]
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.3:
        new = word[:i] + word[i + 1 :]
    elif op < 0.55:
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op < 0.8:
        new = word[:i] + word[i] + word[i:]
    else:
        letters = "aeiou" if word[i].lower() in "aeiou" else "nmrstlcdpkbg"
        c = rng.choice([x for x in letters if x != word[i].lower()])
        new = word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1 :]
    return text[:start] + new + text[start + len(word) :]


def join_split(rng: random.Random, text: str) -> str:
    """Two words run together, or a long word split in two (``Data Base`` / ``Database``)."""
    spaces = [m.start() for m in re.finditer(r"(?<=[^\W\d_]{3}) (?=[^\W\d_]{3})", text)]
    if spaces and rng.random() < 0.6:
        i = rng.choice(spaces)
        return text[:i] + text[i + 1 :]
    longs = [m for m in re.finditer(r"[^\W\d_]{8,}", text)]
    if not longs:
        return text
    m = rng.choice(longs)
    cut = rng.randrange(3, len(m.group()) - 3)
    return text[: m.start() + cut] + " " + text[m.start() + cut :]


def truncate_word(rng: random.Random, text: str) -> str:
    """Registry-style truncation of one long word: ``Maatschappij`` -> ``Maatsch.``, ``Verwaltung`` -> ``Verw``."""
    first = re.search(r"[^\W\d_]{2,}", text)
    longs = [m for m in re.finditer(r"[^\W\d_]{8,}", text) if first is None or m.start() > first.start()]
    if not longs:
        return text
    m = rng.choice(longs)
    cut = rng.randrange(4, min(7, len(m.group()) - 2))
    return text[: m.start() + cut] + ("." if rng.random() < 0.6 else "") + text[m.end() :]


def abbreviate(rng: random.Random, text: str) -> str:
    matches = list(ABBR_WORD_RE.finditer(text))
    if not matches or rng.random() < 0.25:
        return truncate_word(rng, text)
    m = rng.choice(matches)
    return text[: m.start()] + rng.choice(WRITTEN_ABBREVIATIONS[m.group()]) + text[m.end() :]


def registry_style(rng: random.Random, text: str) -> str:
    out = text.upper().replace(",", "")
    if rng.random() < 0.6:
        out = out.replace(".", "")
    if rng.random() < 0.3:
        out = strip_accents(out)
    return " ".join(out.split())


def has_lookalike(word: str) -> bool:
    if not re.fullmatch(r"[A-Z][a-z]{2,}", word):
        return False
    return word in SHORT_LOOKALIKES or any(
        word.startswith(a) or word.endswith(a) or word.startswith(b) or word.endswith(b) for a, b in AFFIX_SWAPS
    )


# Short real words one letter apart (Vega / Vela, Nova / Nora): filled from the base names' vocabulary.
SHORT_LOOKALIKES: dict[str, list[str]] = {}


def fill_short_lookalikes(vocab: list[str]) -> None:
    if SHORT_LOOKALIKES:
        return
    generic = {w.casefold() for w in QUALIFIERS_BUSINESS} | {
        "banc",
        "banco",
        "groupe",
        "gruppe",
        "grupo",
        "home",
        "homes",
        "asset",
        "assets",
        "corp",
        "company",
    }
    # 5 letters at most: one edit in a word of 6+ letters is a typo (IMMATERIAL), see ``typo``
    short = [w for w in vocab if len(w) <= 5 and w.casefold() not in generic]
    for w in short:
        near = [
            v
            for v in short
            if v != w
            and abs(len(v) - len(w)) <= 1
            and Levenshtein.distance(v, w) == 1
            and not (v.startswith(w) or w.startswith(v))
        ]  # not a plural / language variant (Asset / Assets)
        if near:
            SHORT_LOOKALIKES[w] = near


def near_word(rng: random.Random, word: str) -> str | None:
    """A different real-looking word like ``word``: an affix swapped, or a short vocabulary word one letter off."""
    swaps = [
        (a, b) for a, b in AFFIX_SWAPS + tuple((b, a) for a, b in AFFIX_SWAPS) if word.startswith(a) or word.endswith(a)
    ]
    if swaps and (word not in SHORT_LOOKALIKES or rng.random() < 0.5):
        a, b = rng.choice(swaps)
        return b + word[len(a) :] if word.startswith(a) else word[: -len(a)] + b
    if word in SHORT_LOOKALIKES:
        return rng.choice(SHORT_LOOKALIKES[word])
    return None


def edit_distance(a: str, b: str) -> int:
    return Levenshtein.distance(a, b)


def respell_form(rng: random.Random, ent: Entity) -> Entity:
    """Another spelling of the same legal form (``GmbH`` / ``Gesellschaft mit beschränkter Haftung``)."""
    if ent.form is None:
        return ent
    return replace(
        ent, spelling=pick_spelling(rng, ent.form, avoid=ent.spelling, latin_only=True), comma=rng.random() < 0.15
    )


def move_form(rng: random.Random, ent: Entity) -> Entity:
    """The legal form moved before or after the name (``AB Volvo`` / ``Volvo AB``)."""
    if ent.form is None or (ent.spelling and ent.spelling.startswith("(publ)")):
        return ent
    return replace(ent, prefix=not ent.prefix, comma=False)


def toggle_the(rng: random.Random, ent: Entity) -> Entity:
    """A leading "The" added or dropped."""
    return replace(ent, the=not ent.the)


def and_amp(rng: random.Random, ent: Entity) -> Entity:
    """``&`` written as the jurisdiction's "and", or the other way round."""
    and_word = AND_WORDS.get(ent.jur, "and")
    words = list(ent.words)
    for i, w in enumerate(words):
        if w == "&":
            words[i] = and_word
            break
        if w.casefold() in {"and", "und", "et", "y", "en", "och"}:
            words[i] = "&"
            break
        if "&" in w and len(w) > 1:
            words[i] = w.replace("&", f" {and_word} ")
            break
    return replace(ent, words=tuple(" ".join(words).split()))


# By family name: the transformations that noise is drawn from (``Generator.noise``) and that the families of the
# same name apply (``families.py``).
SURFACE: dict[str, Callable[[random.Random, str], str]] = {
    "case": change_case,
    "punctuation": punctuation,
    "spacing": spacing,
    "accents": accents,
    "typo": typo,
    "abbreviation": abbreviate,
    "registry_style": registry_style,
    "join_split": join_split,
}
STRUCTURAL: dict[str, Callable[[random.Random, Entity], Entity]] = {
    "form_spelling": respell_form,
    "form_position": move_form,
    "the": toggle_the,
    "and_amp": and_amp,
}
