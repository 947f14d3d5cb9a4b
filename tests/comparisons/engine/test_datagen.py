"""The training-pair generator: reproducible, balanced, every transformation family present, and never
producing a pair of the golden set or of the shared evaluation file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from comparisons.engine import datagen

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
    assert 0.4 <= labels[1] / N <= 0.6


def test_default_is_at_least_50000():
    import inspect

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
