"""The training-pair generator: reproducible, balanced, every transformation family present, and never
producing a pair of the golden set or of the shared evaluation file."""

from __future__ import annotations

import csv
import hashlib
import inspect
import io
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from comparisons.engine import datagen
from comparisons.engine.datagen import families, transforms, words
from comparisons.engine.datagen.names import is_latin

DEV_PAIRS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "dev_pairs.csv"
N = 12_000


def _key(a: str, b: str) -> tuple[str, str]:
    a, b = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return (a, b) if a <= b else (b, a)


@pytest.fixture(scope="module")
def records() -> list[datagen.Record]:
    return datagen.generate_labelled(N, seed=7)


def test_same_seed_same_pairs():
    assert datagen.generate_pairs(3000, seed=11) == datagen.generate_pairs(3000, seed=11)


def test_other_seed_other_pairs():
    assert datagen.generate_pairs(500, seed=1) != datagen.generate_pairs(500, seed=2)


def test_generate_pairs_wraps_generate_labelled():
    recs = datagen.generate_labelled(400, seed=5)
    assert datagen.generate_pairs(400, seed=5) == [(r.name1, r.name2, r.label) for r in recs]


def test_size_and_balance(records):
    assert len(records) == N
    labels = Counter(r.label for r in records)
    assert set(labels) == {0, 1}
    # a realistic minority of material pairs (real traffic is mostly one entity written differently)
    assert abs(labels[1] / N - datagen.DEFAULT_MATERIAL_SHARE) < 0.01
    assert 0.25 <= datagen.DEFAULT_MATERIAL_SHARE <= 0.4


def test_material_share_is_a_parameter():
    recs = datagen.generate_labelled(1000, seed=3, material_share=0.5)
    assert sum(r.label for r in recs) == 500


def test_default_is_at_least_50000():
    assert inspect.signature(datagen.generate_pairs).parameters["n"].default >= 50_000
    assert inspect.signature(datagen.generate_pairs).parameters["seed"].default == 20261126


def test_pairs_are_distinct_and_non_empty(records):
    keys = [_key(r.name1, r.name2) for r in records]
    assert len(set(keys)) == len(keys)
    for r in records:
        assert r.name1.strip() and r.name2.strip() and r.name1 != r.name2
        assert r.label in (0, 1)


def test_every_family_present(records):
    kinds = Counter(r.kind for r in records)
    for fam in datagen.IMMATERIAL_FAMILIES:
        assert kinds[f"immaterial:{fam}"] > 0, fam
    for fam in datagen.MATERIAL_FAMILIES:
        assert kinds[f"material:{fam}"] > 0, fam
    for r in records:
        assert r.kind.startswith("material:" if r.label else "immaterial:")
        assert r.families[0] == r.kind.split(":", 1)[1]


def test_material_pairs_carry_immaterial_noise(records):
    material = [r for r in records if r.label == 1]
    noisy = [r for r in material if len(r.families) > 1]
    assert len(noisy) / len(material) > 0.5


def test_immaterial_pairs_often_stack_several_changes(records):
    imm = [r for r in records if r.label == 0]
    assert sum(len(r.families) > 1 for r in imm) / len(imm) > 0.3


def test_legal_form_rules():
    forms = datagen.FORM_BY_KEY
    llc, inc = forms[("US", "llc")], forms[("US", "inc")]
    assert datagen.forms_materially_different((llc, "LLC"), (inc, "Inc"))
    assert not datagen.forms_materially_different((inc, "Inc."), (inc, "Incorporated"))
    # Inc vs Corp is ambiguous: never generated as material
    assert not datagen.forms_materially_different((inc, "Inc"), (forms[("US", "corp")], "Corp"))
    # Swiss AG / SA are one form; Russian OOO / LLC too
    assert not datagen.forms_materially_different((forms[("CH", "ag")], "AG"), (forms[("FR", "sa")], "SA"))
    assert not datagen.forms_materially_different((forms[("RU", "ooo")], "ООО"), (llc, "LLC"))
    assert datagen.forms_materially_different((forms[("NL", "nv")], "N.V."), (forms[("GB", "plc")], "plc"))
    assert datagen.forms_materially_different((forms[("AU", "ptyltd")], "Pty Ltd"), (forms[("AU", "ltd")], "Ltd"))


