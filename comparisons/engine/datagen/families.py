"""Every pair family, with its weight: the one place that says what the generator makes and how often.

Adding a family is one entry here (and its ``change`` function in ``immaterial.py`` or ``material.py``). A family
is drawn with probability proportional to its weight among those of its label; the share of MATERIAL pairs is
``generate.DEFAULT_MATERIAL_SHARE``. The order of the entries is part of the generated data (a seeded weighted
draw picks by position): append new families, and expect every pair after the first draw to change when a weight
or the order changes.
"""

from __future__ import annotations

from comparisons.engine.datagen import immaterial as imm
from comparisons.engine.datagen import material as mat
from comparisons.engine.datagen import transforms
from comparisons.engine.datagen.immaterial import ImmaterialFamily
from comparisons.engine.datagen.material import MaterialFamily

IMMATERIAL: tuple[ImmaterialFamily, ...] = (
    ImmaterialFamily("case", 0.6, surface=transforms.change_case),
    ImmaterialFamily("punctuation", 0.9, surface=transforms.punctuation),
    ImmaterialFamily("spacing", 0.4, surface=transforms.spacing, whitespace_only=True),
    ImmaterialFamily("form_spelling", 1.8, imm.form_spelling),
    ImmaterialFamily("form_drop", 1.1, imm.form_drop),
    ImmaterialFamily("and_amp", 0.5, imm.and_amp, pool="idx_and"),
    ImmaterialFamily("the", 0.4, imm.the),
    ImmaterialFamily(
        "accents", 0.6, surface=transforms.accents, pool="idx_accent", jurisdiction=imm.accents_jurisdiction
    ),
    ImmaterialFamily("translit", 0.8, imm.translit, jurisdiction=imm.translit_jurisdiction, noise_on_text=True),
    ImmaterialFamily("abbreviation", 1.0, surface=transforms.abbreviate, pool="idx_abbr"),
    ImmaterialFamily("word_order", 0.8, imm.word_order, pool="idx_multi", noise_on_text=True),
    ImmaterialFamily("typo", 1.1, surface=transforms.typo, pool="idx_long"),
    ImmaterialFamily("acronym", 0.25, imm.acronym, noise_on_text=True),
    ImmaterialFamily("numeral_style", 0.35, imm.numeral_style),
    ImmaterialFamily("registry_style", 0.9, surface=transforms.registry_style),
    ImmaterialFamily("join_split", 0.5, surface=transforms.join_split, pool="idx_long"),
    ImmaterialFamily("seat", 0.6, imm.seat, noise_on_text=True),
    ImmaterialFamily("place_variant", 0.4, imm.place_variant),
    ImmaterialFamily("truncation", 0.6, imm.truncation, noise_on_text=True),
    ImmaterialFamily("honorific", 0.35, imm.honorific, pool="idx_honor"),
    ImmaterialFamily("stopword", 0.35, imm.stopword, pool="idx_stop"),
    ImmaterialFamily("status_note", 0.15, imm.status_note, noise_on_text=True),
    ImmaterialFamily("initials", 0.3, imm.initials),
)

MATERIAL: tuple[MaterialFamily, ...] = (
    MaterialFamily("form_class", 2.2, mat.form_class, changes_form=True),
    MaterialFamily("qualifier", 2.0, mat.qualifier),
    MaterialFamily("number", 1.6, mat.number),
    MaterialFamily("substitution", 1.2, mat.substitution, draw=mat.substitution_draw),
    MaterialFamily("similar_entity", 1.6, mat.similar_entity),
    MaterialFamily("parent_subsidiary", 0.9, mat.parent_subsidiary),
    MaterialFamily("different_entity", 1.0, mat.different_entity),
    MaterialFamily("place_swap", 0.8, mat.place_swap),
    MaterialFamily("lookalike", 0.8, mat.lookalike),
    MaterialFamily("non_latin", 0.6, mat.non_latin),
)

IMMATERIAL_FAMILIES: tuple[str, ...] = tuple(f.name for f in IMMATERIAL)
MATERIAL_FAMILIES: tuple[str, ...] = tuple(f.name for f in MATERIAL)
