"""The generator's state and the steps every family shares: drawing a base name, writing the first side in a
registry's house style, stacking noise, and the finished ``Record``.

One ``random.Random`` drives everything, so a seed fixes the output; the order in which the steps draw from it
is part of the generated data (``tests/comparisons/engine/test_datagen.py`` pins a fingerprint).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz, process

from comparisons.engine.datagen import transforms
from comparisons.engine.datagen.forms import JURISDICTIONS
from comparisons.engine.datagen.names import BaseName, Entity, jur_of_country, pick_form, with_form
from comparisons.engine.datagen.words import GENERIC_LOWER, HONORIFICS, STOP_WORDS

# Noise stacked on top of pairs (never something that would erase a material difference).
NOISE_FAMILIES = (
    "case",
    "punctuation",
    "spacing",
    "form_spelling",
    "and_amp",
    "the",
    "accents",
    "abbreviation",
    "typo",
    "registry_style",
    "form_position",
)


@dataclass(frozen=True)
class Record:
    name1: str
    name2: str
    label: int
    kind: str  # main family, "immaterial:<family>" or "material:<family>"
    families: tuple[str, ...]  # every family applied (main first, then the noise)


class Generator:
    """The seeded random source, the base names and the indexes of base names that suit a family."""

    def __init__(self, seed: int, bases: tuple[BaseName, ...]):
        self.rng = random.Random(seed)
        self.bases = bases
        self.vocab = sorted({w for b in bases for w in b.words if re.fullmatch(r"[A-Z][a-z]{3,}", w)})
        transforms.SHORT_LOOKALIKES.clear()
        self.by_first: dict[str, list[str]] = {}
        for w in self.vocab:
            self.by_first.setdefault(w[0], []).append(w)
        self.by_tail: dict[str, list[str]] = {}
        for w in self.vocab:
            self.by_tail.setdefault(w[1:], []).append(w)
        self.idx_abbr = [i for i, b in enumerate(bases) if transforms.ABBR_WORD_RE.search(" ".join(b.words))]
        self.idx_multi = [i for i, b in enumerate(bases) if 2 <= len(b.words) <= 4]
        self.idx_and = [i for i, b in enumerate(bases) if {"&", "and", "And", "und", "et"} & set(b.words)]
        self.idx_accent = [i for i, b in enumerate(bases) if transforms.has_accents(" ".join(b.words))]
        self.idx_long = [i for i, b in enumerate(bases) if re.search(r"[^\W\d_]{6,}", " ".join(b.words))]
        transforms.fill_short_lookalikes(self.vocab)
        self.idx_lookalike = [i for i, b in enumerate(bases) if any(transforms.has_lookalike(w) for w in b.words)]
        self.idx_distinct = [i for i, b in enumerate(bases) if any(re.fullmatch(r"[A-Z][a-z]{3,}", w) for w in b.words)]
        stops = set(STOP_WORDS)
        self.idx_stop = [i for i, b in enumerate(bases) if any(w.casefold() in stops for w in b.words[1:-1])]
        self.idx_honor = [
            i
            for i, b in enumerate(bases)
            if b.words[0].casefold() not in GENERIC_LOWER
            and b.words[0] not in HONORIFICS
            and b.words[0] != "Koninklijke"
        ]
        self.neighbours = self._neighbours()
        self.base_index = {id(b): i for i, b in enumerate(bases)}

    def _neighbours(self) -> list[list[int]]:
        """For each base name, up to 12 others that look alike (the ``similar_entity`` family's pairs)."""
        stems = [" ".join(b.words).casefold() for b in self.bases]
        firsts = [s.split()[0] if s.split() else s for s in stems]
        scores = process.cdist(stems, stems, scorer=fuzz.token_set_ratio, dtype=None, workers=1)
        out: list[list[int]] = []
        for i, row in enumerate(scores):
            cands = []
            # best first, ties by index: a stable sort, so the pairs are the same on every CPU (numpy's default
            # argsort picks a SIMD implementation by CPU, and ties came out in another order on another machine)
            for j in np.argsort(-row, kind="stable")[:40]:
                j = int(j)
                if j == i or stems[j] == stems[i] or row[j] < 45:
                    continue
                shares = bool(set(stems[i].split()) & set(stems[j].split())) or firsts[i][:4] == firsts[j][:4]
                if shares or row[j] >= 70:
                    cands.append(j)
            out.append(cands[:12])
        return out

    def entity(self, idx: int | None = None, jur: str | None = None) -> tuple[Entity, BaseName]:
        """A base name (``idx``, or a random one) with a legal form of ``jur`` (or of a likely jurisdiction)."""
        rng = self.rng
        base = self.bases[rng.randrange(len(self.bases)) if idx is None else idx]
        if jur is None:
            jur = jur_of_country(base.country)
            if rng.random() < 0.35:
                jur = rng.choice(sorted(JURISDICTIONS))
        ent = Entity(words=base.words, jur=jur, form=None, spelling=None)
        if rng.random() < 0.15:
            form = None  # many real names carry no legal form at all
        elif base.form is not None and base.form.jur == jur and rng.random() < 0.5:
            form = base.form
        else:
            form = pick_form(rng, jur)
        ent = with_form(rng, ent, form)
        if rng.random() < 0.03:
            ent = replace(ent, the=True)
        return ent, base

    def house_style(self, text: str) -> str:
        """How the first side is written: mostly as-is, sometimes upper-case registry style."""
        r = self.rng.random()
        if r < 0.15:
            return text.upper()
        if r < 0.2:
            return transforms.registry_style(self.rng, text)
        return text

    def noise(self, ent: Entity, k: int, exclude: tuple[str, ...] = ()) -> tuple[str, list[str]]:
        """``ent`` rendered with ``k`` noise families applied (structural ones first); and those that changed it."""
        fams = [f for f in NOISE_FAMILIES if f not in exclude]
        chosen = self.rng.sample(fams, k) if k else []
        applied = []
        for f in chosen:
            if f in transforms.STRUCTURAL:
                new = transforms.STRUCTURAL[f](self.rng, ent)
                if new != ent:
                    applied.append(f)
                ent = new
        text = ent.render()
        for f in chosen:
            if f in transforms.STRUCTURAL:
                continue
            new_text = transforms.SURFACE[f](self.rng, text)
            if new_text != text:
                applied.append(f)
            text = new_text
        return text, applied

    def record(self, a: str, b: str, label: int, kind: str, families: list[str]) -> Record:
        if self.rng.random() < 0.5:
            a, b = b, a
        return Record(a, b, label, kind, tuple(dict.fromkeys(families)))