def test_base_names_are_real_and_stripped():
    bases = datagen.load_base_names()
    assert len(bases) > 1500
    by_name = {b.name: b for b in bases}
    assert by_name["Adobe Inc."].words == ("Adobe",)
    assert by_name["Adobe Inc."].form is not None and by_name["Adobe Inc."].form.fid == "inc"
    assert "&" in " ".join(by_name["Merck & Co."].words)  # "& Co." is part of that name


def test_no_golden_pair_generated(records):
    with datagen.GOLDEN_CSV.open(newline="", encoding="utf-8") as fh:
        golden = {_key(r["name1"], r["name2"]) for r in csv.DictReader(fh)}
    assert golden
    assert not golden & {_key(r.name1, r.name2) for r in records}


@pytest.mark.skipif(not DEV_PAIRS.is_file(), reason="shared dev_pairs.csv not present")
def test_no_dev_pair_generated(records):
    with DEV_PAIRS.open(newline="", encoding="utf-8-sig") as fh:
        dev = {_key(r["name1"], r["name2"]) for r in csv.DictReader(fh)}
    assert dev
    assert not dev & {_key(r.name1, r.name2) for r in records}


def test_cli_writes_csv(tmp_path):
    out = tmp_path / "pairs.csv"
    assert datagen.main(["--n", "300", "--seed", "3", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 300
    assert set(rows[0]) == {"name1", "name2", "label", "source"}
    buf = io.StringIO()
    datagen.write_csv(datagen.generate_labelled(300, seed=3), buf)
    assert buf.getvalue() == out.read_text(encoding="utf-8")


def _of(records, family):
    return [r for r in records if r.families[0] == family]


def _alnum(text: str) -> str:
    return "".join(c for c in transforms.strip_accents(text).casefold() if c.isalnum())


def test_new_families_are_labelled_as_documented(records):
    for fam in ("truncation", "honorific", "stopword", "status_note", "initials"):
        assert fam in datagen.IMMATERIAL_FAMILIES
        assert _of(records, fam) and all(r.label == 0 for r in _of(records, fam)), fam
    for fam in ("place_swap", "lookalike", "non_latin"):
        assert fam in datagen.MATERIAL_FAMILIES
        assert _of(records, fam) and all(r.label == 1 for r in _of(records, fam)), fam


def test_truncation_cuts_mid_word(records):
    recs = _of(records, "truncation")
    assert len(recs) > 50
    for r in recs:
        short, long_ = sorted((r.name1, r.name2), key=lambda t: len(_alnum(t)))
        assert _alnum(long_).startswith(_alnum(short)), r
        last = [_alnum(w) for w in short.split() if _alnum(w)][-1]
        assert last not in {_alnum(w) for w in long_.split()}, r


def test_honorific_dropped_on_one_side(records):
    hon = {_alnum(h) for h in words.HONORIFICS}
    for r in _of(records, "honorific"):
        words1 = {_alnum(w) for w in r.name1.split()}
        words2 = {_alnum(w) for w in r.name2.split()}
        assert (words1 ^ words2) & hon, r


def test_place_swaps_are_material_and_never_one_place():
    assert words.same_place("Nederland", "Holland")
    assert words.same_place("Northern", "North")
    assert not words.same_place("Europe", "Asia")
    assert not words.same_place("American", "Asian")
    recs = [r for r in datagen.generate_labelled(4000, seed=9) if r.families[0] == "place_swap"]
    assert recs and all(r.label == 1 for r in recs)


def test_non_latin_material_pairs_use_another_script(records):
    recs = _of(records, "non_latin")
    assert recs
    for r in recs:
        assert not (is_latin(r.name1) and is_latin(r.name2)), r
    assert any(not is_latin(r.name1) and not is_latin(r.name2) for r in recs)


def test_confusable_forms_of_one_jurisdiction_are_material(records):
    for ka, kb in datagen.CONFUSABLE_FORMS:
        fa, fb = datagen.FORM_BY_KEY[ka], datagen.FORM_BY_KEY[kb]
        assert ka[0] == kb[0]
        assert datagen.forms_materially_different((fa, fa.spellings[0]), (fb, fb.spellings[0])), (ka, kb)
    text = [f"{r.name1} | {r.name2}".casefold() for r in _of(records, "form_class")]
    assert any(" asa" in t and " as" in t.replace(" asa", "") for t in text)


def test_typos_favour_long_words_and_rarely_the_first_letter():
    rng = random.Random(0)
    text = "Westfield Internationalisation"
    outs = [transforms.typo(rng, text) for _ in range(2000)]
    first_changed = sum(o.split()[0][0] != "W" or o.split()[-1][0] != "I" for o in outs)
    long_changed = sum(o.split()[-1] != "Internationalisation" for o in outs)
    assert first_changed / len(outs) < 0.06
    assert long_changed / len(outs) > 0.8


def test_lookalikes_change_a_distinctive_word(records):
    recs = _of(records, "lookalike")
    assert len(recs) > 30
    assert transforms.near_word(random.Random(0), "Westfield") in {
        "Eastfield",
        "Westwood",
    }


def test_initials_and_multilingual_form_spellings(records):
    recs = _of(records, "initials")
    assert recs
    for r in recs:
        w1, w2 = r.name1.split(), r.name2.split()
        assert any(_alnum(w) in {_alnum(g) for g in words.GIVEN_NAMES} for w in w1 + w2), r
    ch = datagen.FORM_BY_KEY[("CH", "ag")]
    assert not datagen.forms_materially_different((ch, "AG"), (ch, "SA"))
    text = {(_alnum(r.name1), _alnum(r.name2)) for r in _of(records, "form_spelling")}
    assert any(a.endswith("ag") and b.endswith("sa") or a.endswith("sa") and b.endswith("ag") for a, b in text)


# sha256 of repr([(name1, name2, label, kind, families), ...]) for generate_labelled(400, seed=4242). Measured on
# the single-file datagen.py before it became a package, and unchanged by the split; re-measured when the look-alike
# neighbours were ranked with a stable sort (numpy's default argsort ordered ties differently on another CPU). A change to any family, table,
# weight or to the order of the seeded draws changes it: update it on purpose, say why in the commit, and
# re-measure the model (the golden and dev numbers of docs/benchmarks.md).
FINGERPRINT_400_SEED_4242 = "0bbd659689835ce0a4597182d6ce9f971c7f52fd52faf0c43b9a5914b13cabc3"


def test_generated_data_for_a_fixed_seed_is_pinned():
    recs = datagen.generate_labelled(400, seed=4242)
    rows = [(r.name1, r.name2, r.label, r.kind, r.families) for r in recs]
    assert hashlib.sha256(repr(rows).encode()).hexdigest() == FINGERPRINT_400_SEED_4242


def test_families_are_registered_once_with_a_weight():
    names = [f.name for f in families.IMMATERIAL + families.MATERIAL]
    assert len(names) == len(set(names))
    assert all(f.weight > 0 for f in families.IMMATERIAL + families.MATERIAL)
    assert all(f.label == 0 for f in families.IMMATERIAL) and all(f.label == 1 for f in families.MATERIAL)
    assert datagen.IMMATERIAL_FAMILIES == tuple(f.name for f in families.IMMATERIAL)
    assert datagen.MATERIAL_FAMILIES == tuple(f.name for f in families.MATERIAL)
    # a surface family is a string transformation, any other one a change function: never both, never neither
    assert all((f.surface is None) != (f.change is None) for f in families.IMMATERIAL)


def test_runs_as_a_module(tmp_path):
    out = tmp_path / "pairs.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "comparisons.engine.datagen", "--n", "50", "--seed", "3", "--out", str(out)],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 51
