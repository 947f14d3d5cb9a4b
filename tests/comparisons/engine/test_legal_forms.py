"""Legal forms from rigour, and our corrections of its known quirks (one test each)."""

import pytest

from comparisons.engine.analysis import analyze_name
from comparisons.engine.legal_forms import tag_forms


def forms(name: str) -> frozenset:
    return analyze_name(name).forms


def classes(name: str) -> frozenset:
    return analyze_name(name).form_classes


def test_bare_roman_numeral_is_not_a_legal_form():
    # rigour tags "II" as a legal form; here it is a number
    assert forms("Fund II") == frozenset()
    assert analyze_name("Fund II").numbers == {2}
    assert forms("Fund II LLC") == {"llc"}


def test_at_in_att_is_not_a_joint_stock_company():
    assert forms("AT&T") == frozenset()
    assert forms("AT & T") == frozenset()
    assert forms("AT&T Inc.") == {"inc"}
    assert forms("Stand At Home") == frozenset()


def test_pty_limited_is_pty_ltd():
    assert forms("Acme Pty. Limited") == forms("Acme Pty Ltd") != frozenset()


def test_co_ltd_is_company_limited():
    assert forms("Acme Co. Ltd.") == forms("Acme Company Limited") != frozenset()


def test_tagging_is_accent_insensitive():
    assert forms("Acme Société Anonyme") == forms("ACME SOCIETE ANONYME") == {"sa"}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Romashka OOO", "Romashka LLC"),
        ("ООО Ромашка", "OOO Romashka"),
        ("Apple Incorporated", "Apple Inc."),
        ("Siemens Aktiengesellschaft", "Siemens AG"),
        ("Acme Corporation", "Acme Corp."),
        ("Philips B.V.", "Philips BV"),
        ("Acme GmbH & Co. KG", "Acme GmbH und Co KG"),
        ("Acme Ltd", "Acme Limited"),
    ],
)
def test_same_class(left, right):
    assert classes(left) == classes(right) != frozenset()


@pytest.mark.parametrize(
    ("left", "right", "same_form"),
    [
        ("Apple Incorporated", "Apple Inc.", True),
        ("Siemens Aktiengesellschaft", "Siemens AG", True),
        ("Acme LLC", "Acme Inc", False),
        ("Unilever N.V.", "Unilever plc", False),
        ("Acme Ltd", "Acme LP", False),
    ],
)
def test_same_or_different_form(left, right, same_form):
    assert (forms(left) == forms(right)) is same_form


@pytest.mark.parametrize(
    ("left", "right"),
    [("Acme LLC", "Acme Inc"), ("Acme Ltd", "Acme LP"), ("Acme GmbH", "Acme KG")],
)
def test_different_class(left, right):
    assert classes(left).isdisjoint(classes(right))


def test_forms_anywhere_and_word_order():
    assert forms("BOSCH GMBH ROBERT") == forms("Robert Bosch GmbH") == {"gmbh"}
    assert analyze_name("BOSCH GMBH ROBERT").core_sorted == analyze_name("Robert Bosch GmbH").core_sorted


def test_whole_name_is_never_a_legal_form():
    assert tag_forms(["ag"]) == []
    assert analyze_name("SA").core == "sa"


def test_weak_co_only_without_another_form():
    assert forms("Acme & Co") == {"co"}
    assert analyze_name("Acme & Co").core == "acme"
    assert forms("Acme Co Inc") == {"inc"}


def test_leading_form():
    assert forms("OOO Romashka") == forms("Romashka LLC") == {"llc"}  # one Russian form, two spellings
    assert analyze_name("OOO Romashka").core == "romashka"
