"""MATERIAL families: a different legal entity behind a similar name. ``MaterialFamily.make`` is the frame every
one of them shares (draw a base name, change it, stack IMMATERIAL noise on one side so that "the surface changed"
never by itself means "immaterial"); each ``change`` function below is what one family does. They are
registered, with their weights, in ``families.py``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

from comparisons.engine.datagen import transforms
from comparisons.engine.datagen.exclusions import squash
from comparisons.engine.datagen.forms import (
    CONFUSABLE_FORMS,
    FORM_BY_KEY,
    FORMS,
    JURISDICTIONS,
    forms_materially_different,
)
from comparisons.engine.datagen.generator import Generator, Record
from comparisons.engine.datagen.names import BaseName, Entity, is_latin, pick_form, pick_spelling, with_form
from comparisons.engine.datagen.words import (
    DIRECTIONS,
    FUND_WORDS,
    GENERIC_LOWER,
    KNOWN_ACRONYMS,
    LAT2CYR,
    LAT2GRK,
    ORDINALS,
    PARENT_SUB,
    PLACE_ADJECTIVES,
    PLACE_SWAP_EXCLUDED,
    QUALIFIERS_BUSINESS,
    QUALIFIERS_PLACE,
    ROMANS,
    SERIES_WORDS,
    same_place,
)


class Draw(NamedTuple):
    """What a family draws before its base name: which base name (None: any) and, for ``substitution``, whether
    the substituted word is a look-alike."""

    base_index: int | None = None  # not ``index``: that would shadow ``tuple.index``
    lookalike: bool = False


# A change returns both sides, None (no such pair for this name: the generator draws again) or, for a family
# that writes its names its own way (``non_latin``), the finished record.
Change = Callable[[Generator, Entity, BaseName, Draw], "tuple[Entity, Entity] | Record | None"]


@dataclass(frozen=True)
class MaterialFamily:
    """One MATERIAL family. ``draw`` picks the base name before the change (default: any). ``changes_form``: the
    difference is the legal form itself, so the noise never respells the form and never drops it."""

    name: str
    weight: float
    change: Change
    draw: Callable[[Generator], Draw] | None = None
    changes_form: bool = False
    label: int = 1

    def make(self, gen: Generator) -> Record | None:
        rng = gen.rng
        draw = self.draw(gen) if self.draw else Draw()
        a, base = gen.entity(draw.base_index)
        pair = self.change(gen, a, base, draw)
        if pair is None or isinstance(pair, Record):
            return pair
        a, b = pair
        k = rng.choices([0, 1, 2, 3], weights=[0.2, 0.4, 0.3, 0.1])[0]
        exclude = ("form_spelling",) if self.changes_form else ()
        applied: list[str]
        if rng.random() < 0.5:
            text_a, applied = a.render(), []
            text_b, applied = gen.noise(b, k, exclude)
        else:
            text_a, applied = gen.noise(a, k, exclude)
            text_b = b.render()
        if not self.changes_form and rng.random() < 0.08 and b.form is not None:
            text_b = replace(b, form=None, spelling=None).render()  # legal form omitted on one side too
            applied = ["form_drop"]
        text_a = gen.house_style(text_a)
        if squash(text_a) == squash(text_b):
            return None
        return gen.record(text_a, text_b, 1, "material:" + self.name, [self.name, *applied])


def form_class(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """A legal form of another class (``Acme GmbH`` / ``Acme AG``), often one easily confused with it."""
    rng = gen.rng
    if rng.random() < 0.4:
        # easily confused forms of one jurisdiction: ASA / AS, SARL / SAS, GmbH / AG, Ltd / plc
        ka, kb = rng.choice(CONFUSABLE_FORMS)
        if rng.random() < 0.5:
            ka, kb = kb, ka
        fa, fb = FORM_BY_KEY[ka], FORM_BY_KEY[kb]
        a = with_form(rng, replace(a, jur=fa.jur), fa)
        sp = pick_spelling(rng, fb, latin_only=True)
        if not forms_materially_different((fa, a.spelling or ""), (fb, sp)):
            return None
        return a, replace(with_form(rng, a, fb, sp), prefix=a.prefix and fb.prefix > 0)
    if a.form is None:
        a = with_form(rng, a, pick_form(rng, a.jur))
    cands = [f for f in (JURISDICTIONS[a.jur] if rng.random() < 0.75 else FORMS) if f is not a.form]
    rng.shuffle(cands)
    for f in cands:
        sp = pick_spelling(rng, f, latin_only=True)
        assert a.form is not None and a.spelling is not None
        if forms_materially_different((a.form, a.spelling), (f, sp)):
            return a, replace(with_form(rng, a, f, sp), prefix=a.prefix and f.prefix > 0)
    return None


def qualifier(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """A business or place qualifier added or removed (``Acme`` / ``Acme Holdings``, ``Acme UK``)."""
    rng = gen.rng
    pool = QUALIFIERS_PLACE if rng.random() < 0.45 else QUALIFIERS_BUSINESS
    q = rng.choice(pool)
    existing = [i for i, w in enumerate(a.words) if w in QUALIFIERS_BUSINESS or w in QUALIFIERS_PLACE]
    if existing and len(a.words) > 1 and rng.random() < 0.35:
        i = rng.choice(existing)
        b = replace(a, words=a.words[:i] + a.words[i + 1 :])  # qualifier removed
    elif q.casefold() in " ".join(a.words).casefold():
        return None
    elif pool is QUALIFIERS_PLACE and rng.random() < 0.25:
        b = replace(a, words=a.words + (f"({q})",))
    elif pool is QUALIFIERS_PLACE and rng.random() < 0.15:
        b = replace(a, words=(q,) + a.words)
    else:
        b = replace(a, words=a.words + tuple(q.split()))
    if rng.random() < 0.2 and b.form is not None:
        # a subsidiary often has its own (same-class) spelling of the form: noise, not the signal
        b = replace(b, spelling=pick_spelling(rng, b.form, latin_only=True))
    return a, b


def parent_subsidiary(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """Parent and subsidiary (``Acme Holdings`` / ``Acme Bank``)."""
    rng = gen.rng
    p, s = rng.choice(PARENT_SUB)
    if rng.random() < 0.5:
        p, s = s, p
    words = tuple(w for w in a.words if w not in {p, s})
    a = replace(a, words=words + tuple(p.split()))
    b = replace(a, words=words + tuple(s.split()))
    if s in QUALIFIERS_PLACE and rng.random() < 0.5:
        b = with_form(rng, b, pick_form(rng, b.jur))
    return a, b


def number(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """A number, ordinal or series changed (``Fund I`` / ``Fund II``)."""
    return number_pair(gen, a)


def substitution_draw(gen: Generator) -> Draw:
    lookalike = gen.rng.random() < 0.45
    return Draw(gen.rng.choice(gen.idx_lookalike if lookalike else gen.idx_distinct), lookalike)


def substitution(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """One distinctive word substituted or added (also a look-alike: ``Westfield`` / ``Eastfield``)."""
    rng = gen.rng
    words = list(a.words)
    slots = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Z][a-z]{3,}", w)]
    if draw.lookalike:
        slots = [i for i, w in enumerate(words) if transforms.has_lookalike(w)]
    i = rng.choice(slots)
    old = words[i]
    if draw.lookalike:
        new = transforms.near_word(rng, old)
        if new is None or new == old:
            return None
        words[i] = new
    elif rng.random() < 0.2:
        # an added distinctive word
        new = rng.choice(gen.vocab)
        if new in words:
            return None
        words.insert(rng.choice([i, i + 1]), new)
    elif rng.random() < 0.5:
        # a look-alike distinctive word: Westfield / Eastfield, Sunrise / Sunset, Vega / Vela
        new = transforms.near_word(rng, old)
        if new is None or new == old:
            return None
        words[i] = new
    else:
        same_initial = gen.by_first.get(old[0], [])
        pool = same_initial if same_initial and rng.random() < 0.6 else gen.vocab
        new = rng.choice(pool)
        if new == old or transforms.edit_distance(new.lower(), old.lower()) <= 1:
            return None
        words[i] = new
    return a, replace(a, words=tuple(words))


def different_entity(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """An unrelated entity: sometimes in another script, sometimes an acronym that is not this name's, so that "no
    word in common", "different scripts" and "acronym-like" never mean "same entity"."""
    rng = gen.rng
    other = gen.bases[rng.randrange(len(gen.bases))]
    if " ".join(other.words).casefold() == " ".join(a.words).casefold():
        return None
    r = rng.random()
    if r < 0.25:
        acro, full = rng.choice(KNOWN_ACRONYMS)
        other_acro, other_full = rng.choice(KNOWN_ACRONYMS)
        if acro == other_acro:
            return None
        a = replace(a, words=(acro,))
        b = replace(a, words=tuple(other_full.split()) if rng.random() < 0.5 else other.words)
        if rng.random() < 0.5:
            b = with_form(rng, b, pick_form(rng, b.jur) if rng.random() < 0.5 else None)
    elif r < 0.45:
        jur = rng.choice(["RU", "RU", "GR"])
        form = pick_form(rng, jur)
        native = [x for x in form.spellings if not is_latin(x)]
        table = LAT2CYR if jur == "RU" else LAT2GRK
        b = Entity(
            words=tuple(transforms.transliterate(w, table) for w in other.words),
            jur=jur,
            form=form,
            spelling=rng.choice(native) if native else form.spellings[0],
            prefix=rng.random() < 0.6,
        )
        a = with_form(rng, replace(a, jur=jur), form if rng.random() < 0.5 else None)
    else:
        b = with_form(
            rng,
            replace(a, words=other.words),
            a.form
            if rng.random() < 0.5
            else pick_form(rng, rng.choice(sorted(JURISDICTIONS)))
            if rng.random() < 0.7
            else None,
        )
    return a, b


