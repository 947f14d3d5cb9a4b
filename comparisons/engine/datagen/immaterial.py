"""IMMATERIAL families: the same entity written differently. ``ImmaterialFamily.make`` is the frame every one of
them shares (draw a base name, change it, stack noise, check it really changed); each ``change`` function below
is what one family does. They are registered, with their weights, in ``families.py``."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

from comparisons.engine.datagen import transforms
from comparisons.engine.datagen.exclusions import squash
from comparisons.engine.datagen.forms import FORM_BY_KEY, JURISDICTIONS, MULTILINGUAL_FORMS
from comparisons.engine.datagen.generator import Generator, Record
from comparisons.engine.datagen.names import Entity, is_latin, pick_form, pick_spelling, with_form
from comparisons.engine.datagen.words import (
    FUND_WORDS,
    GIVEN_NAMES,
    HONORIFICS,
    KNOWN_ACRONYMS,
    LAT2CYR,
    LAT2GRK,
    ORD_SUFFIX,
    ORDINALS,
    PLACE_VARIANTS,
    ROMANS,
    SEAT_COUNTRY,
    SEATS,
    STATUS_NOTES,
    STOP_WORDS,
    TRUNCATION_LIMITS,
)


class Sides(NamedTuple):
    """A family's change: both names under construction and as written (``b`` is what noise is stacked on)."""

    a: Entity
    b: Entity
    text_a: str
    text_b: str


Change = Callable[[Generator, Entity], Sides | None]


@dataclass(frozen=True)
class ImmaterialFamily:
    """One IMMATERIAL family. Either ``surface`` (a string transformation of the whole name, re-applied after the
    noise so that it is not undone) or ``change`` (anything else).

    ``pool`` names the ``Generator`` index of base names the family needs (names with an abbreviation, an ``&``,
    accents...), ``jurisdiction`` draws the legal system of the name. ``noise_on_text``: the change is written
    out as text that the structural noise would not see (a transliteration, a seat, a truncation), so only case,
    punctuation and spacing noise is stacked on it. ``whitespace_only``: the change may be whitespace alone and is
    not dropped for that."""

    name: str
    weight: float
    change: Change | None = None
    surface: Callable[[random.Random, str], str] | None = None
    pool: str | None = None
    jurisdiction: Callable[[random.Random], str | None] | None = None
    noise_on_text: bool = False
    whitespace_only: bool = False
    label: int = 0

    def make(self, gen: Generator) -> Record | None:
        rng = gen.rng
        pick = getattr(gen, self.pool) if self.pool else None
        idx = rng.choice(pick) if pick else None
        jur = self.jurisdiction(rng) if self.jurisdiction else None
        a, _ = gen.entity(idx, jur)
        extra_k = rng.choices([0, 1, 2, 3], weights=[0.35, 0.35, 0.2, 0.1])[0]
        if self.surface is not None:
            text_a = a.render()
            sides: Sides | None = Sides(a, a, text_a, self.surface(rng, text_a))
        else:
            assert self.change is not None
            sides = self.change(gen, a)
        if sides is None:
            return None
        b, text_a, text_b = sides.b, sides.text_a, sides.text_b
        families = [self.name]
        if extra_k:
            if not self.noise_on_text:
                text_b, applied = gen.noise(b, extra_k)
                if self.surface is not None:
                    text_b = self.surface(rng, text_b)
                families += applied
            else:
                for f in rng.sample(["case", "punctuation", "spacing"], extra_k):
                    text_b = transforms.SURFACE[f](rng, text_b)
                    families.append(f)
        text_a = gen.house_style(text_a)
        if text_a == text_b or (squash(text_a) == squash(text_b) and not self.whitespace_only):
            return None
        return gen.record(text_a, text_b, 0, "immaterial:" + self.name, families)


def _same(a: Entity, b: Entity) -> Sides:
    return Sides(a, b, a.render(), b.render())


def translit_jurisdiction(rng: random.Random) -> str | None:
    return rng.choice(["RU", "RU", "RU", "GR"])


def accents_jurisdiction(rng: random.Random) -> str | None:
    return rng.choice(["FR", "DE", "ES", "SE"]) if rng.random() < 0.3 else None


def acronym(gen: Generator, a: Entity) -> Sides | None:
    """A known real acronym for the full name (``BMW`` / ``Bayerische Motoren Werke``)."""
    rng = gen.rng
    acro, full = rng.choice(KNOWN_ACRONYMS)
    form = pick_form(rng, rng.choice(sorted(JURISDICTIONS)))
    a = with_form(rng, Entity(words=tuple(full.split()), jur=form.jur, form=None, spelling=None), form)
    b = replace(a, words=(acro,))
    if rng.random() < 0.3:
        b = replace(b, form=None, spelling=None)
    return _same(a, b)


