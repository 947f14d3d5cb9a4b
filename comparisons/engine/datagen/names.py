"""Base names (the committed ``data/base_names.csv``, split into words and legal form) and the name under
construction (``Entity``: words, jurisdiction, legal form and how it is written), rendered to a string last."""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from comparisons.engine.datagen.forms import (
    BASE_PREFIX_RE,
    BASE_SUFFIX_RE,
    JURISDICTIONS,
    LegalForm,
    norm_form,
)

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
BASE_NAMES_CSV = DATA_DIR / "base_names.csv"


@dataclass(frozen=True)
class BaseName:
    name: str  # as in the CSV
    country: str
    words: tuple[str, ...]  # the name without its legal form
    form: LegalForm | None  # the legal form found in the CSV name, if any


_COUNTRY_TO_JUR = {
    "AT": "DE",
    "JE": "GB",
    "GG": "GB",
    "IM": "GB",
    "BM": "GB",
    "KY": "GB",
    "BS": "GB",
    "AN": "NL",
    "LR": "US",
    "IL": "US",
    "MX": "MX",
    "CN": "CN",
    "CA": "CA",
    "AU": "AU",
    "GR": "GR",
}


def jur_of_country(country: str) -> str:
    country = _COUNTRY_TO_JUR.get(country, country)
    return country if country in JURISDICTIONS else "US"


def split_base(name: str, country: str) -> BaseName:
    jur = jur_of_country(country)
    stem, form = name, None
    m = BASE_SUFFIX_RE.search(name)
    if m and re.search(r"&\s*$", name[: m.start()]) and re.match(r",?\s*(Co\.?|Company)\b", m.group(0)):
        m = None  # "Merck & Co." / "Moelis & Company": part of the name, not a legal form
    if m and m.start() > 0:
        stem = name[: m.start()].rstrip(" ,")
        found = m.group(0).strip(" ,")
        last = found.split()[-1] if found else ""
        for f in JURISDICTIONS[jur]:
            if any(norm_form(s) in {norm_form(found), norm_form(last)} for s in f.spellings):
                form = f
                break
    m = BASE_PREFIX_RE.match(stem)
    if m and len(stem) > m.end():
        stem = stem[m.end() :]
    words = tuple(stem.split())
    if len(words) > 1 and words[0] == "The":
        words = words[1:]  # a leading "The" is a writing variant (family "the")
    if len(words) > 1 and words[-1] in {"&", "and"}:
        words = words[:-1]
    if not words:
        words = tuple(name.split())
    return BaseName(name=name, country=country, words=words, form=form)


@lru_cache(maxsize=4)
def load_base_names(path: str | None = None) -> tuple[BaseName, ...]:
    csv_path = Path(path) if path else BASE_NAMES_CSV
    with csv_path.open(newline="", encoding="utf-8") as fh:
        rows = [(r["name"].strip(), (r.get("country") or "").strip()) for r in csv.DictReader(fh)]
    out, seen = [], set()
    for name, country in rows:
        base = split_base(name, country)
        key = " ".join(base.words).casefold()
        if not name or key in seen:
            continue
        seen.add(key)
        out.append(base)
    return tuple(out)


@dataclass(frozen=True)
class Entity:
    words: tuple[str, ...]
    jur: str
    form: LegalForm | None
    spelling: str | None
    prefix: bool = False  # legal form before the name
    the: bool = False
    comma: bool = False  # "Acme, Inc."
    extra: tuple[str, ...] = field(default_factory=tuple)  # families applied to this side

    def render(self) -> str:
        parts = []
        if self.the:
            parts.append("The")
        if self.spelling and self.prefix:
            parts.append(self.spelling)
        parts.append(" ".join(self.words))
        text = " ".join(parts)
        if self.spelling and not self.prefix:
            text = text + ("," if self.comma else "") + " " + self.spelling
        return text


def pick_form(rng: random.Random, jur: str) -> LegalForm:
    forms = JURISDICTIONS[jur]
    return rng.choices(forms, weights=[f.weight for f in forms])[0]


def pick_spelling(rng: random.Random, form: LegalForm, avoid: str | None = None, latin_only: bool = False) -> str:
    options = [s for s in form.spellings if s != avoid]
    if latin_only:
        options = [s for s in options if is_latin(s)] or options
    # the first spellings are the common ones
    weights = [1.0 / (1 + 0.45 * i) for i in range(len(options))]
    return rng.choices(options, weights=weights)[0] if options else (avoid or form.spellings[0])


def is_latin(text: str) -> bool:
    return not re.search(r"[\u0370-\u03ff\u0400-\u04ff]", text)


def with_form(rng: random.Random, ent: Entity, form: LegalForm | None, spelling: str | None = None) -> Entity:
    if form is None:
        return replace(ent, form=None, spelling=None)
    spelling = spelling or pick_spelling(rng, form, latin_only=True)
    prefix = rng.random() < form.prefix
    if spelling.startswith("(publ)"):
        prefix = False
    return replace(ent, form=form, spelling=spelling, prefix=prefix, comma=(not prefix and rng.random() < 0.15))