def similar_entity(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """A different real entity with a similar name (one of the base name's neighbours)."""
    rng = gen.rng
    i = gen.base_index[id(base)]
    if not gen.neighbours[i]:
        return None
    other = gen.bases[rng.choice(gen.neighbours[i])]
    b = replace(a, words=other.words)
    if rng.random() < 0.3:
        b = with_form(rng, b, a.form if rng.random() < 0.5 else pick_form(rng, a.jur))
        if (
            b.form is not None
            and a.form is not None
            and b.form != a.form
            and not forms_materially_different((a.form, a.spelling or ""), (b.form, b.spelling or ""))
        ):
            b = replace(b, form=a.form, spelling=a.spelling)
    return a, b


def place_swap(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """Another place (``Acme Europe`` / ``Acme Asia``)."""
    return place_swap_pair(gen, a)


def lookalike(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> tuple[Entity, Entity] | None:
    """A near-miss distinctive word (``Sunrise`` / ``Sunset``)."""
    b = lookalike_of(gen, a)
    return None if b is None else (a, b)


def place_swap_pair(gen: Generator, a: Entity) -> tuple[Entity, Entity] | None:
    """One place for another (MATERIAL): Acme Europe / Acme Asia, Anglo American / Anglo Asian."""
    rng = gen.rng
    places = [q for q in QUALIFIERS_PLACE if q not in PLACE_SWAP_EXCLUDED]
    words = list(a.words)
    known = set(places) | set(PLACE_ADJECTIVES) | set(DIRECTIONS)
    slots = [i for i, w in enumerate(words) if w in known]
    r = rng.random()
    pool = places if r < 0.45 else PLACE_ADJECTIVES if r < 0.8 else DIRECTIONS
    if slots and rng.random() < 0.5:  # a place already in the name: swap it
        i = rng.choice(slots)
        old = words[i]
        pool = DIRECTIONS if old in DIRECTIONS else PLACE_ADJECTIVES if old in PLACE_ADJECTIVES else places
        new = rng.choice(pool)
        if same_place(old, new):
            return None
        return a, replace(a, words=tuple(words[:i] + [new] + words[i + 1 :]))
    p1, p2 = rng.sample(pool, 2)
    if same_place(p1, p2) or p1 in words or p2 in words:
        return None
    if pool is places:
        where = rng.random()
        if where < 0.25:
            p1, p2 = f"({p1})", f"({p2})"
            at = len(words)
        else:
            at = 0 if where < 0.35 else len(words)
    elif pool is DIRECTIONS:
        at = 0 if rng.random() < 0.8 else len(words)
    else:
        at = rng.choice([0, min(1, len(words)), len(words)])
    wa = tuple(words[:at]) + tuple(p1.split()) + tuple(words[at:])
    wb = tuple(words[:at]) + tuple(p2.split()) + tuple(words[at:])
    return replace(a, words=wa), replace(a, words=wb)


def lookalike_of(gen: Generator, a: Entity) -> Entity | None:
    """A near-miss distinctive word (MATERIAL): Westfield / Eastfield, Sunrise / Sunset, Vega / Vela, Banner /
    Tanner: an affix swapped, a short word one letter off, or a changed first letter."""
    rng = gen.rng
    words = list(a.words)
    slots = [i for i, w in enumerate(words) if transforms.has_lookalike(w)]
    if slots and rng.random() < 0.5:
        i = rng.choice(slots)
        new = transforms.near_word(rng, words[i])
    else:
        slots = [
            i for i, w in enumerate(words) if re.fullmatch(r"[A-Z][a-z]{2,}", w) and w.casefold() not in GENERIC_LOWER
        ]
        if not slots:
            return None
        real = [i for i in slots if len(gen.by_tail.get(words[i][1:], ())) > 1]
        if real and rng.random() < 0.7:  # a real word with another first letter: Banner / Tanner
            i = rng.choice(real)
            new = rng.choice([w for w in gen.by_tail[words[i][1:]] if w != words[i]])
            words[i] = new
            return replace(a, words=tuple(words))
        i = rng.choice(slots)
        old = words[i]
        vowels, cons = "aeiou", "bcdfghklmnprstvwz"
        if len(old) <= 5 and rng.random() < 0.7:
            j = rng.randrange(len(old))
        else:
            j = 0  # another first letter makes another word even in a long one
        ch = old[j].lower()
        c = rng.choice([x for x in (vowels if ch in vowels else cons) if x != ch])
        new = old[:j] + (c.upper() if j == 0 else c) + old[j + 1 :]
    if new is None or new == words[i]:
        return None
    words[i] = new
    return replace(a, words=tuple(words))


def number_pair(gen: Generator, a: Entity) -> tuple[Entity, Entity]:
    rng = gen.rng
    scheme = rng.random()
    n = rng.randrange(1, 9)
    m = rng.choice([x for x in range(1, 11) if x != n])
    if scheme < 0.3:  # Fund I / Fund II
        head = tuple(rng.choice(FUND_WORDS).split())
        wa = a.words + head + (ROMANS[n - 1],)
        wb = a.words + head + ((ROMANS[m - 1],) if rng.random() < 0.7 else ())
        if rng.random() < 0.2:
            wb = a.words + head + (str(m),)
    elif scheme < 0.5:  # First / Fourth
        wa, wb = (ORDINALS[n - 1],) + a.words, (ORDINALS[m - 1],) + a.words
    elif scheme < 0.7:  # 2 / 3
        wa, wb = a.words + (str(n),), a.words + ((str(m),) if rng.random() < 0.75 else ())
        if rng.random() < 0.3:
            year = rng.randrange(2005, 2026)
            wa = a.words + (f"{year}-{n}",)
            wb = a.words + (f"{year}-{m}",) if rng.random() < 0.7 else a.words + (f"{year + 1}-{n}",)
    elif scheme < 0.85:  # Series A / Series B
        series = rng.choice(SERIES_WORDS)
        la, lb = rng.sample("ABCDEFGH", 2)
        wa, wb = a.words + (series, la), a.words + (series, lb)
        if rng.random() < 0.3:
            wa, wb = a.words + (series, str(n)), a.words + (series, str(m))
    else:  # No. 1 / No. 2, or a number inside the name
        digits = [i for i, w in enumerate(a.words) if re.search(r"\d", w)]
        if digits:
            i = rng.choice(digits)
            w = a.words[i]
            nw = re.sub(r"\d", lambda d: str((int(d.group()) + rng.randrange(1, 9)) % 10), w, count=1)
            wa, wb = a.words, a.words[:i] + (nw,) + a.words[i + 1 :]
        else:
            wa, wb = a.words + ("No.", str(n)), a.words + ("No.", str(m))
    return replace(a, words=wa), replace(a, words=wb)


def non_latin(gen: Generator, a: Entity, base: BaseName, draw: Draw) -> Record | None:
    """MATERIAL pairs written in Cyrillic or Greek (or one side transliterated): ООО Газпром / ПАО Газпром.

    Draws its own base name (the frame's ``a`` is not used, but it was drawn: that draw is part of the data)
    and writes its own record: native-script names take no Latin noise."""
    rng = gen.rng
    jur = "RU" if rng.random() < 0.75 else "GR"
    table = LAT2CYR if jur == "RU" else LAT2GRK
    a, base = gen.entity(rng.choice(gen.idx_distinct), jur)
    if a.form is None:
        a = with_form(rng, a, pick_form(rng, jur))
    b = a
    r = rng.random()
    kind = "non_latin"
    if r < 0.4:  # another legal form
        confusable = [p for p in CONFUSABLE_FORMS if p[0][0] == jur]
        if confusable and rng.random() < 0.6:
            ka, kb = rng.choice(confusable)
            if rng.random() < 0.5:
                ka, kb = kb, ka
            a = with_form(rng, a, FORM_BY_KEY[ka])
            fb = FORM_BY_KEY[kb]
        else:
            fb = pick_form(rng, jur)
        assert a.form is not None
        if not forms_materially_different((a.form, a.spelling or ""), (fb, fb.spellings[0])):
            return None
        b = replace(with_form(rng, a, fb), prefix=a.prefix)
    elif r < 0.6:  # another name
        i = gen.base_index[id(base)]
        cands = gen.neighbours[i] if gen.neighbours[i] and rng.random() < 0.6 else None
        other = gen.bases[rng.choice(cands)] if cands else gen.bases[rng.randrange(len(gen.bases))]
        if " ".join(other.words).casefold() == " ".join(a.words).casefold():
            return None
        b = replace(a, words=other.words)
    elif r < 0.8:  # a qualifier added
        q = rng.choice(QUALIFIERS_BUSINESS[:20] + ("Holding", "Invest", "Trade", "Energo", "Neft", "Bank"))
        if q.casefold() in " ".join(a.words).casefold():
            return None
        b = replace(a, words=a.words + tuple(q.split()))
    else:  # a number or another place
        pair = place_swap_pair(gen, a) if rng.random() < 0.4 else number_pair(gen, a)
        if pair is None:
            return None
        a, b = pair

    def native(e: Entity) -> str:
        spell = [s for s in e.form.spellings if not is_latin(s)] if e.form else []
        words = " ".join(transforms.transliterate(w, table) for w in e.words)
        sp = rng.choice(spell) if spell else e.spelling
        if not sp:
            return words
        if e.prefix or jur == "RU":
            return f"{sp} «{words}»" if rng.random() < 0.3 else f"{sp} {words}"
        return f"{words} {sp}"

    text_a = native(a)
    text_b = native(b) if rng.random() < 0.7 else b.render()  # one side in Latin letters
    if rng.random() < 0.3:
        text_a = text_a.upper()
    if squash(text_a) == squash(text_b):
        return None
    return gen.record(text_a, text_b, 1, "material:" + kind, [kind])
