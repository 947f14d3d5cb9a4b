"""The generator's legal forms: (jurisdiction, form id) -> spellings, and which two forms differ materially.

Spellings of one form are interchangeable (IMMATERIAL); two forms are a MATERIAL difference unless some form
holds both spellings (Swiss AG/SA, Belgian NV/SA, Russian OOO/LLC are one form each) or they are listed in
``AMBIGUOUS``. This table *writes* names; the engine *reads* legal forms with rigour's tagger and the corrections
in ``comparisons/engine/legal_forms.py``. The two are kept apart on purpose: a generator that wrote only what the
tagger reads would never teach the model a spelling the tagger misses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class LegalForm:
    jur: str
    fid: str
    spellings: tuple[str, ...]
    prefix: float = 0.0  # probability that the form is written before the name
    weight: float = 1.0


def _f(jur: str, fid: str, *spellings: str, prefix: float = 0.0, weight: float = 1.0) -> LegalForm:
    return LegalForm(jur, fid, tuple(spellings), prefix, weight)


FORMS: tuple[LegalForm, ...] = (
    # United States
    _f("US", "inc", "Inc.", "Inc", "Incorporated", "INC", weight=3),
    _f("US", "corp", "Corp.", "Corp", "Corporation", "CORP", weight=2),
    _f("US", "co", "Co.", "Co", "Company", weight=0.6),
    _f("US", "llc", "LLC", "L.L.C.", "Limited Liability Company", "L.L.C", "llc", weight=2),
    _f("US", "lp", "LP", "L.P.", "Limited Partnership", "L.P", weight=1),
    _f("US", "llp", "LLP", "L.L.P.", "Limited Liability Partnership", weight=0.6),
    _f("US", "pc", "P.C.", "PC", "Professional Corporation", weight=0.3),
    _f("US", "na", "N.A.", "NA", "National Association", weight=0.3),
    # United Kingdom, Ireland
    _f("GB", "ltd", "Ltd", "Ltd.", "Limited", "LTD", weight=3),
    _f("GB", "plc", "plc", "PLC", "p.l.c.", "Public Limited Company", "P.L.C.", weight=2),
    _f("GB", "llp", "LLP", "L.L.P.", "Limited Liability Partnership", weight=0.7),
    _f("GB", "lp", "LP", "L.P.", "Limited Partnership", weight=0.4),
    _f("GB", "cic", "CIC", "Community Interest Company", weight=0.2),
    _f("IE", "dac", "DAC", "D.A.C.", "Designated Activity Company", weight=0.4),
    _f("IE", "ltd", "Ltd", "Ltd.", "Limited", "Teoranta", "Teo.", weight=1),
    _f("IE", "plc", "plc", "PLC", "Public Limited Company", "c.p.t.", weight=0.8),
    # Germany, Austria
    _f(
        "DE",
        "gmbh",
        "GmbH",
        "G.m.b.H.",
        "Gesellschaft mit beschränkter Haftung",
        "GMBH",
        "Gesellschaft mit beschraenkter Haftung",
        weight=3,
    ),
    _f("DE", "ag", "AG", "Aktiengesellschaft", "A.G.", "Aktien-Gesellschaft", weight=2.5),
    _f("DE", "kg", "KG", "Kommanditgesellschaft", "K.G.", weight=0.8),
    _f("DE", "gmbhcokg", "GmbH & Co. KG", "GmbH & Co KG", "GmbH und Co. KG", "GmbH u. Co. KG", weight=1),
    _f("DE", "kgaa", "KGaA", "Kommanditgesellschaft auf Aktien", "KG a.A.", weight=0.6),
    _f("DE", "se", "SE", "S.E.", "Societas Europaea", weight=0.8),
    _f("DE", "ev", "e.V.", "eV", "eingetragener Verein", "e. V.", weight=0.4),
    _f("DE", "ohg", "OHG", "oHG", "offene Handelsgesellschaft", weight=0.4),
    _f("DE", "ug", "UG (haftungsbeschränkt)", "UG (haftungsbeschraenkt)", "UG", weight=0.4),
    _f("DE", "eg", "eG", "e.G.", "eingetragene Genossenschaft", weight=0.3),
    # France, Luxembourg
    _f("FR", "sa", "SA", "S.A.", "Société Anonyme", "Societe Anonyme", "société anonyme", weight=2.5),
    _f("FR", "sas", "SAS", "S.A.S.", "Société par actions simplifiée", "Societe par Actions Simplifiee", weight=2),
    _f("FR", "sasu", "SASU", "S.A.S.U.", "Société par actions simplifiée unipersonnelle", weight=0.4),
    _f(
        "FR",
        "sarl",
        "SARL",
        "S.A.R.L.",
        "Société à responsabilité limitée",
        "Societe a Responsabilite Limitee",
        "S.à r.l.",
        weight=1.5,
    ),
    _f("FR", "sca", "SCA", "S.C.A.", "Société en commandite par actions", weight=0.4),
    _f("FR", "snc", "SNC", "S.N.C.", "Société en nom collectif", weight=0.3),
    _f("FR", "sci", "SCI", "S.C.I.", "Société civile immobilière", weight=0.3),
    _f("LU", "sa", "S.A.", "SA", "Société Anonyme", weight=1),
    _f("LU", "sarl", "S.à r.l.", "S.a r.l.", "SARL", "S.à.r.l.", weight=1),
    _f("LU", "scs", "SCS", "S.C.S.", "Société en commandite simple", weight=0.3),
    # Benelux
    _f("NL", "nv", "N.V.", "NV", "Naamloze Vennootschap", "N.V", weight=2),
    _f("NL", "bv", "B.V.", "BV", "Besloten Vennootschap", "B.V", weight=2.5),
    _f("NL", "cv", "C.V.", "CV", "Commanditaire Vennootschap", weight=0.4),
    _f("NL", "vof", "V.O.F.", "VOF", "Vennootschap onder Firma", weight=0.3),
    _f("NL", "stichting", "Stichting", prefix=1.0, weight=0.3),
    _f(
        "BE", "nv", "NV", "N.V.", "SA", "S.A.", "NV/SA", "SA/NV", "Naamloze Vennootschap", "Société Anonyme", weight=1.5
    ),
    _f(
        "BE", "bv", "BV", "B.V.", "SRL", "BV/SRL", "Besloten Vennootschap", "Société à responsabilité limitée", weight=1
    ),
    _f("BE", "cv", "CV", "SC", "Coöperatieve Vennootschap", "Société Coopérative", weight=0.3),
    # Italy, Spain, Portugal
    _f("IT", "spa", "S.p.A.", "SpA", "S.P.A.", "Società per Azioni", "Societa per Azioni", weight=2),
    _f("IT", "srl", "S.r.l.", "Srl", "S.R.L.", "Società a responsabilità limitata", weight=2),
    _f("IT", "sas", "S.a.s.", "Sas", "Società in accomandita semplice", weight=0.4),
    _f("IT", "snc", "S.n.c.", "Snc", "Società in nome collettivo", weight=0.3),
    _f("ES", "sa", "S.A.", "SA", "Sociedad Anónima", "Sociedad Anonima", weight=2),
    _f("ES", "sl", "S.L.", "SL", "Sociedad Limitada", "Sociedad de Responsabilidad Limitada", "S.R.L.", weight=2),
    _f("ES", "slu", "S.L.U.", "SLU", "Sociedad Limitada Unipersonal", weight=0.5),
    _f("ES", "scoop", "S.Coop.", "Sociedad Cooperativa", weight=0.3),
    _f("PT", "sa", "S.A.", "SA", "Sociedade Anónima", weight=0.6),
    _f("PT", "lda", "Lda.", "Lda", "Limitada", weight=0.6),
    # Switzerland (multilingual: AG / SA / Ltd are one form)
    _f("CH", "ag", "AG", "SA", "Ltd", "Aktiengesellschaft", "Société Anonyme", "AG/SA", weight=2),
    _f("CH", "gmbh", "GmbH", "Sàrl", "Sarl", "Gesellschaft mit beschränkter Haftung", weight=1.2),
    _f("CH", "genossenschaft", "Genossenschaft", "Société coopérative", weight=0.3),
    # Nordics
    _f("SE", "ab", "AB", "Aktiebolag", "AB (publ)", "Aktiebolaget", "(publ) AB", prefix=0.3, weight=2),
    _f("SE", "hb", "HB", "Handelsbolag", weight=0.4),
    _f("SE", "kb", "KB", "Kommanditbolag", weight=0.3),
    _f("NO", "asa", "ASA", "Allmennaksjeselskap", weight=1),
    _f("NO", "as", "AS", "A/S", "Aksjeselskap", weight=1.2),
    _f("NO", "da", "DA", "Ansvarlig selskap med delt ansvar", weight=0.2),
    _f("DK", "as", "A/S", "AS", "Aktieselskab", "A.S.", weight=1.5),
    _f("DK", "aps", "ApS", "APS", "Anpartsselskab", weight=1.2),
    _f("DK", "is", "I/S", "Interessentskab", weight=0.3),
    _f("FI", "oy", "Oy", "OY", "Osakeyhtiö", "Osakeyhtio", "Ab", weight=1.5),
    _f("FI", "oyj", "Oyj", "OYJ", "Julkinen osakeyhtiö", "Abp", weight=1.5),
    _f("FI", "ky", "Ky", "Kommandiittiyhtiö", weight=0.3),
    # Japan, China, Hong Kong, Korea, India, Singapore
    _f(
        "JP",
        "kk",
        "K.K.",
        "KK",
        "Kabushiki Kaisha",
        "Co., Ltd.",
        "Co. Ltd.",
        "Company Limited",
        "Co., Ltd",
        "Co Ltd",
        "Corporation",
        "Kabushiki-Kaisha",
        prefix=0.1,
        weight=3,
    ),
    _f("JP", "gk", "G.K.", "GK", "Godo Kaisha", "LLC", weight=0.7),
    _f("JP", "yk", "Y.K.", "YK", "Yugen Kaisha", weight=0.3),
    _f("CN", "coltd", "Co., Ltd.", "Co. Ltd.", "Company Limited", "Co Ltd", "Co., Ltd", "Co.,Ltd.", weight=2),
    _f("CN", "jsc", "Joint Stock Co., Ltd.", "Joint Stock Company Limited", "Co., Ltd. (Joint Stock)", weight=0.5),
    _f("HK", "ltd", "Limited", "Ltd", "Ltd.", weight=1.2),
    _f("HK", "coltd", "Company Limited", "Co., Ltd.", "Co. Ltd.", "Co Ltd", weight=1),
    _f("KR", "coltd", "Co., Ltd.", "Company Limited", "Co. Ltd.", "Chusik Hoesa", weight=1),
    _f(
        "IN", "pvtltd", "Private Limited", "Pvt. Ltd.", "Pvt Ltd", "Pvt. Limited", "Private Ltd.", "P. Ltd.", weight=1.5
    ),
    _f("IN", "ltd", "Limited", "Ltd", "Ltd.", weight=1),
    _f("IN", "llp", "LLP", "L.L.P.", weight=0.4),
    _f("SG", "pteltd", "Pte. Ltd.", "Pte Ltd", "Private Limited", "Pte. Limited", "Pte Ltd.", weight=1.5),
    _f("SG", "ltd", "Limited", "Ltd", "Ltd.", weight=0.7),
    # Australia, New Zealand, Canada
    _f(
        "AU",
        "ptyltd",
        "Pty Ltd",
        "Pty. Ltd.",
        "Pty Limited",
        "Pty. Limited",
        "Proprietary Limited",
        "PTY LTD",
        "Pty. Ltd",
        weight=2.5,
    ),
    _f("AU", "ltd", "Ltd", "Limited", "Ltd.", weight=1.2),
    _f("AU", "nl", "NL", "No Liability", weight=0.2),
    _f("NZ", "ltd", "Limited", "Ltd", weight=0.6),
    _f("CA", "inc", "Inc.", "Inc", "Incorporated", "Incorporée", "Inc./Incorporée", weight=1),
    _f("CA", "ltd", "Ltd.", "Limited", "Limitée", "Ltée", weight=0.8),
    _f("CA", "ulc", "ULC", "Unlimited Liability Company", weight=0.2),
    # Russia (Cyrillic, transliterated and translated spellings of one form are one form)
    _f(
        "RU",
        "ooo",
        "OOO",
        "ООО",
        "LLC",
        "Obshchestvo s Ogranichennoy Otvetstvennostyu",
        "Общество с ограниченной ответственностью",
        "Limited Liability Company",
        prefix=0.7,
        weight=2.5,
    ),
    _f(
        "RU",
        "ao",
        "AO",
        "АО",
        "JSC",
        "Joint Stock Company",
        "Акционерное общество",
        "Aktsionernoye Obshchestvo",
        prefix=0.7,
        weight=1.5,
    ),
    _f(
        "RU",
        "pao",
        "PAO",
        "ПАО",
        "PJSC",
        "Public Joint Stock Company",
        "Публичное акционерное общество",
        prefix=0.7,
        weight=1.5,
    ),
    _f("RU", "zao", "ZAO", "ЗАО", "CJSC", "Closed Joint Stock Company", prefix=0.7, weight=0.6),
    _f("RU", "oao", "OAO", "ОАО", "OJSC", "Open Joint Stock Company", prefix=0.7, weight=0.6),
    _f("RU", "ip", "IP", "ИП", "Individual Entrepreneur", prefix=0.9, weight=0.3),
    # Greece, Poland, Czechia, Brazil, Mexico, Turkey
    _f("GR", "ae", "A.E.", "AE", "Α.Ε.", "ΑΕ", "Anonymi Etaireia", "Ανώνυμη Εταιρεία", "S.A.", weight=1.2),
    _f("GR", "epe", "E.P.E.", "EPE", "Ε.Π.Ε.", "ΕΠΕ", "Etaireia Periorismenis Efthynis", weight=0.6),
    _f("GR", "ike", "I.K.E.", "IKE", "Ι.Κ.Ε.", "ΙΚΕ", weight=0.4),
    _f("PL", "sa", "S.A.", "SA", "Spółka Akcyjna", "Spolka Akcyjna", weight=1),
    _f(
        "PL",
        "spzoo",
        "sp. z o.o.",
        "Sp. z o.o.",
        "Spółka z ograniczoną odpowiedzialnością",
        "sp. z o. o.",
        "Sp. z.o.o.",
        weight=1.2,
    ),
    _f("CZ", "as", "a.s.", "as", "akciová společnost", weight=0.6),
    _f("CZ", "sro", "s.r.o.", "spol. s r.o.", "společnost s ručením omezeným", "sro", weight=0.8),
    _f("BR", "ltda", "Ltda.", "Ltda", "LTDA", "Limitada", weight=1),
    _f("BR", "sa", "S.A.", "SA", "S/A", "Sociedade Anônima", weight=1),
    _f("MX", "sadecv", "S.A. de C.V.", "SA de CV", "S.A. DE C.V.", "Sociedad Anónima de Capital Variable", weight=1),
    _f("MX", "srldecv", "S. de R.L. de C.V.", "S de RL de CV", "S. de R.L. de C.V", weight=0.5),
    _f("TR", "as", "A.Ş.", "A.S.", "AS", "Anonim Şirketi", "Anonim Sirketi", weight=0.7),
    _f("TR", "ltdsti", "Ltd. Şti.", "Ltd. Sti.", "Limited Şirketi", weight=0.5),
)

# Pairs of forms whose difference is not clearly material under the policy: excluded from MATERIAL pairs
# (and never produced as IMMATERIAL either). US Inc/Corp/Co are all corporations; OAO became PAO and
# ZAO became AO in the 2014 Russian reform, so the old and new names may denote one entity.
AMBIGUOUS: tuple[frozenset[tuple[str, str]], ...] = (
    frozenset({("US", "inc"), ("US", "corp"), ("US", "co"), ("CA", "inc")}),
    frozenset({("RU", "oao"), ("RU", "pao")}),
    frozenset({("RU", "zao"), ("RU", "ao")}),
    frozenset({("FR", "sas"), ("FR", "sasu")}),
    frozenset({("ES", "sl"), ("ES", "slu")}),
    frozenset({("HK", "ltd"), ("HK", "coltd")}),
    frozenset(
        {("GB", "ltd"), ("HK", "ltd"), ("IN", "ltd"), ("SG", "ltd"), ("NZ", "ltd"), ("AU", "ltd"), ("IE", "ltd")}
    ),
    frozenset({("GB", "plc"), ("IE", "plc")}),
    frozenset({("DE", "ag"), ("CH", "ag")}),
    frozenset({("DE", "gmbh"), ("CH", "gmbh")}),
    frozenset(
        {
            ("FR", "sa"),
            ("LU", "sa"),
            ("BE", "nv"),
            ("ES", "sa"),
            ("PT", "sa"),
            ("PL", "sa"),
            ("BR", "sa"),
            ("GR", "ae"),
            ("CH", "ag"),
        }
    ),
    frozenset({("FR", "sarl"), ("LU", "sarl"), ("CH", "gmbh")}),
    frozenset({("NL", "nv"), ("BE", "nv")}),
    frozenset({("NL", "bv"), ("BE", "bv")}),
    frozenset({("JP", "kk"), ("CN", "coltd"), ("KR", "coltd"), ("HK", "coltd")}),
    frozenset({("US", "llc"), ("RU", "ooo"), ("JP", "gk")}),
    frozenset({("US", "lp"), ("GB", "lp")}),
    frozenset({("US", "llp"), ("GB", "llp"), ("IN", "llp")}),
    frozenset({("IN", "pvtltd"), ("SG", "pteltd")}),
    frozenset({("DK", "as"), ("NO", "as")}),
    frozenset({("SE", "ab"), ("FI", "oy")}),  # "Ab" is the Swedish-language spelling of Finnish Oy
    frozenset({("SE", "ab"), ("FI", "oyj")}),
    frozenset({("CZ", "as"), ("NO", "as"), ("DK", "as"), ("TR", "as")}),
    frozenset({("FR", "sca"), ("DE", "kgaa")}),
    frozenset({("DE", "se"), ("FR", "sa")}),
)

JURISDICTIONS: dict[str, list[LegalForm]] = {}
for _form in FORMS:
    JURISDICTIONS.setdefault(_form.jur, []).append(_form)
FORM_BY_KEY: dict[tuple[str, str], LegalForm] = {(f.jur, f.fid): f for f in FORMS}


def norm_form(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^\w/]+", "", text)


@cache
def _forms_with_spelling(spelling: str) -> frozenset[tuple[str, str]]:
    key = norm_form(spelling)
    return frozenset((f.jur, f.fid) for f in FORMS if any(norm_form(s) == key for s in f.spellings))


def forms_materially_different(a: tuple[LegalForm, str], b: tuple[LegalForm, str]) -> bool:
    """True when form+spelling ``a`` and ``b`` clearly are different legal forms (never ambiguous)."""
    (fa, sa), (fb, sb) = a, b
    ka, kb = (fa.jur, fa.fid), (fb.jur, fb.fid)
    if ka == kb:
        return False
    # a spelling that belongs to both forms (or to a form that holds the other spelling) is ambiguous
    cand_a, cand_b = _forms_with_spelling(sa) | {ka}, _forms_with_spelling(sb) | {kb}
    if cand_a & cand_b:
        return False
    for group in AMBIGUOUS:
        if cand_a & group and cand_b & group:
            return False
    return True


# Legal-form endings found in the base names themselves (stripped before forms are attached).
_BASE_SUFFIXES = sorted(
    {s for f in FORMS for s in f.spellings if not re.search(r"[^\x00-\x7f]", s)}
    | {
        "S.A.F.",
        "SE & Co. KGaA",
        "AG & Co. KGaA",
        "& Co. KGaA",
        "Co., Ltd",
        "(publ)",
        "Incorporated",
        "N.A.",
        "Limited",
        "Co.,Ltd.",
        "SpA",
        "S.p.A",
        "ASA",
        "Oyj",
        "plc",
        "NV",
        "N.V.",
        "AG",
        "SE",
        "SA",
        "S.A.",
        "AB",
    },
    key=len,
    reverse=True,
)
BASE_SUFFIX_RE = re.compile(r"(?:,?\s+(?:" + "|".join(re.escape(s) for s in _BASE_SUFFIXES) + r"))+\s*$", re.IGNORECASE)
BASE_PREFIX_RE = re.compile(r"^(?:AB|OOO|PAO|OAO|ZAO|Stichting)\s+", re.IGNORECASE)


# Forms of one jurisdiction that are easily confused and are different forms (MATERIAL): ASA / AS,
# SARL / SAS, GmbH / AG, Ltd / plc ... Drawn often by the form_class family so these contrasts are common.
CONFUSABLE_FORMS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("NO", "asa"), ("NO", "as")),
    (("FR", "sarl"), ("FR", "sas")),
    (("FR", "sa"), ("FR", "sas")),
    (("FR", "sa"), ("FR", "sarl")),
    (("DE", "gmbh"), ("DE", "ag")),
    (("DE", "ag"), ("DE", "se")),
    (("DE", "kg"), ("DE", "gmbhcokg")),
    (("DE", "gmbh"), ("DE", "gmbhcokg")),
    (("GB", "ltd"), ("GB", "plc")),
    (("GB", "ltd"), ("GB", "llp")),
    (("NL", "nv"), ("NL", "bv")),
    (("BE", "nv"), ("BE", "bv")),
    (("US", "llc"), ("US", "inc")),
    (("US", "llc"), ("US", "lp")),
    (("US", "lp"), ("US", "llp")),
    (("DK", "as"), ("DK", "aps")),
    (("FI", "oy"), ("FI", "oyj")),
    (("IT", "spa"), ("IT", "srl")),
    (("ES", "sa"), ("ES", "sl")),
    (("PL", "sa"), ("PL", "spzoo")),
    (("CZ", "as"), ("CZ", "sro")),
    (("AU", "ptyltd"), ("AU", "ltd")),
    (("IN", "pvtltd"), ("IN", "ltd")),
    (("SG", "pteltd"), ("SG", "ltd")),
    (("BR", "ltda"), ("BR", "sa")),
    (("RU", "ooo"), ("RU", "pao")),
    (("RU", "ooo"), ("RU", "ao")),
    (("JP", "kk"), ("JP", "gk")),
    (("CH", "ag"), ("CH", "gmbh")),
    (("LU", "sa"), ("LU", "sarl")),
    (("IE", "ltd"), ("IE", "dac")),
    (("IE", "ltd"), ("IE", "plc")),
    (("MX", "sadecv"), ("MX", "srldecv")),
)

# Forms with spellings in several languages (one form): drawn extra often by ``form_spelling``.
MULTILINGUAL_FORMS = (
    ("CH", "ag"),
    ("CH", "ag"),
    ("CH", "gmbh"),
    ("BE", "nv"),
    ("BE", "nv"),
    ("BE", "bv"),
    ("BE", "cv"),
    ("FI", "oy"),
    ("FI", "oyj"),
    ("CA", "ltd"),
    ("CA", "inc"),
    ("RU", "ooo"),
    ("RU", "ao"),
    ("RU", "pao"),
    ("GR", "ae"),
    ("JP", "kk"),
)