def translit(gen: Generator, a: Entity) -> Sides | None:
    """The name in Cyrillic or Greek letters on one side (``OOO Gazprom`` / ``ООО «Газпром»``)."""
    rng = gen.rng
    table = LAT2CYR if a.jur == "RU" else LAT2GRK
    native = [s for s in a.form.spellings if not is_latin(s)] if a.form else []
    b = replace(
        a,
        words=tuple(transforms.transliterate(w, table) for w in a.words),
        spelling=rng.choice(native) if native and rng.random() < 0.85 else a.spelling,
    )
    text_a, text_b = a.render(), b.render()
    if rng.random() < 0.3 and b.prefix and b.spelling:
        text_b = f"{b.spelling} «{' '.join(b.words)}»"  # ООО «Газпром»
    elif rng.random() < 0.15 and a.prefix and a.spelling:
        text_a = f'{a.spelling} "{" ".join(a.words)}"'  # OOO "Gazprom"
    return Sides(a, b, text_a, text_b)


def place_variant(gen: Generator, a: Entity) -> Sides | None:
    """One place written two ways on both sides (``Nederland`` / ``Netherlands``)."""
    rng = gen.rng
    variants = rng.choice(PLACE_VARIANTS)
    va, vb = rng.sample(variants, 2)
    if rng.random() < 0.25:
        va, vb = f"({va})", f"({vb})"
    at = rng.choice([0, len(a.words)]) if rng.random() < 0.2 else len(a.words)
    a = replace(a, words=a.words[:at] + (va,) + a.words[at:])
    b = replace(a, words=a.words[:at] + (vb,) + a.words[at + 1 :])
    return _same(a, b)


def seat(gen: Generator, a: Entity) -> Sides | None:
    """A seat (and postal code, country) appended after the legal form (``Acme B.V., Tilburg``)."""
    rng = gen.rng
    if a.form is None or a.prefix:
        a = replace(with_form(rng, a, pick_form(rng, a.jur)), prefix=False)
    text_a = a.render()
    seat_jur = a.jur if a.jur in SEATS else rng.choice(sorted(SEATS))
    place = rng.choice(SEATS[seat_jur])
    if rng.random() < 0.35:  # with a postal code, as in patent and registry addresses
        place = f"{transforms.postal_code(rng, seat_jur)} {place}"
    if rng.random() < 0.1:
        place = rng.choice(["P.O. Box", "Postbus", "Postfach", "BP"]) + f" {rng.randrange(1, 9999)}, {place}"
    text_b = f"{text_a}, {place}"
    if rng.random() < 0.4:
        text_b += ", " + rng.choice(SEAT_COUNTRY[seat_jur])
    if rng.random() < 0.5:
        text_b = text_b.upper()
    return Sides(a, a, text_a, text_b)


def form_drop(gen: Generator, a: Entity) -> Sides | None:
    """The legal form left out on one side."""
    rng = gen.rng
    if a.form is None:
        a = with_form(rng, a, pick_form(rng, a.jur))
    return _same(a, replace(a, form=None, spelling=None))


def word_order(gen: Generator, a: Entity) -> Sides | None:
    """Words in another order: registry style (``BOSCH GMBH ROBERT``), ``Last, First``, the form moved."""
    rng = gen.rng
    text_a = a.render()
    words = list(a.words)
    r = rng.random()
    if r < 0.6 or a.form is None:
        # registry style: first word moved to the end, after the legal form ("BOSCH GMBH ROBERT")
        rest = " ".join(words[1:])
        text_b = f"{rest} {a.spelling} {words[0]}" if a.spelling and not a.prefix else f"{rest} {words[0]}"
        if a.spelling and a.prefix:
            text_b = f"{a.spelling} {text_b}"
        if rng.random() < 0.6:
            text_b = text_b.upper()
    elif r < 0.8:
        text_b = f"{words[-1]}, {' '.join(words[:-1])}" + (f" {a.spelling}" if a.spelling else "")
    else:
        text_b = replace(a, prefix=not a.prefix, comma=False).render()
    return Sides(a, a, text_a, text_b)


def numeral_style(gen: Generator, a: Entity) -> Sides | None:
    """The same number in another numeral style (``Fund IV`` / ``Fund 4``, ``First`` / ``1st``)."""
    rng = gen.rng
    n = rng.randrange(1, 10)
    style = rng.random()
    if style < 0.5:
        head = rng.choice(FUND_WORDS)
        a = replace(a, words=a.words + tuple(head.split()) + (ROMANS[n - 1],))
        b = replace(a, words=a.words[:-1] + (str(n),))
    else:
        a = replace(a, words=(ORDINALS[n - 1],) + a.words)
        b = replace(a, words=(ORD_SUFFIX[n - 1],) + a.words[1:])
    return _same(a, b)


