"""Table test of the normalisation steps."""

import pytest

from comparisons.engine import normalize_name
from comparisons.engine.normalize import fold_ascii, normalize_steps, strip_punctuation


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Apple Inc.", "APPLE INC"),  # case, punctuation
        ("Acme  Holdings   Ltd", "Acme Holdings Ltd"),  # whitespace
        ("Procter & Gamble Co", "Procter and Gamble Company"),  # & / and, Co / Company
        ("The Coca-Cola Company", "Coca Cola Co"),  # leading The, hyphen
        ("Société Générale SA", "SOCIETE GENERALE S.A."),  # accents
        ("Acme Intl Corp", "Acme International Corporation"),  # abbreviations
        ("Acme Mfg Co", "Acme Manufacturing Company"),
        ("Smith Bros Inc", "Smith Brothers Incorporated"),
        ("Acme Natl Assn", "Acme N.A."),  # a US bank's legal form, written out or not
        ("Acme Assn of Engineers", "Acme Association of Engineers"),
        ("AT&T Inc.", "AT and T Incorporated"),  # a spelled-out ampersand inside an acronym
        ("Saint Lawrence Cement", "St. Lawrence Cement"),
        ("Acme Svcs Ltd", "Acme Services Limited"),
        ("Acme Holdings", "Acme Hldgs"),
        ("ООО Ромашка", "OOO Romashka"),  # transliteration of Cyrillic
        ("Acme Pty. Limited", "Acme Pty Ltd"),
        ("Acme Co. Ltd.", "Acme Company Limited"),
        ("Acme Co.,Ltd.", "ACME CO LTD"),
        ("Koninklyke Acme N.V.", "KONINKLIJKE ACME NV"),  # Dutch ij / y
        ("Acme Gm\u00adbH", "Acme GmbH"),  # soft hyphen from a PDF
        ("Ｆｕｌｌｗｉｄｔｈ Corp", "Fullwidth Corp"),  # NFKC
    ],
)
def test_same_after_normalisation(left, right):
    assert normalize_name(left) == normalize_name(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Fund I", "Fund II"),
        ("Acme LLC", "Acme Inc"),
        ("Acme Ltd", "Acme LP"),
        ("Barclays plc", "Barclays Bank plc"),
        ("Acme UK Ltd", "Acme Ltd"),
    ],
)
def test_different_after_normalisation(left, right):
    assert normalize_name(left) != normalize_name(right)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at&t inc.", "att inc"),  # an ampersand inside an acronym joins it
        ("at & t", "att"),
        ("b & q plc", "bq plc"),
        ("johnson & johnson", "johnson and johnson"),
        ("n.v. philips'", "nv philips"),
        ("g.m.b.h.", "gmbh"),
        ("st.louis", "st louis"),
        ("mcdonald's", "mcdonalds"),
    ],
)
def test_strip_punctuation(text, expected):
    assert strip_punctuation(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("société", "societe"),
        ("øresund bærum łódź straße", "oresund baerum lodz strasse"),
        ("ромашка", "romashka"),
        ("ascii stays", "ascii stays"),
    ],
)
def test_fold_ascii(text, expected):
    assert fold_ascii(text) == expected


def test_transliterates_scripts_without_latin_fallback():
    assert fold_ascii("三星电子").isascii()
    assert fold_ascii("삼성전자").isascii()


def test_steps_are_kept_apart():
    case, punct, ascii_, abbrev = normalize_steps("The Société Intl, S.A.")
    assert case == "the société intl, s.a."
    assert punct == "the société intl sa"
    assert ascii_ == "the societe intl sa"
    assert abbrev == "societe international sa"
