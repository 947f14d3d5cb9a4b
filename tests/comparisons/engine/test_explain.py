"""``explain``: the verdict's reasons in plain words (no model needed: reasons come from the features)."""

import pytest

from comparisons.engine.model import explain_pair


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("Acme LLC", "Acme Inc", "legal form differs: LLC vs Inc (different kind of entity)"),
        ("Unilever N.V.", "Unilever plc", "legal form differs: N.V. vs plc (same kind of entity)"),
        ("Acme Ltd", "Acme", "legal form on one side only: Ltd"),
        ("Siemens Aktiengesellschaft", "Siemens AG", "same legal form: AG"),
        ("Fund I", "Fund II", "number differs: I vs II"),
        ("FIRST OCEAN", "FOURTH OCEAN", "number differs: first vs fourth"),
        ("Acme 2", "Acme", "number on one side only: 2"),
        ("Acme Holdings", "Acme", "qualifier added: Holding"),
        ("Barclays plc", "Barclays Bank plc", "qualifier added: Bank"),
        ("Acme UK Ltd", "Acme Ltd", "place or country added: UK"),
        ("Acme Rockets", "Acme Widgets", "different distinctive word: Rockets vs Widgets"),
        ("Acme Holdngs", "Acme Holdings", "small spelling difference: Holdngs / Holding"),
        ("Acme, Inc.", "ACME INC", "same name after normalisation"),
        ("Acme Inc", "Acme Inc", "identical names"),
        ("BOSCH GMBH ROBERT", "Robert Bosch GmbH", "same words in a different order"),
        ("IBM", "International Business Machines Corp", "acronym matches: IBM = International Business Machines"),
        ("ООО Ромашка", "OOO Romashka", "written in different scripts; compared after transliteration"),
        ("Zyxwv", "Acme", "no word in common"),
        ("KONINKLIJKE PHILIPS N.V.", "Philips NV", "only minor words differ: Koninklyke"),
    ],
)
def test_reason_given(a, b, reason):
    assert reason in explain_pair(a, b)


def test_same_name_has_no_difference_reasons():
    reasons = explain_pair("Acme, Inc.", "ACME INC")
    assert reasons == ["same name after normalisation"]


def test_acronym_hides_the_word_differences():
    reasons = explain_pair("IBM", "International Business Machines Corp")
    assert not any(r.startswith(("different distinctive word", "word added")) for r in reasons)


def test_always_at_least_one_reason():
    assert explain_pair("Acme Widgets", "Acme Widgetz")
    assert explain_pair("a", "b")
