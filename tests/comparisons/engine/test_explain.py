"""``explain``: the verdict's reasons as data (kind, the words of each side, a sentence), no model needed."""

import pytest

from comparisons.engine.analysis import analyze_name
from comparisons.engine.explain import Reason, ReasonKind, confidence_band, explain_pair, verdict_label

K = ReasonKind


@pytest.mark.parametrize(
    ("a", "b", "kind", "left", "right", "text"),
    [
        (
            "Acme LLC",
            "Acme Inc",
            K.LEGAL_FORM_CHANGED,
            ("llc",),
            ("inc",),
            "legal form differs: LLC vs Inc (different kind of entity)",
        ),
        (
            "Unilever N.V.",
            "Unilever plc",
            K.LEGAL_FORM_CHANGED,
            ("nv",),
            ("plc",),
            "legal form differs: N.V. vs plc (same kind of entity)",
        ),
        ("Acme Ltd", "Acme", K.LEGAL_FORM_ADDED, ("ltd",), (), "legal form on one side only: Ltd"),
        ("Siemens Aktiengesellschaft", "Siemens AG", K.LEGAL_FORM_SPELLING, ("ag",), ("ag",), "same legal form: AG"),
        ("Fund I", "Fund II", K.NUMBER_CHANGED, ("i",), ("ii",), "number differs: I vs II"),
        ("FIRST OCEAN", "FOURTH OCEAN", K.NUMBER_CHANGED, ("first",), ("fourth",), "number differs: first vs fourth"),
        ("Acme 2", "Acme", K.NUMBER_ADDED, ("2",), (), "number on one side only: 2"),
        ("Acme", "Acme 2", K.NUMBER_ADDED, (), ("2",), "number on one side only: 2"),
        ("Acme Holdings", "Acme", K.QUALIFIER_ADDED, ("holding",), (), "qualifier added: Holding"),
        ("Barclays plc", "Barclays Bank plc", K.QUALIFIER_ADDED, (), ("bank",), "qualifier added: Bank"),
        ("Acme UK Ltd", "Acme Ltd", K.PLACE_ADDED, ("uk",), (), "place or country added: UK"),
        (
            "Acme Rockets",
            "Acme Widgets",
            K.WORD_CHANGED,
            ("rockets",),
            ("widgets",),
            "different distinctive word: Rockets vs Widgets",
        ),
        (
            "Acme Holdngs",
            "Acme Holdings",
            K.TYPO,
            ("holdngs",),
            ("holding",),
            "small spelling difference: Holdngs / Holding",
        ),
        ("Acme, Inc.", "ACME INC", K.SAME_NORMALISED, (), (), "same name after normalisation"),
        ("Acme Inc", "Acme Inc", K.IDENTICAL, (), (), "identical names"),
        ("BOSCH GMBH ROBERT", "Robert Bosch GmbH", K.WORD_ORDER, (), (), "same words in a different order"),
        (
            "IBM",
            "International Business Machines Corp",
            K.ACRONYM,
            ("ibm",),
            ("international", "business", "machines"),
            "acronym matches: IBM = International Business Machines",
        ),
        (
            "ООО Ромашка",
            "OOO Romashka",
            K.TRANSLITERATION,
            (),
            (),
            "written in different scripts; compared after transliteration",
        ),
        ("Zyxwv", "Acme", K.NO_COMMON_WORD, (), (), "no word in common"),
        (
            "KONINKLIJKE PHILIPS N.V.",
            "Philips NV",
            K.MINOR_WORDS,
            ("koninklyke",),
            (),
            "only minor words differ: Koninklyke",
        ),
    ],
)
def test_reason_given(a, b, kind, left, right, text):
    assert Reason(kind, text, left, right) in explain_pair(a, b)


def test_parts_are_words_of_the_normalised_names():
    for a, b in [("Acme LLC", "Acme Inc"), ("Fund I", "Fund II"), ("Acme Holdings", "Acme"), ("Acme UK Ltd", "Acme")]:
        words_a = analyze_name(a).forms_text.split()
        words_b = analyze_name(b).forms_text.split()
        for reason in explain_pair(a, b):
            assert set(reason.left) <= set(words_a) and set(reason.right) <= set(words_b), reason


def test_same_name_has_no_difference_reasons():
    assert [r.kind for r in explain_pair("Acme, Inc.", "ACME INC")] == [K.SAME_NORMALISED]


def test_acronym_hides_the_word_differences():
    kinds = {r.kind for r in explain_pair("IBM", "International Business Machines Corp")}
    assert not kinds & {K.WORD_CHANGED, K.WORD_ADDED}


def test_always_at_least_one_reason():
    assert explain_pair("Acme Widgets", "Acme Widgetz")
    assert explain_pair("a", "b")


def test_round_trip_through_a_dict():
    for reason in explain_pair("Acme Holdings LLC", "Acme Inc II"):
        assert Reason.from_dict(reason.to_dict()) == reason


def test_a_stored_string_reads_as_legacy():
    assert Reason.from_dict("legal form differs: LLC vs Inc") == Reason(K.LEGACY, "legal form differs: LLC vs Inc")
    assert Reason.from_dict({"kind": "no-such-kind", "text": "x"}).kind is K.LEGACY


def test_verdict_label_and_confidence_band():
    assert (verdict_label(True), verdict_label(False)) == ("MATERIAL", "IMMATERIAL")
    assert [confidence_band(c) for c in (0.5, 0.59, 0.6, 0.8, 0.95, 1.0)] == [
        "borderline",
        "borderline",
        "likely",
        "confident",
        "near certain",
        "near certain",
    ]