def form_spelling(gen: Generator, a: Entity) -> Sides | None:
    """Another spelling of the same legal form, also in another language (Swiss ``AG`` / ``SA``) or script."""
    rng = gen.rng
    if rng.random() < 0.15:
        # one form written in two languages (Swiss AG / SA, Belgian NV / SA, Finnish Oy / Ab)
        ml = FORM_BY_KEY[rng.choice(MULTILINGUAL_FORMS)]
        sa, sb = rng.sample(ml.spellings, 2)
        a = with_form(rng, replace(a, jur=ml.jur), ml, sa)
        b = replace(a, spelling=sb)
        if a.prefix and sb.startswith("(publ)"):
            return None
    elif a.form is None or len(a.form.spellings) < 2:
        return None
    else:
        b = transforms.respell_form(rng, a)
    if b.spelling == a.spelling and rng.random() < 0.2:
        # transliterated / native spelling of the same form (ООО / OOO / LLC)
        assert a.form is not None
        b = replace(b, spelling=pick_spelling(rng, a.form, avoid=a.spelling))
    return _same(a, b)


def the(gen: Generator, a: Entity) -> Sides | None:
    """A leading "The" on one side."""
    return _same(a, transforms.toggle_the(gen.rng, a))


def and_amp(gen: Generator, a: Entity) -> Sides | None:
    """``&`` on one side, "and" (in the jurisdiction's language) on the other."""
    return _same(a, transforms.and_amp(gen.rng, a))


def truncation(gen: Generator, a: Entity) -> Sides | None:
    """The name cut mid-word at a registry's length limit."""
    rng = gen.rng
    if a.form is not None and not a.prefix and rng.random() < 0.5:
        a = replace(a, spelling=max(a.form.spellings, key=len))  # spelled-out forms are what gets cut
    text_a = a.render()
    if rng.random() < 0.5:
        text_a = text_a.upper()
    first = len(a.words[0]) + (len(a.spelling) + 1 if a.prefix and a.spelling else 0) + (4 if a.the else 0)
    limits = [n for n in TRUNCATION_LIMITS if first + 3 <= n <= len(text_a) - 2]
    if not limits:
        limits = list(range(first + 3, len(text_a) - 1))
    if not limits:
        return None
    n = rng.choice(limits)
    # registries cut at a character count, mostly mid-word; a cut at a word boundary would look like a
    # removed qualifier (MATERIAL), so it is moved into the next word
    while n < len(text_a) - 1 and not (text_a[n - 1].isalnum() and text_a[n].isalnum()):
        n += 1
    if n >= len(text_a) - 1:
        return None
    return Sides(a, a, text_a, text_a[:n])


def honorific(gen: Generator, a: Entity) -> Sides | None:
    """An honorific dropped (``Koninklijke Philips`` / ``Philips``) or translated (``Koninklijke`` / ``Royal``)."""
    rng = gen.rng
    dutch = a.jur in {"NL", "BE"} or rng.random() < 0.3
    h = rng.choices(HONORIFICS, weights=[4, 0, 1, 1, 0.5] if dutch else [0, 1, 0, 0, 0])[0]
    a = replace(a, words=(h,) + a.words)
    if rng.random() < 0.2:
        other = "Royal" if h != "Royal" else "Koninklijke"
        b = replace(a, words=(other,) + a.words[1:])  # Koninklijke / Royal: the same honorific translated
    else:
        b = replace(a, words=a.words[1:])
    return _same(a, b)


def initials(gen: Generator, a: Entity) -> Sides | None:
    """A founder's given name as an initial (``Robert Bosch`` / ``R. Bosch``)."""
    rng = gen.rng
    given = rng.choice(GIVEN_NAMES)
    a = replace(a, words=(given,) + a.words)
    initial = given[0] + ("." if rng.random() < 0.8 else "")
    return _same(a, replace(a, words=(initial,) + a.words[1:]))


def stopword(gen: Generator, a: Entity) -> Sides | None:
    """A stop word dropped inside the name (``Bank of Ireland`` / ``Bank Ireland``)."""
    stops = set(STOP_WORDS)
    slots = [i for i, w in enumerate(a.words[1:-1], 1) if w.casefold() in stops]
    if not slots:
        return None
    i = gen.rng.choice(slots)
    return _same(a, replace(a, words=a.words[:i] + a.words[i + 1 :]))


def status_note(gen: Generator, a: Entity) -> Sides | None:
    """A status note after the name (``in liquidation``): still the same legal entity.

    (Former and trading names, "formerly Foo Ltd" / "t/a Foo", are not generated: to the features they are a
    second name, indistinguishable from a different entity; see data/README.md.)"""
    rng = gen.rng
    text_a = a.render()
    note = rng.choice(STATUS_NOTES)
    sep = " " if note.startswith(("(", "-")) else rng.choice([" ", ", "])
    return Sides(a, a, text_a, f"{text_a}{sep}{note}")
