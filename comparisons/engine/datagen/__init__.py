"""Reproducible training pairs for the comparison engine.

Reads only the committed ``data/base_names.csv`` (real company names, see ``data/README.md``) and builds
labelled pairs (label 1 = MATERIAL, 0 = IMMATERIAL) by transformations that follow the policy in
ARCHITECTURE "The verdict":

* IMMATERIAL (0): case, punctuation, spacing, another spelling of the *same* legal form, the legal form
  left out on one side, ``&``/``and``, a leading ``The``, accents and umlaut transcription, Cyrillic/Greek
  transliteration, common abbreviations and truncations, word order, one small typo in a long word, two
  words joined or one split, a known real acronym, the same number in another numeral style, a seat
  appended after the legal form (``Acme B.V., Tilburg``), the same place written differently
  (``Nederland`` / ``Netherlands``), the name truncated mid-word at a registry length limit, an honorific
  (``Koninklijke`` / ``Royal``) or a stop word (``of``, ``de``, ``van``) dropped, a status note (``in
  liquidation``), a founder's given name as an initial (``R. Bosch``), one form in two languages (``AG`` /
  ``SA``). Several are often stacked.
* MATERIAL (1): a legal form of another class, a qualifier added or removed (Holdings, Bank, UK,
  Deutschland, ...), a number / ordinal / series change, one distinctive word substituted or added (also
  look-alikes: ``Westfield`` / ``Eastfield``), a different real entity with a similar name, parent vs
  subsidiary, an unrelated entity (also in another script, or an acronym that is not this name's), another
  place (``Acme Europe`` / ``Acme Asia``, ``Anglo American`` / ``Anglo Asian``), a near-miss word
  (``Sunrise`` / ``Sunset``, ``Vega`` / ``Vela``), any of these in Cyrillic or Greek (``ООО Газпром`` /
  ``ПАО Газпром``), confusable forms of one jurisdiction (ASA / AS, GmbH / AG, Ltd / plc). Material
  pairs carry immaterial noise on top, so that "the surface changed" never by itself means "immaterial".

Labelling decisions and known gaps: ``data/README.md``.

Plain Python (no Django); ``rapidfuzz`` only for the similar-entity neighbours.

    python -m comparisons.engine.datagen --n 60000 --out pairs.csv

The package, by what changes when:

* ``families.py``: every family with its weight, in one table (a new family is one entry there);
* ``immaterial.py`` / ``material.py``: what each family does, and the frame each kind shares;
* ``transforms.py``: the string and structural transformations families and noise apply;
* ``forms.py`` / ``words.py``: the generator's tables (legal forms, qualifiers, places, acronyms...); the
  abbreviations live in the engine's ``comparisons/engine/tables.py`` beside the ones ``normalize`` reads (two
  directions, writing and reading, in one module; where they disagree is pinned by ``test_tables.py``);
* ``names.py``: base names and the name under construction; ``generator.py``: the seeded state and the steps
  all families share; ``exclusions.py``: the evaluation pairs never generated; ``generate.py``: the loop and CLI.

Splitting the former 2,600-line ``datagen.py`` into this package changed no generated pair: the records, the
pairs and the feature matrix for seeds 20261126 (5,000 and 60,000 pairs), 7 and 99991 hash the same before and
after, and ``tests/comparisons/engine/test_datagen.py`` pins a fingerprint of a small sample.
"""

from comparisons.engine.datagen.exclusions import GOLDEN_CSV, hash_pairs_file
from comparisons.engine.datagen.families import IMMATERIAL, IMMATERIAL_FAMILIES, MATERIAL, MATERIAL_FAMILIES
from comparisons.engine.datagen.forms import (
    AMBIGUOUS,
    CONFUSABLE_FORMS,
    FORM_BY_KEY,
    FORMS,
    LegalForm,
    forms_materially_different,
)
from comparisons.engine.datagen.generate import (
    DEFAULT_MATERIAL_SHARE,
    DEFAULT_N,
    DEFAULT_SEED,
    generate_labelled,
    generate_pairs,
    main,
    write_csv,
)
from comparisons.engine.datagen.generator import Record
from comparisons.engine.datagen.names import BASE_NAMES_CSV, load_base_names

__all__ = [
    "AMBIGUOUS",
    "BASE_NAMES_CSV",
    "CONFUSABLE_FORMS",
    "DEFAULT_MATERIAL_SHARE",
    "DEFAULT_N",
    "DEFAULT_SEED",
    "FORMS",
    "FORM_BY_KEY",
    "GOLDEN_CSV",
    "IMMATERIAL",
    "IMMATERIAL_FAMILIES",
    "MATERIAL",
    "MATERIAL_FAMILIES",
    "LegalForm",
    "Record",
    "forms_materially_different",
    "generate_labelled",
    "generate_pairs",
    "hash_pairs_file",
    "load_base_names",
    "main",
    "write_csv",
]
