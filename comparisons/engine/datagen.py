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
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
BASE_NAMES_CSV = DATA_DIR / "base_names.csv"
GOLDEN_CSV = DATA_DIR / "golden_pairs.csv"

DEFAULT_N = 60_000
DEFAULT_SEED = 20261126
# Share of MATERIAL pairs. Real comparison traffic (screening hits, registry reconciliation) is mostly the
# same entity written differently; a 50/50 mix made the model call real writing variation material.
DEFAULT_MATERIAL_SHARE = 0.35

# --------------------------------------------------------------------------------------------------
# Legal forms: (jurisdiction, form id) -> spellings. Spellings of one form are interchangeable
# (IMMATERIAL); two forms are a MATERIAL difference unless some form holds both spellings (Swiss AG/SA,
# Belgian NV/SA, Russian OOO/LLC are one form each) or they are listed in AMBIGUOUS.
# --------------------------------------------------------------------------------------------------


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


def _norm_form(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^\w/]+", "", text)


@cache
def _forms_with_spelling(spelling: str) -> frozenset[tuple[str, str]]:
    key = _norm_form(spelling)
    return frozenset((f.jur, f.fid) for f in FORMS if any(_norm_form(s) == key for s in f.spellings))


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
_BASE_SUFFIX_RE = re.compile(
    r"(?:,?\s+(?:" + "|".join(re.escape(s) for s in _BASE_SUFFIXES) + r"))+\s*$", re.IGNORECASE
)
_BASE_PREFIX_RE = re.compile(r"^(?:AB|OOO|PAO|OAO|ZAO|Stichting)\s+", re.IGNORECASE)

# --------------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------------

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "International": ("Intl", "Int'l", "Intl.", "Int.", "Internat."),
    "Corporation": ("Corp", "Corp."),
    "Company": ("Co", "Co."),
    "Manufacturing": ("Mfg", "Mfg."),
    "Brothers": ("Bros", "Bros."),
    "National": ("Natl", "Nat'l", "Natl."),
    "Association": ("Assn", "Assoc.", "Assn."),
    "Services": ("Svcs", "Svcs.", "Servs."),
    "Industries": ("Inds", "Ind.", "Inds."),
    "Laboratories": ("Labs", "Lab."),
    "Systems": ("Sys", "Sys."),
    "Holdings": ("Hldgs", "Hldgs.", "Hldg"),
    "Group": ("Grp", "Grp."),
    "Financial": ("Finl", "Fin'l", "Finl."),
    "Insurance": ("Ins", "Ins."),
    "Pharmaceuticals": ("Pharma", "Pharms."),
    "Pharmaceutical": ("Pharma", "Pharm."),
    "Engineering": ("Eng", "Engg", "Eng."),
    "Management": ("Mgmt", "Mgt", "Mgmt."),
    "Investments": ("Invts", "Invs."),
    "Investment": ("Invt", "Inv."),
    "Development": ("Dev", "Devel.", "Dev."),
    "Communications": ("Comms", "Commun.", "Comm."),
    "Technologies": ("Techs", "Technol."),
    "Technology": ("Tech", "Technol."),
    "Electronics": ("Elec", "Electr."),
    "Electric": ("Elec", "Elec."),
    "Resources": ("Res", "Res."),
    "Properties": ("Props", "Prop."),
    "Products": ("Prods", "Prods."),
    "Enterprises": ("Ents", "Ent."),
    "Chemicals": ("Chem", "Chems"),
    "Chemical": ("Chem", "Chem."),
    "Construction": ("Constr", "Constr."),
    "Healthcare": ("Hlthcare", "Hlth Care"),
    "Bancorporation": ("Bancorp",),
    "Mountain": ("Mtn", "Mtn."),
    "Saint": ("St", "St."),
    "Department": ("Dept", "Dept."),
    "Equipment": ("Equip", "Equip."),
    "Distribution": ("Distr", "Dist."),
    "Machinery": ("Mach", "Mach."),
    "Securities": ("Secs", "Sec."),
    "Realty": ("Rlty",),
    "Transportation": ("Transp", "Trans."),
    "Incorporated": ("Inc", "Inc."),
    "Limited": ("Ltd", "Ltd."),
    "Aktiengesellschaft": ("AG",),
    "Gesellschaft": ("Ges.", "Ges"),
    "Maatschappij": ("Mij", "Mij.", "Maatsch."),
    "Nederlandse": ("Ned.", "Ned"),
    "Nederland": ("Ned.", "Nedl."),
    "Koninklijke": ("Kon.", "Kon"),
    "Fabriek": ("Fabr.",),
    "Fabrieken": ("Fabr.",),
    "Verwaltung": ("Verw.", "Verw"),
    "Vereinigte": ("Ver.", "Vereinigte"),
    "Industrie": ("Ind.", "Ind"),
    "Compagnie": ("Cie", "Cie."),
    "Societe": ("Sté", "Ste"),
    "Société": ("Sté", "Ste"),
    "Deutsche": ("Dt.", "Dtsch."),
    "Allgemeine": ("Allg.",),
    "Brothers &": ("Bros &",),
    "Limited Partnership": ("LP",),
    "General": ("Genl", "Gen."),
    "American": ("Amer", "Amer."),
    "Mutual": ("Mut", "Mut."),
    "Bank": ("Bk",),
    "Trust": ("Tr",),
    "Mining": ("Min",),
    "Associates": ("Assoc", "Assocs"),
    "Partners": ("Ptnrs", "Partn."),
}
_ABBR_WORD_RE = re.compile(r"\b(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b")

# Real, widely known acronyms of real company names (only these are used as IMMATERIAL acronym pairs:
# a random acronym of a random name is not evidence of identity).
KNOWN_ACRONYMS: tuple[tuple[str, str], ...] = (
    ("BMW", "Bayerische Motoren Werke"),
    ("BASF", "Badische Anilin- und Soda-Fabrik"),
    ("HSBC", "Hongkong and Shanghai Banking Corporation"),
    ("ABB", "Asea Brown Boveri"),
    ("GE", "General Electric"),
    ("GM", "General Motors"),
    ("HP", "Hewlett-Packard"),
    ("AMD", "Advanced Micro Devices"),
    ("ADP", "Automatic Data Processing"),
    ("UPS", "United Parcel Service"),
    ("TI", "Texas Instruments"),
    ("RWE", "Rheinisch-Westfälisches Elektrizitätswerk"),
    ("MTU", "Motoren- und Turbinen-Union"),
    ("BNP", "Banque Nationale de Paris"),
    ("LVMH", "Louis Vuitton Moët Hennessy"),
    ("ING", "Internationale Nederlanden Groep"),
    ("NEC", "Nippon Electric Company"),
    ("NTT", "Nippon Telegraph and Telephone"),
    ("TDK", "Tokyo Denki Kagaku"),
    ("IFF", "International Flavors & Fragrances"),
    ("PPG", "Pittsburgh Plate Glass"),
    ("ADM", "Archer-Daniels-Midland"),
    ("AIG", "American International Group"),
    ("CVS", "Consumer Value Stores"),
    ("KLM", "Koninklijke Luchtvaart Maatschappij"),
    ("DSM", "Dutch State Mines"),
    ("SKF", "Svenska Kullagerfabriken"),
    ("SEB", "Skandinaviska Enskilda Banken"),
    ("UBS", "Union Bank of Switzerland"),
    ("KBC", "Kredietbank ABB Insurance CERA"),
    ("EDF", "Électricité de France"),
    ("SNCF", "Société Nationale des Chemins de fer Français"),
    ("BBVA", "Banco Bilbao Vizcaya Argentaria"),
    ("ENI", "Ente Nazionale Idrocarburi"),
    ("FIAT", "Fabbrica Italiana Automobili Torino"),
    ("SAAB", "Svenska Aeroplan Aktiebolaget"),
    ("NXP", "Next eXPerience Semiconductors"),
    ("TSMC", "Taiwan Semiconductor Manufacturing Company"),
    ("CSX", "Chessie Seaboard Multiplexed"),
    ("AES", "Applied Energy Services"),
    ("KPMG", "Klynveld Peat Marwick Goerdeler"),
    ("MAN", "Maschinenfabrik Augsburg-Nürnberg"),
    ("DHL", "Dalsey Hillblom Lynn"),
    ("JAL", "Japan Airlines"),
    ("ANA", "All Nippon Airways"),
    ("IHI", "Ishikawajima-Harima Heavy Industries"),
    ("JSR", "Japan Synthetic Rubber"),
    ("SBB", "Schweizerische Bundesbahnen"),
    ("ÖBB", "Österreichische Bundesbahnen"),
    ("RBS", "Royal Bank of Scotland"),
    ("BAT", "British American Tobacco"),
    ("BT", "British Telecommunications"),
    ("ICI", "Imperial Chemical Industries"),
    ("GSK", "GlaxoSmithKline"),
    ("CIBC", "Canadian Imperial Bank of Commerce"),
    ("RBC", "Royal Bank of Canada"),
    ("TCS", "Tata Consultancy Services"),
    ("ONGC", "Oil and Natural Gas Corporation"),
    ("SABIC", "Saudi Basic Industries Corporation"),
)

QUALIFIERS_BUSINESS = (
    "Holdings",
    "Holding",
    "Group",
    "Bank",
    "Capital",
    "International",
    "Services",
    "Finance",
    "Financial",
    "Investments",
    "Partners",
    "Trust",
    "Management",
    "Technologies",
    "Solutions",
    "Ventures",
    "Properties",
    "Real Estate",
    "Insurance",
    "Energy",
    "Securities",
    "Asset Management",
    "Leasing",
    "Trading",
    "Industries",
    "Global",
    "Worldwide",
    "Logistics",
    "Systems",
    "Finance Company",
    "Funding",
    "Investment Management",
    "Bancorp",
    "Re",
    "Life",
    "Retail",
    "Pharma",
    "Foods",
    "Networks",
    "Brands",
    "Resources",
    "Infrastructure",
    "Consulting",
    "Digital",
    "Labs",
    "Health",
    "Media",
    "Enterprises",
    "Operations",
    "Distribution",
    "Manufacturing",
    "Treasury",
    "Mortgage",
    "Credit",
    "Advisors",
    "Fund",
    "Asset Finance",
    "Private Equity",
)
QUALIFIERS_PLACE = (
    "UK",
    "USA",
    "US",
    "America",
    "North America",
    "Americas",
    "Deutschland",
    "Germany",
    "Europe",
    "Asia",
    "Asia Pacific",
    "EMEA",
    "Schweiz",
    "Suisse",
    "Switzerland",
    "France",
    "Italia",
    "España",
    "Iberia",
    "Nederland",
    "Benelux",
    "Nordic",
    "Sverige",
    "Danmark",
    "Norge",
    "Suomi",
    "Japan",
    "China",
    "India",
    "Canada",
    "Australia",
    "Ireland",
    "Luxembourg",
    "Singapore",
    "Hong Kong",
    "Middle East",
    "Africa",
    "Latin America",
    "Brasil",
    "Mexico",
    "Polska",
    "Österreich",
    "Austria",
    "Belgium",
    "International",
    "London",
    "New York",
    "Paris",
    "Berlin",
    "München",
    "Frankfurt",
    "Tokyo",
    "Zürich",
    "Texas",
    "Delaware",
    "Global",
    "CEE",
    "Russia",
    "Rus",
    "Rotterdam",
    "Amsterdam",
    "Zwolle",
    "Hamburg",
    "Bremen",
    "Stuttgart",
    "Lyon",
    "Milano",
    "Madrid",
    "Stockholm",
    "Oslo",
    "Helsinki",
    "Wien",
    "Osaka",
    "Shanghai",
    "Dubai",
    "Boston",
    "Chicago",
    "Scotland",
    "Wales",
    "Bayern",
    "Nordrhein-Westfalen",
    "Ontario",
    "Quebec",
    "Hong Kong",
    "Macau",
    "Taiwan",
    "Korea",
    "Vietnam",
    "Brasil",
    "Chile",
    "Peru",
    "Nigeria",
    "Kenya",
    "South Africa",
    "Egypt",
    "Turkey",
)
# One place written differently (IMMATERIAL when both sides carry it).
PLACE_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("Netherlands", "Nederland", "Holland", "NL"),
    ("Germany", "Deutschland", "DE"),
    ("UK", "United Kingdom", "U.K.", "Great Britain", "GB"),
    ("USA", "US", "U.S.A.", "United States", "U.S."),
    ("Switzerland", "Schweiz", "Suisse", "CH"),
    ("Spain", "España", "Espana"),
    ("Italy", "Italia"),
    ("France", "FR"),
    ("Sweden", "Sverige"),
    ("Denmark", "Danmark"),
    ("Norway", "Norge"),
    ("Finland", "Suomi"),
    ("Austria", "Österreich", "Oesterreich"),
    ("Belgium", "Belgique", "België", "Belgie"),
    ("Poland", "Polska"),
    ("Japan", "Nippon"),
    ("Brazil", "Brasil"),
    ("Mexico", "México"),
    ("Europe", "Europa"),
    ("Asia Pacific", "Asia-Pacific", "APAC"),
    ("Hong Kong", "HK"),
    ("Munich", "München", "Muenchen"),
    ("Cologne", "Köln"),
    ("The Hague", "Den Haag"),
    ("Zurich", "Zürich"),
    ("Geneva", "Genève", "Genf"),
    ("Canada", "CA"),
    ("Australia", "AU", "Aust."),
    ("Japan", "JP"),
    ("Ireland", "IE", "Éire"),
)
PARENT_SUB = (
    ("Holdings", "Bank"),
    ("Group", "Bank"),
    ("Holdings", "Capital"),
    ("Group", "Finance"),
    ("Holding", "Services"),
    ("Holdings", "Insurance"),
    ("Group", "Securities"),
    ("Holdings", "Financial Services"),
    ("Group", "Asset Management"),
    ("Holdings", "Properties"),
    ("Group", "Leasing"),
    ("Holdings", "Energy"),
    ("Group", "Life"),
    ("Holdings", "Technologies"),
    ("Group", "Investments"),
    ("Holdings", "Trading"),
    ("Group", "Real Estate"),
    ("Holding", "Funding"),
    ("Holdings", "Re"),
    ("Group", "International"),
    ("Bancorp", "Bank"),
    ("Financial", "Bank"),
    ("Holding", "Deutschland"),
    ("Group", "UK"),
    ("Holdings", "USA"),
    ("Group", "Europe"),
    ("Holding", "Schweiz"),
    ("Holdings", "Asia"),
)
ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")
ORD_SUFFIX = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th")
ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
FUND_WORDS = (
    "Fund",
    "Partners",
    "Capital Partners",
    "Opportunity Fund",
    "Investors",
    "Holdings",
    "Trust",
    "Ventures",
    "Income Fund",
    "Real Estate Fund",
    "Credit Fund",
    "Infrastructure Fund",
    "Finance",
    "Issuer",
    "Funding",
    "Mortgage Trust",
    "CLO",
    "Master Fund",
    "Feeder Fund",
    "SPV",
    "Property",
)
SERIES_WORDS = ("Series", "Class", "Tranche", "Compartment", "Sub-Fund")

# Place words swapped for another place (MATERIAL: Acme Europe / Acme Asia, Anglo American / Anglo Asian,
# Northern Star / Southern Star). Places of one PLACE_SAME group are one place and never swapped.
PLACE_ADJECTIVES = (
    "American",
    "Asian",
    "European",
    "African",
    "Pacific",
    "Atlantic",
    "Nordic",
    "Baltic",
    "Arabian",
    "Australian",
    "Canadian",
    "British",
    "German",
    "French",
    "Italian",
    "Iberian",
    "Indian",
    "Chinese",
    "Japanese",
    "Latin",
    "Mediterranean",
    "Caribbean",
    "Continental",
    "Scandinavian",
    "Dutch",
    "Swiss",
    "Irish",
    "Scottish",
)
DIRECTIONS = ("Northern", "Southern", "Eastern", "Western", "Central", "North", "South", "East", "West")
_PLACE_SWAP_EXCLUDED = {"International", "Global", "Rus"}
PLACE_SAME: tuple[frozenset[str], ...] = tuple(frozenset(g) for g in PLACE_VARIANTS) + (
    frozenset({"USA", "US", "America", "United States", "U.S.", "Delaware", "Texas", "New York", "Boston", "Chicago"}),
    frozenset({"UK", "United Kingdom", "Great Britain", "GB", "Britain", "London", "Scotland", "Wales", "British"}),
    frozenset({"Deutschland", "Germany", "German", "Berlin", "München", "Frankfurt", "Hamburg", "Bremen", "Bayern"}),
    frozenset({"Schweiz", "Suisse", "Switzerland", "Swiss", "Zürich"}),
    frozenset({"Europe", "European", "EMEA", "CEE"}),
    frozenset({"Asia", "Asian", "Asia Pacific"}),
    frozenset({"Nederland", "Dutch", "Rotterdam", "Amsterdam", "Zwolle", "Benelux"}),
    frozenset({"Nordic", "Scandinavian", "Sverige", "Norge", "Danmark", "Suomi", "Stockholm", "Oslo", "Helsinki"}),
    frozenset({"Hong Kong", "China", "Chinese", "Shanghai", "Macau"}),
    frozenset({"Japan", "Japanese", "Tokyo", "Osaka"}),
    frozenset({"France", "French", "Paris", "Lyon"}),
    frozenset({"Austria", "Österreich", "Wien"}),
    frozenset({"Italia", "Italian", "Milano"}),
    frozenset({"España", "Iberia", "Iberian", "Madrid"}),
    frozenset({"Canada", "Canadian", "Ontario", "Quebec"}),
    frozenset({"Australia", "Australian"}),
    frozenset({"America", "Americas", "North America", "Latin America"}),
    frozenset({"North", "Northern"}),
    frozenset({"South", "Southern"}),
    frozenset({"East", "Eastern"}),
    frozenset({"West", "Western"}),
)


def _same_place(a: str, b: str) -> bool:
    return a == b or any(a in g and b in g for g in PLACE_SAME)


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
_MULTILINGUAL_FORMS = (
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

# Honorific prefixes granted to a company; dropped on one side by registries and users (IMMATERIAL):
# ``Koninklijke Philips N.V.`` / ``Philips N.V.``, ``Royal Vopak`` / ``Vopak``.
HONORIFICS = ("Koninklijke", "Royal", "Kon.", "KONINKLIJKE", "Koninklijk")
# Stop words dropped or added inside a name (IMMATERIAL): ``Bank of Ireland`` / ``Bank Ireland``.
STOP_WORDS = ("of", "de", "van", "der", "den", "von", "du", "des", "la", "le", "di", "del", "da", "for", "the")
# Status and history notes written after a name in registries (IMMATERIAL: still the same legal entity).
STATUS_NOTES = (
    "in liquidation",
    "(in liquidation)",
    "- in liquidation",
    "in Liquidation",
    "i.L.",
    "i. L.",
    "in liquidatie",
    "en liquidation",
    "(en liquidation)",
    "in administration",
    "(in administration)",
    "in receivership",
    "(in receivership)",
    "in Insolvenz",
    "(dissolved)",
)
# Common registry length limits: a name longer than the limit is cut (mid-word), the same entity.
TRUNCATION_LIMITS = (20, 24, 25, 30, 32, 35, 40, 45, 50)

_LAT2CYR = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("yo", "ё"),
    ("ye", "е"),
    ("ju", "ю"),
    ("ja", "я"),
    ("ph", "ф"),
    ("th", "т"),
    ("ck", "к"),
    ("oo", "у"),
    ("ee", "и"),
    ("qu", "кв"),
    ("a", "а"),
    ("b", "б"),
    ("c", "к"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "дж"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "й"),
    ("z", "з"),
)
_LAT2GRK = (
    ("th", "θ"),
    ("ch", "χ"),
    ("ps", "ψ"),
    ("ph", "φ"),
    ("ks", "ξ"),
    ("ou", "ου"),
    ("a", "α"),
    ("b", "μπ"),
    ("c", "κ"),
    ("d", "ντ"),
    ("e", "ε"),
    ("f", "φ"),
    ("g", "γ"),
    ("h", "χ"),
    ("i", "ι"),
    ("j", "τζ"),
    ("k", "κ"),
    ("l", "λ"),
    ("m", "μ"),
    ("n", "ν"),
    ("o", "ο"),
    ("p", "π"),
    ("q", "κ"),
    ("r", "ρ"),
    ("s", "σ"),
    ("t", "τ"),
    ("u", "ου"),
    ("v", "β"),
    ("w", "β"),
    ("x", "ξ"),
    ("y", "ι"),
    ("z", "ζ"),
)
_ACCENT_WORDS = {
    "Societe": "Société",
    "Generale": "Générale",
    "Energia": "Energía",
    "Telefonica": "Telefónica",
    "Nestle": "Nestlé",
    "Cafe": "Café",
    "Electricite": "Électricité",
    "Muller": "Müller",
    "Nurnberg": "Nürnberg",
    "Zurich": "Zürich",
    "Munchen": "München",
    "Koln": "Köln",
    "Dusseldorf": "Düsseldorf",
    "Ericsson": "Éricsson",
    "Credit": "Crédit",
    "Developpement": "Développement",
    "Gestion": "Gestión",
    "Europeenne": "Européenne",
    "Federal": "Fédéral",
    "Espana": "España",
    "Sao": "São",
    "Medical": "Médical",
    "Metropole": "Métropole",
    "Television": "Télévision",
    "Energie": "Énergie",
    "Immobiliere": "Immobilière",
    "Financiere": "Financière",
    "Hermes": "Hermès",
    "Loreal": "L'Oréal",
    "Aeroports": "Aéroports",
    "Bearnaise": "Béarnaise",
    "Acciona": "Acciòna",
    "Bio": "Bió",
    "Industrias": "Indústrias",
    "Cie": "Cié",
    "Oresund": "Öresund",
    "Goteborg": "Göteborg",
    "Malmo": "Malmö",
    "Skane": "Skåne",
    "Orebro": "Örebro",
    "Sodra": "Södra",
}
# Seats appended after the legal form in registry and patent data ("Acme B.V., Tilburg, NL"): an address
# fragment, not part of the name (IMMATERIAL). A place *inside* the name ("Acme UK Ltd") stays MATERIAL.
SEATS: dict[str, tuple[str, ...]] = {
    "US": ("New York", "Wilmington", "Dover", "Chicago", "Houston", "San Francisco", "Boston", "Atlanta", "Dallas"),
    "GB": ("London", "Manchester", "Birmingham", "Leeds", "Edinburgh", "Cardiff", "Bristol", "Reading"),
    "DE": ("München", "Berlin", "Hamburg", "Frankfurt am Main", "Stuttgart", "Köln", "Düsseldorf", "Essen"),
    "FR": ("Paris", "Lyon", "Marseille", "Toulouse", "Nanterre", "Courbevoie", "Lille", "Bordeaux"),
    "NL": ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Tilburg", "Arnhem", "Delft", "Breda"),
    "BE": ("Brussel", "Antwerpen", "Gent", "Liège", "Leuven", "Mechelen"),
    "CH": ("Zürich", "Basel", "Genève", "Bern", "Zug", "Lausanne"),
    "IT": ("Milano", "Roma", "Torino", "Bologna", "Firenze"),
    "ES": ("Madrid", "Barcelona", "Valencia", "Bilbao", "Sevilla"),
    "SE": ("Stockholm", "Göteborg", "Malmö", "Uppsala"),
    "FI": ("Helsinki", "Espoo", "Tampere", "Vantaa"),
    "DK": ("København", "Aarhus", "Odense"),
    "NO": ("Oslo", "Bergen", "Stavanger"),
    "JP": ("Tokyo", "Osaka", "Nagoya", "Kyoto", "Yokohama"),
}
_SEAT_COUNTRY = {
    "US": ("US", "USA"),
    "GB": ("GB", "UK"),
    "DE": ("DE",),
    "FR": ("FR",),
    "NL": ("NL",),
    "BE": ("BE",),
    "CH": ("CH",),
    "IT": ("IT",),
    "ES": ("ES",),
    "SE": ("SE",),
    "FI": ("FI",),
    "DK": ("DK",),
    "NO": ("NO",),
    "JP": ("JP",),
}


def _postal_code(rng: random.Random, jur: str) -> str:
    if jur == "NL":
        return f"{rng.randrange(1000, 9999)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
    if jur in {"DE", "FR", "IT", "ES", "FI", "US"}:
        return f"{rng.randrange(10000, 99999)}"
    if jur == "SE":
        return f"{rng.randrange(100, 999)} {rng.randrange(10, 99)}"
    if jur == "JP":
        return f"{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
    if jur == "GB":
        return rng.choice(["EC2V 7HQ", "SW1A 1AA", "M1 2AB", "B3 3HJ", "LS1 4DY", "EH2 2AD"])
    return f"{rng.randrange(1000, 9999)}"


# Given names of founders in firm names: written as an initial on one side (``Robert Bosch GmbH`` /
# ``R. Bosch GmbH``): IMMATERIAL.
GIVEN_NAMES = (
    "Robert",
    "John",
    "William",
    "James",
    "Charles",
    "George",
    "Thomas",
    "Henry",
    "Johann",
    "Karl",
    "Carl",
    "Friedrich",
    "Heinrich",
    "Wilhelm",
    "Hans",
    "Peter",
    "Paul",
    "Jean",
    "Pierre",
    "Louis",
    "Jan",
    "Willem",
    "Hendrik",
    "Giovanni",
    "Giuseppe",
    "Antonio",
    "José",
    "Anders",
    "Lars",
)

_UMLAUT = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ß": "ss",
    "å": "aa",
    "Å": "Aa",
    "ø": "oe",
    "Ø": "Oe",
    "æ": "ae",
    "Æ": "Ae",
}
_AND_WORDS = {"US": "and", "GB": "and", "DE": "und", "FR": "et", "ES": "y", "IT": "e", "NL": "en", "SE": "och"}

IMMATERIAL_FAMILIES = (
    "case",
    "punctuation",
    "spacing",
    "form_spelling",
    "form_drop",
    "and_amp",
    "the",
    "accents",
    "translit",
    "abbreviation",
    "word_order",
    "typo",
    "acronym",
    "numeral_style",
    "registry_style",
    "join_split",
    "seat",
    "place_variant",
    "truncation",
    "honorific",
    "stopword",
    "status_note",
    "initials",
)
MATERIAL_FAMILIES = (
    "form_class",
    "qualifier",
    "number",
    "substitution",
    "similar_entity",
    "parent_subsidiary",
    "different_entity",
    "place_swap",
    "lookalike",
    "non_latin",
)
# Noise stacked on top of material pairs (never something that would erase the material difference).
_NOISE_FAMILIES = (
    "case",
    "punctuation",
    "spacing",
    "form_spelling",
    "and_amp",
    "the",
    "accents",
    "abbreviation",
    "typo",
    "registry_style",
    "form_position",
)


# --------------------------------------------------------------------------------------------------
# Base names
# --------------------------------------------------------------------------------------------------


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


def _jur_of_country(country: str) -> str:
    country = _COUNTRY_TO_JUR.get(country, country)
    return country if country in JURISDICTIONS else "US"


def _split_base(name: str, country: str) -> BaseName:
    jur = _jur_of_country(country)
    stem, form = name, None
    m = _BASE_SUFFIX_RE.search(name)
    if m and re.search(r"&\s*$", name[: m.start()]) and re.match(r",?\s*(Co\.?|Company)\b", m.group(0)):
        m = None  # "Merck & Co." / "Moelis & Company": part of the name, not a legal form
    if m and m.start() > 0:
        stem = name[: m.start()].rstrip(" ,")
        found = m.group(0).strip(" ,")
        last = found.split()[-1] if found else ""
        for f in JURISDICTIONS[jur]:
            if any(_norm_form(s) in {_norm_form(found), _norm_form(last)} for s in f.spellings):
                form = f
                break
    m = _BASE_PREFIX_RE.match(stem)
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
    path = Path(path) if path else BASE_NAMES_CSV
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [(r["name"].strip(), (r.get("country") or "").strip()) for r in csv.DictReader(fh)]
    out, seen = [], set()
    for name, country in rows:
        base = _split_base(name, country)
        key = " ".join(base.words).casefold()
        if not name or key in seen:
            continue
        seen.add(key)
        out.append(base)
    return tuple(out)


# --------------------------------------------------------------------------------------------------
# A name under construction
# --------------------------------------------------------------------------------------------------


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


def _pick_form(rng: random.Random, jur: str) -> LegalForm:
    forms = JURISDICTIONS[jur]
    return rng.choices(forms, weights=[f.weight for f in forms])[0]


def _pick_spelling(rng: random.Random, form: LegalForm, avoid: str | None = None, latin_only: bool = False) -> str:
    options = [s for s in form.spellings if s != avoid]
    if latin_only:
        options = [s for s in options if _is_latin(s)] or options
    # the first spellings are the common ones
    weights = [1.0 / (1 + 0.45 * i) for i in range(len(options))]
    return rng.choices(options, weights=weights)[0] if options else (avoid or form.spellings[0])


def _is_latin(text: str) -> bool:
    return not re.search(r"[\u0370-\u03ff\u0400-\u04ff]", text)


def _with_form(rng: random.Random, ent: Entity, form: LegalForm | None, spelling: str | None = None) -> Entity:
    if form is None:
        return replace(ent, form=None, spelling=None)
    spelling = spelling or _pick_spelling(rng, form, latin_only=True)
    prefix = rng.random() < form.prefix
    if spelling.startswith("(publ)"):
        prefix = False
    return replace(ent, form=form, spelling=spelling, prefix=prefix, comma=(not prefix and rng.random() < 0.15))


# --------------------------------------------------------------------------------------------------
# Surface (string) transformations: all IMMATERIAL
# --------------------------------------------------------------------------------------------------


def _case(rng: random.Random, text: str) -> str:
    r = rng.random()
    if r < 0.4:
        out = text.upper()
    elif r < 0.65:
        out = text.lower()
    elif r < 0.9:
        out = " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
    else:
        out = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
    return out if out != text else text.swapcase()


def _punctuation(rng: random.Random, text: str) -> str:
    ops = []
    if "." in text:
        ops.append(lambda t: t.replace(".", ""))
        ops.append(lambda t: t.replace(". ", " ").replace(".", ""))
    if "," in text:
        ops.append(lambda t: t.replace(",", ""))
    else:
        ops.append(lambda t: re.sub(r" (\S+)$", r", \1", t) if " " in t else t + ".")
    if "-" in text:
        ops.append(lambda t: t.replace("-", " "))
        ops.append(lambda t: t.replace("-", ""))
    if "'" in text:
        ops.append(lambda t: t.replace("'", ""))
    if " " in text:
        ops.append(lambda t: re.sub(r"(?<=\w) (?=\w)", "-", t, count=1) if len(t.split()) > 2 else t + ".")
        ops.append(lambda t: '"' + t + '"' if rng.random() < 0.5 else t + " .")
    ops.append(lambda t: t + ".")
    if re.search(r"\b[A-Z]\.[A-Z]\.?", text):
        ops.append(lambda t: re.sub(r"\b([A-Z])\.([A-Z])\.?", r"\1 \2", t))  # "N.V." -> "N V"
        ops.append(lambda t: re.sub(r"\b([A-Z])\.([A-Z])\.?", r"\1. \2.", t))  # "N.V." -> "N. V."
    ops.append(lambda t: re.sub(r"\b([A-Z])([A-Z])([A-Z]?)\b", lambda m: ".".join(g for g in m.groups() if g) + ".", t))
    for _ in range(4):
        out = rng.choice(ops)(text)
        if out != text:
            return out
    return text + "."


def _spacing(rng: random.Random, text: str) -> str:
    r = rng.random()
    if r < 0.3 and " " in text:
        i = rng.choice([m.start() for m in re.finditer(" ", text)])
        return text[:i] + "  " + text[i + 1 :]
    if r < 0.5:
        return " " + text + "  "
    if r < 0.7 and re.search(r"\b[A-Z]\. [A-Z]\.", text):
        return re.sub(r"\b([A-Z])\. (?=[A-Z]\.)", r"\1.", text)
    if r < 0.85 and "&" in text:
        return text.replace(" & ", "&") if " & " in text else text.replace("&", " & ")
    if re.search(r"\b[A-Z]\.[A-Z]\.", text):
        return re.sub(r"\b([A-Z])\.(?=[A-Z]\.)", r"\1. ", text)
    return text + " " if rng.random() < 0.5 else "  " + text


def _strip_accents(text: str) -> str:
    out = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in out if not unicodedata.combining(c)))


def _accents(rng: random.Random, text: str) -> str:
    if any(c in _UMLAUT for c in text) and rng.random() < 0.5:
        return "".join(_UMLAUT.get(c, c) for c in text)
    stripped = _strip_accents(text)
    if stripped != text:
        return stripped
    words = text.split(" ")
    changed = [(_ACCENT_WORDS.get(w, w) if w in _ACCENT_WORDS else w) for w in words]
    return " ".join(changed)


def _has_accents(text: str) -> bool:
    return _strip_accents(text) != text or any(w in _ACCENT_WORDS for w in text.split(" "))


def _translit(text: str, table: tuple[tuple[str, str], ...]) -> str:
    out, i, low = [], 0, text.lower()
    while i < len(text):
        for lat, rep in table:
            if low.startswith(lat, i):
                seg = text[i : i + len(lat)]
                out.append(
                    rep.upper()
                    if seg.isupper() and len(seg) > 0 and (len(seg) > 1 or text.isupper())
                    else (rep[:1].upper() + rep[1:] if seg[:1].isupper() else rep)
                )
                i += len(lat)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _typo(rng: random.Random, text: str) -> str:
    """One small typo (15% of the time a second one) in words of 6+ letters."""
    out = _one_typo(rng, text)
    return _one_typo(rng, out) if rng.random() < 0.15 else out


def _one_typo(rng: random.Random, text: str) -> str:
    words = [(m.start(), m.group()) for m in re.finditer(r"[^\W\d_]{6,}", text)]
    if not words:
        return text
    # long words are misspelt more often (and a typo in a short word makes another word: Vega / Vela)
    start, word = rng.choices(words, weights=[(len(w) - 4) ** 2 for _, w in words])[0]
    if rng.random() < 0.03:  # rarely the first letter
        c = rng.choice([x for x in "aeiounrstl" if x != word[0].lower()])
        new = (c.upper() if word[0].isupper() else c) + word[1:]
        return text[:start] + new + text[start + len(word) :]
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.3:
        new = word[:i] + word[i + 1 :]
    elif op < 0.55:
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op < 0.8:
        new = word[:i] + word[i] + word[i:]
    else:
        letters = "aeiou" if word[i].lower() in "aeiou" else "nmrstlcdpkbg"
        c = rng.choice([x for x in letters if x != word[i].lower()])
        new = word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1 :]
    return text[:start] + new + text[start + len(word) :]


def _join_split(rng: random.Random, text: str) -> str:
    """Two words run together, or a long word split in two (``Data Base`` / ``Database``)."""
    spaces = [m.start() for m in re.finditer(r"(?<=[^\W\d_]{3}) (?=[^\W\d_]{3})", text)]
    if spaces and rng.random() < 0.6:
        i = rng.choice(spaces)
        return text[:i] + text[i + 1 :]
    longs = [m for m in re.finditer(r"[^\W\d_]{8,}", text)]
    if not longs:
        return text
    m = rng.choice(longs)
    cut = rng.randrange(3, len(m.group()) - 3)
    return text[: m.start() + cut] + " " + text[m.start() + cut :]


def _truncate_word(rng: random.Random, text: str) -> str:
    """Registry-style truncation of one long word: ``Maatschappij`` -> ``Maatsch.``, ``Verwaltung`` -> ``Verw``."""
    first = re.search(r"[^\W\d_]{2,}", text)
    longs = [m for m in re.finditer(r"[^\W\d_]{8,}", text) if first is None or m.start() > first.start()]
    if not longs:
        return text
    m = rng.choice(longs)
    cut = rng.randrange(4, min(7, len(m.group()) - 2))
    return text[: m.start() + cut] + ("." if rng.random() < 0.6 else "") + text[m.end() :]


def _abbreviate(rng: random.Random, text: str) -> str:
    matches = list(_ABBR_WORD_RE.finditer(text))
    if not matches or rng.random() < 0.25:
        return _truncate_word(rng, text)
    m = rng.choice(matches)
    return text[: m.start()] + rng.choice(ABBREVIATIONS[m.group()]) + text[m.end() :]


def _registry_style(rng: random.Random, text: str) -> str:
    out = text.upper().replace(",", "")
    if rng.random() < 0.6:
        out = out.replace(".", "")
    if rng.random() < 0.3:
        out = _strip_accents(out)
    return " ".join(out.split())


# --------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    name1: str
    name2: str
    label: int
    kind: str  # main family, "immaterial:<family>" or "material:<family>"
    families: tuple[str, ...]  # every family applied (main first, then the noise)


class _Gen:
    def __init__(self, seed: int, bases: tuple[BaseName, ...]):
        self.rng = random.Random(seed)
        self.bases = bases
        self.vocab = sorted({w for b in bases for w in b.words if re.fullmatch(r"[A-Z][a-z]{3,}", w)})
        _SHORT_LOOKALIKES.clear()
        self.by_first: dict[str, list[str]] = {}
        for w in self.vocab:
            self.by_first.setdefault(w[0], []).append(w)
        self.by_tail: dict[str, list[str]] = {}
        for w in self.vocab:
            self.by_tail.setdefault(w[1:], []).append(w)
        self.idx_abbr = [i for i, b in enumerate(bases) if _ABBR_WORD_RE.search(" ".join(b.words))]
        self.idx_multi = [i for i, b in enumerate(bases) if 2 <= len(b.words) <= 4]
        self.idx_and = [i for i, b in enumerate(bases) if {"&", "and", "And", "und", "et"} & set(b.words)]
        self.idx_accent = [i for i, b in enumerate(bases) if _has_accents(" ".join(b.words))]
        self.idx_long = [i for i, b in enumerate(bases) if re.search(r"[^\W\d_]{6,}", " ".join(b.words))]
        _fill_short_lookalikes(self.vocab)
        self.idx_lookalike = [i for i, b in enumerate(bases) if any(_has_lookalike(w) for w in b.words)]
        self.idx_distinct = [i for i, b in enumerate(bases) if any(re.fullmatch(r"[A-Z][a-z]{3,}", w) for w in b.words)]
        stops = set(STOP_WORDS)
        self.idx_stop = [i for i, b in enumerate(bases) if any(w.casefold() in stops for w in b.words[1:-1])]
        self.idx_honor = [
            i
            for i, b in enumerate(bases)
            if b.words[0].casefold() not in _GENERIC_LOWER
            and b.words[0] not in HONORIFICS
            and b.words[0] != "Koninklijke"
        ]
        self.neighbours = self._neighbours()
        self.base_index = {id(b): i for i, b in enumerate(bases)}

    # ---- helpers ------------------------------------------------------------------------------
    def _neighbours(self) -> list[list[int]]:
        from rapidfuzz import fuzz, process

        stems = [" ".join(b.words).casefold() for b in self.bases]
        firsts = [s.split()[0] if s.split() else s for s in stems]
        scores = process.cdist(stems, stems, scorer=fuzz.token_set_ratio, dtype=None, workers=1)
        out: list[list[int]] = []
        for i, row in enumerate(scores):
            cands = []
            for j in row.argsort()[::-1][:40]:
                j = int(j)
                if j == i or stems[j] == stems[i] or row[j] < 45:
                    continue
                shares = bool(set(stems[i].split()) & set(stems[j].split())) or firsts[i][:4] == firsts[j][:4]
                if shares or row[j] >= 70:
                    cands.append(j)
            out.append(cands[:12])
        return out

    def _entity(self, idx: int | None = None, jur: str | None = None) -> tuple[Entity, BaseName]:
        rng = self.rng
        base = self.bases[rng.randrange(len(self.bases)) if idx is None else idx]
        if jur is None:
            jur = _jur_of_country(base.country)
            if rng.random() < 0.35:
                jur = rng.choice(sorted(JURISDICTIONS))
        ent = Entity(words=base.words, jur=jur, form=None, spelling=None)
        if rng.random() < 0.15:
            form = None  # many real names carry no legal form at all
        elif base.form is not None and base.form.jur == jur and rng.random() < 0.5:
            form = base.form
        else:
            form = _pick_form(rng, jur)
        ent = _with_form(rng, ent, form)
        if rng.random() < 0.03:
            ent = replace(ent, the=True)
        return ent, base

    def _house_style(self, text: str) -> str:
        """How the first side is written: mostly as-is, sometimes upper-case registry style."""
        r = self.rng.random()
        if r < 0.15:
            return text.upper()
        if r < 0.2:
            return _registry_style(self.rng, text)
        return text

    def _surface(self, family: str, text: str, ent: Entity | None = None) -> str:
        rng = self.rng
        if family == "case":
            return _case(rng, text)
        if family == "punctuation":
            return _punctuation(rng, text)
        if family == "spacing":
            return _spacing(rng, text)
        if family == "accents":
            return _accents(rng, text)
        if family == "typo":
            return _typo(rng, text)
        if family == "abbreviation":
            return _abbreviate(rng, text)
        if family == "registry_style":
            return _registry_style(rng, text)
        if family == "join_split":
            return _join_split(rng, text)
        raise KeyError(family)

    def _structural(self, family: str, ent: Entity) -> Entity:
        """IMMATERIAL changes to the structure (legal form spelling / position, The, and, word order)."""
        rng = self.rng
        if family == "form_spelling" and ent.form is not None:
            return replace(
                ent,
                spelling=_pick_spelling(rng, ent.form, avoid=ent.spelling, latin_only=True),
                comma=rng.random() < 0.15,
            )
        if family == "form_position" and ent.form is not None:
            if ent.spelling and ent.spelling.startswith("(publ)"):
                return ent
            return replace(ent, prefix=not ent.prefix, comma=False)
        if family == "the":
            return replace(ent, the=not ent.the)
        if family == "and_amp":
            and_word = _AND_WORDS.get(ent.jur, "and")
            words = list(ent.words)
            for i, w in enumerate(words):
                if w == "&":
                    words[i] = and_word
                    break
                if w.casefold() in {"and", "und", "et", "y", "en", "och"}:
                    words[i] = "&"
                    break
                if "&" in w and len(w) > 1:
                    words[i] = w.replace("&", f" {and_word} ")
                    break
            return replace(ent, words=tuple(" ".join(words).split()))
        return ent

    def _noise(self, ent: Entity, k: int, exclude: tuple[str, ...] = ()) -> tuple[str, list[str]]:
        fams = [f for f in _NOISE_FAMILIES if f not in exclude]
        chosen = self.rng.sample(fams, k) if k else []
        applied = []
        for f in chosen:
            if f in {"form_spelling", "form_position", "the", "and_amp"}:
                new = self._structural(f, ent)
                if new != ent:
                    applied.append(f)
                ent = new
        text = ent.render()
        for f in chosen:
            if f in {"form_spelling", "form_position", "the", "and_amp"}:
                continue
            new = self._surface(f, text)
            if new != text:
                applied.append(f)
            text = new
        return text, applied

    # ---- IMMATERIAL ---------------------------------------------------------------------------
    def immaterial(self, family: str) -> Record | None:
        rng = self.rng
        pick = {
            "abbreviation": self.idx_abbr,
            "and_amp": self.idx_and,
            "accents": self.idx_accent,
            "typo": self.idx_long,
            "word_order": self.idx_multi,
            "join_split": self.idx_long,
            "stopword": self.idx_stop,
            "honorific": self.idx_honor,
        }.get(family)
        idx = rng.choice(pick) if pick else None
        jur = None
        if family == "translit":
            jur = rng.choice(["RU", "RU", "RU", "GR"])
        elif family == "accents" and rng.random() < 0.3:
            jur = rng.choice(["FR", "DE", "ES", "SE"])
        a, base = self._entity(idx, jur)
        b = a
        text_a = a.render()
        extra_k = rng.choices([0, 1, 2, 3], weights=[0.35, 0.35, 0.2, 0.1])[0]
        if family == "acronym":
            acro, full = rng.choice(KNOWN_ACRONYMS)
            form = _pick_form(rng, rng.choice(sorted(JURISDICTIONS)))
            a = _with_form(rng, Entity(words=tuple(full.split()), jur=form.jur, form=None, spelling=None), form)
            b = replace(a, words=(acro,))
            if rng.random() < 0.3:
                b = replace(b, form=None, spelling=None)
            text_a, text_b = a.render(), b.render()
        elif family == "translit":
            table = _LAT2CYR if a.jur == "RU" else _LAT2GRK
            native = [s for s in a.form.spellings if not _is_latin(s)] if a.form else []
            b = replace(
                a,
                words=tuple(_translit(w, table) for w in a.words),
                spelling=rng.choice(native) if native and rng.random() < 0.85 else a.spelling,
            )
            text_a, text_b = a.render(), b.render()
            if rng.random() < 0.3 and b.prefix and b.spelling:
                text_b = f"{b.spelling} «{' '.join(b.words)}»"  # ООО «Газпром»
            elif rng.random() < 0.15 and a.prefix and a.spelling:
                text_a = f'{a.spelling} "{" ".join(a.words)}"'  # OOO "Gazprom"
        elif family == "place_variant":
            variants = rng.choice(PLACE_VARIANTS)
            va, vb = rng.sample(variants, 2)
            if rng.random() < 0.25:
                va, vb = f"({va})", f"({vb})"
            at = rng.choice([0, len(a.words)]) if rng.random() < 0.2 else len(a.words)
            a = replace(a, words=a.words[:at] + (va,) + a.words[at:])
            b = replace(a, words=a.words[:at] + (vb,) + a.words[at + 1 :])
            text_a, text_b = a.render(), b.render()
        elif family == "seat":
            if a.form is None or a.prefix:
                a = replace(_with_form(rng, a, _pick_form(rng, a.jur)), prefix=False)
            text_a = a.render()
            seat_jur = a.jur if a.jur in SEATS else rng.choice(sorted(SEATS))
            seat = rng.choice(SEATS[seat_jur])
            if rng.random() < 0.35:  # with a postal code, as in patent and registry addresses
                seat = f"{_postal_code(rng, seat_jur)} {seat}"
            if rng.random() < 0.1:
                seat = rng.choice(["P.O. Box", "Postbus", "Postfach", "BP"]) + f" {rng.randrange(1, 9999)}, {seat}"
            text_b = f"{text_a}, {seat}"
            if rng.random() < 0.4:
                text_b += ", " + rng.choice(_SEAT_COUNTRY[seat_jur])
            if rng.random() < 0.5:
                text_b = text_b.upper()
        elif family == "form_drop":
            if a.form is None:
                a = _with_form(rng, a, _pick_form(rng, a.jur))
            text_a = a.render()
            b = replace(a, form=None, spelling=None)
            text_b = b.render()
        elif family == "word_order":
            words = list(a.words)
            r = rng.random()
            if r < 0.6 or a.form is None:
                # registry style: first word moved to the end, after the legal form ("BOSCH GMBH ROBERT")
                rest = " ".join(words[1:])
                text_b = f"{rest} {a.spelling} {words[0]}" if a.spelling and not a.prefix else f"{rest} {words[0]}"
                if a.spelling and a.prefix:
                    text_b = f"{a.spelling} {text_b}"
                if rng.random() < 0.6:
                    text_b = text_b.upper()
            elif r < 0.8:
                text_b = f"{words[-1]}, {' '.join(words[:-1])}" + (f" {a.spelling}" if a.spelling else "")
            else:
                b = replace(a, prefix=not a.prefix, comma=False)
                text_b = b.render()
        elif family == "numeral_style":
            n = rng.randrange(1, 10)
            style = rng.random()
            if style < 0.5:
                head = rng.choice(FUND_WORDS)
                a = replace(a, words=a.words + tuple(head.split()) + (ROMANS[n - 1],))
                b = replace(a, words=a.words[:-1] + (str(n),))
            else:
                a = replace(a, words=(ORDINALS[n - 1],) + a.words)
                b = replace(a, words=(ORD_SUFFIX[n - 1],) + a.words[1:])
            text_a, text_b = a.render(), b.render()
        elif family in {"form_spelling", "the", "and_amp"}:
            if family == "form_spelling" and rng.random() < 0.15:
                # one form written in two languages (Swiss AG / SA, Belgian NV / SA, Finnish Oy / Ab)
                ml = FORM_BY_KEY[rng.choice(_MULTILINGUAL_FORMS)]
                sa, sb = rng.sample(ml.spellings, 2)
                a = _with_form(rng, replace(a, jur=ml.jur), ml, sa)
                b = replace(a, spelling=sb)
                if a.prefix and sb.startswith("(publ)"):
                    return None
            elif family == "form_spelling" and (a.form is None or len(a.form.spellings) < 2):
                return None
            else:
                b = self._structural(family, a)
            if family == "form_spelling" and b.spelling == a.spelling and rng.random() < 0.2:
                # transliterated / native spelling of the same form (ООО / OOO / LLC)
                b = replace(b, spelling=_pick_spelling(rng, a.form, avoid=a.spelling))
            text_a, text_b = a.render(), b.render()
        elif family == "truncation":
            if a.form is not None and not a.prefix and rng.random() < 0.5:
                a = replace(a, spelling=max(a.form.spellings, key=len))  # spelled-out forms are what gets cut
            text_a = a.render()
            if rng.random() < 0.5:
                text_a = text_a.upper()
            first = len(a.words[0]) + (len(a.spelling) + 1 if a.prefix and a.spelling else 0) + (4 if a.the else 0)
            limits = [n for n in TRUNCATION_LIMITS if first + 3 <= n <= len(text_a) - 2]
            if not limits:
                limits = list(range(first + 3, len(text_a) - 1))
            if not limits:
                return None
            n = rng.choice(limits)
            # registries cut at a character count, mostly mid-word; a cut at a word boundary would look like a
            # removed qualifier (MATERIAL), so it is moved into the next word
            while n < len(text_a) - 1 and not (text_a[n - 1].isalnum() and text_a[n].isalnum()):
                n += 1
            if n >= len(text_a) - 1:
                return None
            text_b = text_a[:n]
        elif family == "honorific":
            dutch = a.jur in {"NL", "BE"} or rng.random() < 0.3
            h = rng.choices(HONORIFICS, weights=[4, 0, 1, 1, 0.5] if dutch else [0, 1, 0, 0, 0])[0]
            a = replace(a, words=(h,) + a.words)
            if rng.random() < 0.2:
                other = "Royal" if h != "Royal" else "Koninklijke"
                b = replace(a, words=(other,) + a.words[1:])  # Koninklijke / Royal: the same honorific translated
            else:
                b = replace(a, words=a.words[1:])
            text_a, text_b = a.render(), b.render()
        elif family == "initials":
            given = rng.choice(GIVEN_NAMES)
            a = replace(a, words=(given,) + a.words)
            initial = given[0] + ("." if rng.random() < 0.8 else "")
            b = replace(a, words=(initial,) + a.words[1:])
            text_a, text_b = a.render(), b.render()
        elif family == "stopword":
            stops = set(STOP_WORDS)
            slots = [i for i, w in enumerate(a.words[1:-1], 1) if w.casefold() in stops]
            if not slots:
                return None
            i = rng.choice(slots)
            b = replace(a, words=a.words[:i] + a.words[i + 1 :])
            text_a, text_b = a.render(), b.render()
        elif family == "status_note":
            # (former and trading names, "formerly Foo Ltd" / "t/a Foo", are not generated: to the features they
            # are a second name, indistinguishable from a different entity; see data/README.md)
            text_a = a.render()
            note = rng.choice(STATUS_NOTES)
            sep = " " if note.startswith(("(", "-")) else rng.choice([" ", ", "])
            text_b = f"{text_a}{sep}{note}"
        else:  # surface families
            text_b = self._surface(family, text_a)
        families = [family]
        if extra_k:
            noise_from = b if family not in {"word_order"} else None
            if noise_from is not None and family not in {"translit", "acronym", "seat", "truncation", "status_note"}:
                text_b2, applied = self._noise(noise_from, extra_k)
                if family in {
                    "case",
                    "punctuation",
                    "spacing",
                    "accents",
                    "typo",
                    "abbreviation",
                    "registry_style",
                    "join_split",
                }:
                    text_b2 = self._surface(family, text_b2)
                text_b = text_b2
                families += applied
            else:
                for f in rng.sample(["case", "punctuation", "spacing"], extra_k):
                    text_b = self._surface(f, text_b)
                    families.append(f)
        text_a = self._house_style(text_a)
        if text_a == text_b or (_squash(text_a) == _squash(text_b) and family != "spacing"):
            return None
        return self._record(text_a, text_b, 0, "immaterial:" + family, families)

    # ---- MATERIAL -----------------------------------------------------------------------------
    def material(self, family: str) -> Record | None:
        rng = self.rng
        lookalike = family == "substitution" and rng.random() < 0.45
        idx = None
        if family == "substitution":
            idx = rng.choice(self.idx_lookalike if lookalike else self.idx_distinct)
        a, base = self._entity(idx)
        b = a
        if family == "form_class" and rng.random() < 0.4:
            # easily confused forms of one jurisdiction: ASA / AS, SARL / SAS, GmbH / AG, Ltd / plc
            ka, kb = rng.choice(CONFUSABLE_FORMS)
            if rng.random() < 0.5:
                ka, kb = kb, ka
            fa, fb = FORM_BY_KEY[ka], FORM_BY_KEY[kb]
            a = _with_form(rng, replace(a, jur=fa.jur), fa)
            sp = _pick_spelling(rng, fb, latin_only=True)
            if not forms_materially_different((fa, a.spelling or ""), (fb, sp)):
                return None
            b = replace(_with_form(rng, a, fb, sp), prefix=a.prefix and fb.prefix > 0)
        elif family == "form_class":
            if a.form is None:
                a = _with_form(rng, a, _pick_form(rng, a.jur))
            cands = [f for f in (JURISDICTIONS[a.jur] if rng.random() < 0.75 else FORMS) if f is not a.form]
            rng.shuffle(cands)
            for f in cands:
                sp = _pick_spelling(rng, f, latin_only=True)
                if forms_materially_different((a.form, a.spelling), (f, sp)):
                    b = replace(_with_form(rng, a, f, sp), prefix=a.prefix and f.prefix > 0)
                    break
            else:
                return None
        elif family == "qualifier":
            pool = QUALIFIERS_PLACE if rng.random() < 0.45 else QUALIFIERS_BUSINESS
            q = rng.choice(pool)
            existing = [i for i, w in enumerate(a.words) if w in QUALIFIERS_BUSINESS or w in QUALIFIERS_PLACE]
            if existing and len(a.words) > 1 and rng.random() < 0.35:
                i = rng.choice(existing)
                b = replace(a, words=a.words[:i] + a.words[i + 1 :])  # qualifier removed
            elif q.casefold() in " ".join(a.words).casefold():
                return None
            elif pool is QUALIFIERS_PLACE and rng.random() < 0.25:
                b = replace(a, words=a.words + (f"({q})",))
            elif pool is QUALIFIERS_PLACE and rng.random() < 0.15:
                b = replace(a, words=(q,) + a.words)
            else:
                b = replace(a, words=a.words + tuple(q.split()))
            if rng.random() < 0.2 and b.form is not None:
                # a subsidiary often has its own (same-class) spelling of the form: noise, not the signal
                b = replace(b, spelling=_pick_spelling(rng, b.form, latin_only=True))
        elif family == "parent_subsidiary":
            p, s = rng.choice(PARENT_SUB)
            if rng.random() < 0.5:
                p, s = s, p
            words = tuple(w for w in a.words if w not in {p, s})
            a = replace(a, words=words + tuple(p.split()))
            b = replace(a, words=words + tuple(s.split()))
            if s in QUALIFIERS_PLACE and rng.random() < 0.5:
                b = _with_form(rng, b, _pick_form(rng, b.jur))
        elif family == "number":
            a, b = self._number_pair(a)
        elif family == "substitution":
            words = list(a.words)
            slots = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Z][a-z]{3,}", w)]
            if lookalike:
                slots = [i for i, w in enumerate(words) if _has_lookalike(w)]
            i = rng.choice(slots)
            old = words[i]
            if lookalike:
                new = _near_word(rng, old)
                if new is None or new == old:
                    return None
                words[i] = new
            elif rng.random() < 0.2:
                # an added distinctive word
                new = rng.choice(self.vocab)
                if new in words:
                    return None
                words.insert(rng.choice([i, i + 1]), new)
            elif rng.random() < 0.5:
                # a look-alike distinctive word: Westfield / Eastfield, Sunrise / Sunset, Vega / Vela
                new = _near_word(rng, old)
                if new is None or new == old:
                    return None
                words[i] = new
            else:
                same_initial = self.by_first.get(old[0], [])
                pool = same_initial if same_initial and rng.random() < 0.6 else self.vocab
                new = rng.choice(pool)
                if new == old or _edit_distance(new.lower(), old.lower()) <= 1:
                    return None
                words[i] = new
            b = replace(a, words=tuple(words))
        elif family == "different_entity":
            # an unrelated entity: sometimes in another script, sometimes an acronym that is not this name's,
            # so that "no word in common", "different scripts" and "acronym-like" never mean "same entity"
            other = self.bases[rng.randrange(len(self.bases))]
            if " ".join(other.words).casefold() == " ".join(a.words).casefold():
                return None
            r = rng.random()
            if r < 0.25:
                acro, full = rng.choice(KNOWN_ACRONYMS)
                other_acro, other_full = rng.choice(KNOWN_ACRONYMS)
                if acro == other_acro:
                    return None
                a = replace(a, words=(acro,))
                b = replace(a, words=tuple(other_full.split()) if rng.random() < 0.5 else other.words)
                if rng.random() < 0.5:
                    b = _with_form(rng, b, _pick_form(rng, b.jur) if rng.random() < 0.5 else None)
            elif r < 0.45:
                jur = rng.choice(["RU", "RU", "GR"])
                form = _pick_form(rng, jur)
                native = [x for x in form.spellings if not _is_latin(x)]
                table = _LAT2CYR if jur == "RU" else _LAT2GRK
                b = Entity(
                    words=tuple(_translit(w, table) for w in other.words),
                    jur=jur,
                    form=form,
                    spelling=rng.choice(native) if native else form.spellings[0],
                    prefix=rng.random() < 0.6,
                )
                a = _with_form(rng, replace(a, jur=jur), form if rng.random() < 0.5 else None)
            else:
                b = _with_form(
                    rng,
                    replace(a, words=other.words),
                    a.form
                    if rng.random() < 0.5
                    else _pick_form(rng, rng.choice(sorted(JURISDICTIONS)))
                    if rng.random() < 0.7
                    else None,
                )
        elif family == "similar_entity":
            i = self.base_index[id(base)]
            if not self.neighbours[i]:
                return None
            other = self.bases[rng.choice(self.neighbours[i])]
            b = replace(a, words=other.words)
            if rng.random() < 0.3:
                b = _with_form(rng, b, a.form if rng.random() < 0.5 else _pick_form(rng, a.jur))
                if (
                    b.form is not None
                    and a.form is not None
                    and b.form != a.form
                    and not forms_materially_different((a.form, a.spelling or ""), (b.form, b.spelling or ""))
                ):
                    b = replace(b, form=a.form, spelling=a.spelling)
        elif family == "place_swap":
            pair = self._place_swap(a)
            if pair is None:
                return None
            a, b = pair
        elif family == "lookalike":
            b = self._lookalike(a)
            if b is None:
                return None
        elif family == "non_latin":
            return self._non_latin()
        else:
            raise KeyError(family)
        k = rng.choices([0, 1, 2, 3], weights=[0.2, 0.4, 0.3, 0.1])[0]
        exclude = ("form_spelling",) if family == "form_class" else ()
        if rng.random() < 0.5:
            text_a, applied = a.render(), []
            text_b, applied = self._noise(b, k, exclude)
        else:
            text_a, applied = self._noise(a, k, exclude)
            text_b = b.render()
        if family != "form_class" and rng.random() < 0.08 and b.form is not None:
            text_b = replace(b, form=None, spelling=None).render()  # legal form omitted on one side too
            applied = ["form_drop"]
        text_a = self._house_style(text_a)
        if _squash(text_a) == _squash(text_b):
            return None
        return self._record(text_a, text_b, 1, "material:" + family, [family, *applied])

    def _place_swap(self, a: Entity) -> tuple[Entity, Entity] | None:
        """One place for another (MATERIAL): Acme Europe / Acme Asia, Anglo American / Anglo Asian."""
        rng = self.rng
        places = [q for q in QUALIFIERS_PLACE if q not in _PLACE_SWAP_EXCLUDED]
        words = list(a.words)
        known = set(places) | set(PLACE_ADJECTIVES) | set(DIRECTIONS)
        slots = [i for i, w in enumerate(words) if w in known]
        r = rng.random()
        pool = places if r < 0.45 else PLACE_ADJECTIVES if r < 0.8 else DIRECTIONS
        if slots and rng.random() < 0.5:  # a place already in the name: swap it
            i = rng.choice(slots)
            old = words[i]
            pool = DIRECTIONS if old in DIRECTIONS else PLACE_ADJECTIVES if old in PLACE_ADJECTIVES else places
            new = rng.choice(pool)
            if _same_place(old, new):
                return None
            return a, replace(a, words=tuple(words[:i] + [new] + words[i + 1 :]))
        p1, p2 = rng.sample(pool, 2)
        if _same_place(p1, p2) or p1 in words or p2 in words:
            return None
        if pool is places:
            where = rng.random()
            if where < 0.25:
                p1, p2 = f"({p1})", f"({p2})"
                at = len(words)
            else:
                at = 0 if where < 0.35 else len(words)
        elif pool is DIRECTIONS:
            at = 0 if rng.random() < 0.8 else len(words)
        else:
            at = rng.choice([0, min(1, len(words)), len(words)])
        wa = tuple(words[:at]) + tuple(p1.split()) + tuple(words[at:])
        wb = tuple(words[:at]) + tuple(p2.split()) + tuple(words[at:])
        return replace(a, words=wa), replace(a, words=wb)

    def _lookalike(self, a: Entity) -> Entity | None:
        """A near-miss distinctive word (MATERIAL): Westfield / Eastfield, Sunrise / Sunset, Vega / Vela, Banner /
        Tanner: an affix swapped, a short word one letter off, or a changed first letter."""
        rng = self.rng
        words = list(a.words)
        slots = [i for i, w in enumerate(words) if _has_lookalike(w)]
        if slots and rng.random() < 0.5:
            i = rng.choice(slots)
            new = _near_word(rng, words[i])
        else:
            slots = [
                i
                for i, w in enumerate(words)
                if re.fullmatch(r"[A-Z][a-z]{2,}", w) and w.casefold() not in _GENERIC_LOWER
            ]
            if not slots:
                return None
            real = [i for i in slots if len(self.by_tail.get(words[i][1:], ())) > 1]
            if real and rng.random() < 0.7:  # a real word with another first letter: Banner / Tanner
                i = rng.choice(real)
                new = rng.choice([w for w in self.by_tail[words[i][1:]] if w != words[i]])
                words[i] = new
                return replace(a, words=tuple(words))
            i = rng.choice(slots)
            old = words[i]
            vowels, cons = "aeiou", "bcdfghklmnprstvwz"
            if len(old) <= 5 and rng.random() < 0.7:
                j = rng.randrange(len(old))
            else:
                j = 0  # another first letter makes another word even in a long one
            ch = old[j].lower()
            c = rng.choice([x for x in (vowels if ch in vowels else cons) if x != ch])
            new = old[:j] + (c.upper() if j == 0 else c) + old[j + 1 :]
        if new is None or new == words[i]:
            return None
        words[i] = new
        return replace(a, words=tuple(words))

    def _non_latin(self) -> Record | None:
        """MATERIAL pairs written in Cyrillic or Greek (or one side transliterated): ООО Газпром / ПАО Газпром."""
        rng = self.rng
        jur = "RU" if rng.random() < 0.75 else "GR"
        table = _LAT2CYR if jur == "RU" else _LAT2GRK
        a, base = self._entity(rng.choice(self.idx_distinct), jur)
        if a.form is None:
            a = _with_form(rng, a, _pick_form(rng, jur))
        b = a
        r = rng.random()
        kind = "non_latin"
        if r < 0.4:  # another legal form
            confusable = [p for p in CONFUSABLE_FORMS if p[0][0] == jur]
            if confusable and rng.random() < 0.6:
                ka, kb = rng.choice(confusable)
                if rng.random() < 0.5:
                    ka, kb = kb, ka
                a = _with_form(rng, a, FORM_BY_KEY[ka])
                fb = FORM_BY_KEY[kb]
            else:
                fb = _pick_form(rng, jur)
            if not forms_materially_different((a.form, a.spelling or ""), (fb, fb.spellings[0])):
                return None
            b = replace(_with_form(rng, a, fb), prefix=a.prefix)
        elif r < 0.6:  # another name
            i = self.base_index[id(base)]
            cands = self.neighbours[i] if self.neighbours[i] and rng.random() < 0.6 else None
            other = self.bases[rng.choice(cands)] if cands else self.bases[rng.randrange(len(self.bases))]
            if " ".join(other.words).casefold() == " ".join(a.words).casefold():
                return None
            b = replace(a, words=other.words)
        elif r < 0.8:  # a qualifier added
            q = rng.choice(QUALIFIERS_BUSINESS[:20] + ("Holding", "Invest", "Trade", "Energo", "Neft", "Bank"))
            if q.casefold() in " ".join(a.words).casefold():
                return None
            b = replace(a, words=a.words + tuple(q.split()))
        else:  # a number or another place
            pair = self._place_swap(a) if rng.random() < 0.4 else self._number_pair(a)
            if pair is None:
                return None
            a, b = pair

        def native(e: Entity) -> str:
            spell = [s for s in e.form.spellings if not _is_latin(s)] if e.form else []
            words = " ".join(_translit(w, table) for w in e.words)
            sp = rng.choice(spell) if spell else e.spelling
            if not sp:
                return words
            if e.prefix or jur == "RU":
                return f"{sp} «{words}»" if rng.random() < 0.3 else f"{sp} {words}"
            return f"{words} {sp}"

        text_a = native(a)
        text_b = native(b) if rng.random() < 0.7 else b.render()  # one side in Latin letters
        if rng.random() < 0.3:
            text_a = text_a.upper()
        if _squash(text_a) == _squash(text_b):
            return None
        return self._record(text_a, text_b, 1, "material:" + kind, [kind])

    def _number_pair(self, a: Entity) -> tuple[Entity, Entity]:
        rng = self.rng
        scheme = rng.random()
        n = rng.randrange(1, 9)
        m = rng.choice([x for x in range(1, 11) if x != n])
        if scheme < 0.3:  # Fund I / Fund II
            head = tuple(rng.choice(FUND_WORDS).split())
            wa = a.words + head + (ROMANS[n - 1],)
            wb = a.words + head + ((ROMANS[m - 1],) if rng.random() < 0.7 else ())
            if rng.random() < 0.2:
                wb = a.words + head + (str(m),)
        elif scheme < 0.5:  # First / Fourth
            wa, wb = (ORDINALS[n - 1],) + a.words, (ORDINALS[m - 1],) + a.words
        elif scheme < 0.7:  # 2 / 3
            wa, wb = a.words + (str(n),), a.words + ((str(m),) if rng.random() < 0.75 else ())
            if rng.random() < 0.3:
                year = rng.randrange(2005, 2026)
                wa = a.words + (f"{year}-{n}",)
                wb = a.words + (f"{year}-{m}",) if rng.random() < 0.7 else a.words + (f"{year + 1}-{n}",)
        elif scheme < 0.85:  # Series A / Series B
            head = rng.choice(SERIES_WORDS)
            la, lb = rng.sample("ABCDEFGH", 2)
            wa, wb = a.words + (head, la), a.words + (head, lb)
            if rng.random() < 0.3:
                wa, wb = a.words + (head, str(n)), a.words + (head, str(m))
        else:  # No. 1 / No. 2, or a number inside the name
            digits = [i for i, w in enumerate(a.words) if re.search(r"\d", w)]
            if digits:
                i = rng.choice(digits)
                w = a.words[i]
                nw = re.sub(r"\d", lambda d: str((int(d.group()) + rng.randrange(1, 9)) % 10), w, count=1)
                wa, wb = a.words, a.words[:i] + (nw,) + a.words[i + 1 :]
            else:
                wa, wb = a.words + ("No.", str(n)), a.words + ("No.", str(m))
        return replace(a, words=wa), replace(a, words=wb)

    # ---- records ------------------------------------------------------------------------------
    def _record(self, a: str, b: str, label: int, kind: str, families: list[str]) -> Record:
        if self.rng.random() < 0.5:
            a, b = b, a
        return Record(a, b, label, kind, tuple(dict.fromkeys(families)))


_IMM_WEIGHTS = {
    "case": 0.6,
    "punctuation": 0.9,
    "spacing": 0.4,
    "form_spelling": 1.8,
    "form_drop": 1.1,
    "and_amp": 0.5,
    "the": 0.4,
    "accents": 0.6,
    "translit": 0.8,
    "abbreviation": 1.0,
    "word_order": 0.8,
    "typo": 1.1,
    "acronym": 0.25,
    "numeral_style": 0.35,
    "registry_style": 0.9,
    "join_split": 0.5,
    "seat": 0.6,
    "place_variant": 0.4,
    "truncation": 0.6,
    "honorific": 0.35,
    "stopword": 0.35,
    "status_note": 0.15,
    "initials": 0.3,
}
_MAT_WEIGHTS = {
    "form_class": 2.2,
    "qualifier": 2.0,
    "number": 1.6,
    "substitution": 1.2,
    "similar_entity": 1.6,
    "parent_subsidiary": 0.9,
    "different_entity": 1.0,
    "place_swap": 0.8,
    "lookalike": 0.8,
    "non_latin": 0.6,
}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _pair_key(a: str, b: str) -> tuple[str, str]:
    a, b = _squash(a).casefold(), _squash(b).casefold()
    return (a, b) if a <= b else (b, a)


# SHA-1 prefixes (12 hex) of the pairs of the shared evaluation file dev_pairs.csv (key: both names
# whitespace-squashed and casefolded, sorted, joined by U+001F). The generator never emits one of them, so
# that evaluation set stays out of every training set even where a real name's simple variant happens to be
# one of its pairs (``Apple Inc.`` / ``Apple Incorporated``). Only hashes: the file itself is never read
# here. Recompute with ``python -m comparisons.engine.datagen --hash-pairs PATH``.
_EXCLUDED_PAIR_HASHES = frozenset(
    (
        "0012a53a5cc2 00130c6d0965 00187023727b 0040e5d8c1f3 0061493e35f8 0075693d1dd0 00770f22704b 007ab639e4ac "
        "0257a5f85c74 02866adaf8e1 03495da534de 037501ada3f7 039188ab36da 043cf2ffa3c2 046ad4bedd79 0473dd5e11d9 "
        "048328fe7d1e 049747906175 04ea4964cd2e 058d3b9a45a2 0674ead3b028 07293ba59620 07c75a28b403 08318198f4f4 "
        "08783743b407 08976a962caa 089a6d70bcd4 08af88132c30 08c8ba6f578a 0931e45c0f1f 0966ae2cb53a 09a5aaf25053 "
        "09af3f1c73e5 0a41ada09ddb 0b87bd73b6bb 0b97494e0536 0be7e256c07a 0c611ce07581 0c7ee547bee3 0c98ddf51acf "
        "0cc7bd4bf5f6 0da9a8984ba2 0dfa3b81a803 0e0ec2f7d5cc 0e1a4678a373 0e1a8f761546 0e3cfc128e6c 0eb0ecf801e2 "
        "0ee30c79e8b1 0f3eb38881c0 0f465f268ff0 0f6b26a15b97 0fb378f0839c 0fddeb6d2b6b 10255d6473fb 10491297f104 "
        "105de6748d8e 10fc88811b96 111a6d992857 1127b1571e6b 11453087e40c 118c86805c57 11c4651d9987 123ba1c17d25 "
        "125b69d13c04 12885fb3dd1f 1292d5f86d02 13b4567ab77d 13bfb3822876 13e4f94ee926 140e0631ed5b 1451c3999d64 "
        "1498896c8161 14b8998a8a8a 16367c2a9e89 16a4e456273d 172420880525 17447d48d543 174fd0d04ad6 17538289566e "
        "17ddd4d8d3cc 17ef8f194f65 1808ee5bbc93 18653ead3218 198d1054cf4d 1a2e1423f0a6 1a3a43312190 1a755ae8eeed "
        "1aa067c92cb5 1aa7ea74b1f6 1ac10d993261 1aeaa444e34e 1bb7cb123537 1c2a4ce0aa20 1c6da50a0ab3 1cbe013c6247 "
        "1ccfbcefa489 1d0078e0918c 1de552e84026 1debad7e792c 1df149e70333 1e1674006c58 1e7b70b63ed3 1eabeb31ba1f "
        "1ec5d5c23ddb 1ef6d24c4795 1efc8fb618cd 1f08e4ba07f8 1f0ee53db21f 1f330e19a06c 201c9849195b 20456c1ba5c2 "
        "20595f6d1ba9 207790e0b2f0 209cb15eb1f0 217bf002f108 229686ca8663 22d62b7bbdd2 23063dde7705 233e8f090a9e "
        "234db7973d9e 23fac34a38ee 241104942230 24b9cef7f8bb 24c0b8c157c9 24d8a032e337 24e479773e19 2558bce0bd41 "
        "2588ed5140ad 25c842f0de78 25f6e71d38a1 25fdc55cb8b2 261e93f75cdf 26c764e05f01 26d00f159d6d 2742382039b9 "
        "275b8eaa03df 27ec982ec391 289f18c253c3 28b5fcbec01e 28baf3fb8d3b 28c133497a56 28fe066267fd 29302c843915 "
        "2960b7702dd3 297b5d8e8bcb 29fd5ade8f3e 2a64fc1b7542 2ac5a885c1e2 2b1657109ffd 2b90b03dcfc5 2c1ad55075a7 "
        "2c5c668d328a 2c8cd895576b 2ce7c15fbd2d 2d03b4e3bda2 2dcdf17a0046 2ebb9fd6157d 2ed78f8876cb 2f4f29e00265 "
        "2f5ec0c0ba0c 2f84047f6fab 2fe39748b610 301768e4c436 305f06ff9c74 3122dcd38854 314973b635ce 3170087b8816 "
        "31dbf1cc7dd1 31e332002b28 32d487b04cc7 3313f8151b9d 33b94eef6f54 33e46aad3e82 345ab1471325 34fb1a5223e2 "
        "353b320c8b6b 35428f3ffcab 35567af38f74 35cc4f6fa6ad 35f63297f812 3736b98fad18 37c0af61d167 3816ec57a39c "
        "386d3793a673 387b896891d4 39278569a500 3961e99efcfe 3967019d7ea6 39fed7417eaf 3a57637dae57 3a99b948cc2c "
        "3ab5c8daa1d2 3ac93fc09b57 3b09bd27b28a 3b40c63a9dc5 3b9c607df95f 3c18a1019882 3c6cfebc7034 3c739f1c38e7 "
        "3c931a8631ae 3c9d9f1a748d 3d585fe3e68c 3d7e22aafd87 3dc72d756d14 3de08b771740 3e43948febb5 3e7e1778dce8 "
        "3ee3df56d05c 3ef2d3542b78 3f10579f70e2 3f53fd1ce0dc 3facb5d23935 403c5558856a 405d2670ef08 405dc39deb79 "
        "4156016a114f 41bf9cb57a39 420c4caeb2c7 422da500d325 425ab445a506 4262cc411fbd 42f431ae3bce 4330aa899e19 "
        "43814be3a408 43ca259ebc42 43cbc94f33ef 43fe97b29779 440e73c9392b 4440907827e4 445c3b3ba803 44ec9db6d01d "
        "4547d822b704 45c3ad75de8d 45ed117f579a 45fdcbb58f2e 4640aa5b7b1b 4690fb738dcb 46915b6b793f 46b88fcb6a12 "
        "470be62bf183 4729f9375c68 47a318b954f9 48303cfa702a 4890fa53f316 48ae4baea9a8 48b848834695 497fab06e052 "
        "4a26d36e0d42 4a4cd3a80751 4ae3b044903c 4b6f800d438a 4b96bb61666c 4c35a98e4b02 4cd1dbe17ef9 4cf907956e2a "
        "4ee750eb90d9 4f9a1c07f141 4fc35bb51866 4ffba51bfd92 50ccd46a8717 50d0bd6c5a51 517b2583d554 52020a47b1d0 "
        "52b40d0450b2 52c9113dbfb3 52c9bc5e69b3 52fd6c8ff831 52ff566f2b50 530057984564 5353d772e3d5 539359279d06 "
        "546cce4b4ded 54f7ac54674c 5532607a0b2e 553ab0cf82df 55a5e36dfa38 55aa583a6797 563811f76b5b 565304c2491b "
        "565842ee3711 565efd9c6b4b 56717fcac94e 569e8f307d99 570186305b18 57d79824d142 58081c401041 587d2d24cf3b "
        "58d6c1b7db0a 5938647ea954 597a239a258f 59c0e420ce22 5a0561e3fb9f 5a210fe99424 5a655b1fb811 5a793c1fb58b "
        "5a995cff840f 5b24104dc85a 5b622153c4e8 5c116caf43da 5c154a360576 5c4f43550c04 5ca8bb6d3a89 5ce9baeb45cb "
        "5d5827f77055 5d93445a3276 5e5fdeeb92f0 5e7b4f0d1c51 5ed722cf27cf 5f0fa4bdac6d 5f12163db788 60e0c9d1ac16 "
        "60f3e7822311 61762106ccd9 61f98a20b001 62564773e5de 62d4a3b7975f 63aae572c79f 63acd384e021 63e44be23a2b "
        "64585d9bdc2f 647098897634 650268edbe1b 65327130006e 658803bbe9d1 65a6e950f207 65b1a546c63c 66152f2fdc63 "
        "661a2e0d90b8 6672d8d35ef7 67086cbb10a4 67115a042396 6719a6088bae 6723b438ac3e 67769cb25b13 678df0b1a261 "
        "67bd0d0c8b38 691db76d4475 693508812b77 6a606e2da211 6a876f911c81 6bad1adb7ec2 6c17b0eebbb6 6c6faeaf5813 "
        "6ccc4308e3a7 6cccb039ddbe 6ce3c71145d8 6d1d9c7d47ad 6d5192e4d4d3 6d55af986017 6d5f37dc4fca 6db19153f531 "
        "6de040cc31b6 6e56d53716fb 6ebc6dbaab3f 6f1a0052fd45 6f2d1168ea31 6f4f94ea00b1 70d65eca7d12 718202091edc "
        "7204926787f1 727149f83914 72b84a8abb34 7348f6239422 735007908579 74f6034afbc1 75232c150b57 7637ee3e9bad "
        "76efc393bde9 771503930591 773f52d9048f 7742d53eb1eb 782dc3fe5cd0 785dfe490aa0 7862dc255ac2 786eaca48673 "
        "78f4b4a69b5f 799dabc3a3ee 799e1faee3e6 79d4ab6154fa 7b23ecef9409 7b4899be751a 7c4ee5218815 7cb528a6638b "
        "7cb93c087d41 7cedacc83fda 7dee05d6a6e1 7e39d99de61a 7f25ee203e72 7fd9efc7c10f 7fed9ea7de05 809060c5c744 "
        "81094267be74 8123af9425f9 81da0a4f1b61 81e41ba8a917 824aad31ad35 825322f556b4 829f82c71016 8385527717bf "
        "8396dead6830 848721a719be 84c1e6816a85 853c68c9f57e 854996df1447 85affaf505ae 85d9758e3855 85f2fb99180f "
        "86504fda77f1 86694b55045b 867140e6b67f 86e478ff99d4 873180e2b5ba 87b57a5f41b8 8831c67d68dd 88371b85326f "
        "88c2bbc668d0 88c7396b9bee 89a51d36aa65 89b59186906a 89f8bec8665b 8a0c1efc269b 8a45e21cd36f 8a4673239645 "
        "8a8078d18c6b 8a8821cd850c 8a884197092d 8aca77f5c25c 8af54f1e223c 8b21356946c3 8b40bb90ce70 8b42a54c60d7 "
        "8b84d084ebe0 8b9f2ce24d77 8bdf9baaa285 8c5e899092a4 8ca6cc8142ab 8cb040851005 8cc449a9c76c 8cf637f67543 "
        "8d506d775dad 8dae28613bf5 8dcd650fb6eb 8dee1a69b0e8 8e45a83f6278 8eee7efa3538 9077cc8e952d 907eae34d83d "
        "90ddad536100 90ffef1002fc 9143a51b7bb9 914902c04a94 91a078dd5b46 92308a69663f 93e47c782f9c 947b358a43da "
        "949822cf5f14 94d90dab602e 94ec85e31c6f 95206053579f 973dcacf54fd 97432eb38ccb 97496df777e6 9792c2204e22 "
        "980fc02aaffd 9823f9e299e9 9848658e6416 98cdd63becb3 99cd975f7460 99e517b4887f 9a4eaebc23c9 9a97aadc9894 "
        "9a9edf5ee954 9ab564db20a3 9c6c1023239b 9c98e9f6dc1a 9d10885d90df 9d4b2f4fb0af 9d6794ad1a29 9d92bcba6895 "
        "9dab1fe2ac91 9dadb9d9e859 9f65c35009c1 9f6e381badf0 9f75804751fe 9fb4f44a6639 9fbd17ff85ce 9fd8a9d98827 "
        "a045128f1a0e a0680e87595c a0abe66fd654 a0f39a0dca4c a11149b62e47 a19b3cee373e a1a05c456493 a1fa36f4c431 "
        "a3df79f3ea6e a3e3744442f8 a3f4eb055adc a41669148f1d a50b4e26b4c9 a5848cf86a6a a5e61ecd57af a60fbad66971 "
        "a6c72ee65058 a6dd0da72b24 a6ea97193206 a72a43c4c992 a73560da9f38 a7372d8ff8de a7624b9c05fc a8d5b20e8168 "
        "a8e9d154652b a8f7c82c991f a900c602345a a9248ab55bbd a94d5fe62824 a9b983c0b7cb a9d2dec973f1 aa279a2f065b "
        "ab188fadf67e ab34bc5875c0 ab5729a5c909 ab9b058b839e abbf09a399bd abf8a78e1ef0 ace493b703c6 ad9d77eef80c "
        "add6947292b2 ae093c5d335c ae94d41b6405 ae9c7200b3c0 af8217f07875 b0e6ab665e17 b160074a1fe3 b1b548578ce1 "
        "b1d4a7672fb7 b22d99c5bb86 b2da4e9b5eb6 b2eec21bccbd b2f9fcac598f b3116a7926a1 b395d2683722 b3d9c291c0e3 "
        "b45df4e2f5bc b4826daead82 b5645525bb89 b5aa2b350e0e b5de0683b97d b661c4391481 b6b423782837 b6f1b2d28f16 "
        "b8974235cebb b92b2f0b4b8c b93ba82dc844 b93e0c0d4299 b98845710139 b993da8797f4 b9cf9aeccca0 b9d2ed96644e "
        "b9d65dbc7b62 b9e438733874 bac466727f46 baf530974390 bb8c3402f1a7 bcb534411476 bd333870279d bd753157c1dc "
        "bebda9325ce4 bf6a4a95f626 bfb0acab8f9d bff72e995941 bffc778d3e7a c02b63877276 c0b2789204d4 c128d67903e7 "
        "c1d76dbca87b c2b909901b29 c2f694831e2c c31d9fe6ed4a c34d9c5d9e3d c38b14f787e1 c5030e3beee3 c5acf8d68d00 "
        "c5de84e8bcbb c5e38f5fdcfa c653e5e8ac50 c658fe5e07e2 c6eac6b9fa19 c6fc43faed99 c6ff4af47ec9 c76be9888700 "
        "c790ec661b56 c7d8483db9ce c7ebf588f799 c8027e963ab1 c822d2bcfd6c c8777cc065ad c885a87e716a c89802bdcf29 "
        "c90a02655c0c c9395b8fcf79 c9a3af066675 ca7d87d829fc cb43c8b50b3b cbb399d04883 cbe26bb1a2d1 cc1d5a613fc3 "
        "cca34a92d51e cd95bafb2597 cdda9ffb4a67 cdf264fd6354 ce708e91f650 ceb309f6b7cd cf1a70cf4446 cf45b55bf943 "
        "cf53e296d387 cf685a4a792c cfd4121122cf d00ba392d705 d07c39303dfe d0a23b8fd4ba d0b1f77e2232 d0dbd294bc53 "
        "d10c94eb4608 d19b63800bc0 d1e28ae77ce9 d23a02cfcfba d34ebfa64825 d356b1c7f23c d382f4205a64 d3be4ffe6ce1 "
        "d3be8f91e202 d3cc05e8ef1c d401cc912719 d4ee443596bc d598080f5c42 d5b9c8d5f6f0 d5c01928fcef d5cc484dd0cb "
        "d712aa3a5e59 d79feb1cf1e7 d8539b650052 d8db73f9ab3a d9947a2dbad9 d9a1e7ac8b36 d9ca226e4adb d9f0f79904b1 "
        "da26f0fd84c1 db896ae7fb03 db8a0e4ac445 db9e6b57b172 dbf323e34ff2 dc76d1acf129 dc8c3f2fa693 dc8c598958e7 "
        "dd3b56773f9a dd521e9e026c dd5a961544bc de0263a09dae de109f08b77e de31c77359c1 df2406ab4d3b dfb600f0796e "
        "e05f5c43af73 e0aa0600adcd e0c4e2fb527c e0c8ac866988 e0f53c7fe885 e10451b3c6b2 e16d6c3a59d0 e2b538dbe6bb "
        "e2d34d46eac7 e2f51a491991 e31624a180ba e337bfa3a2b8 e39d1bead871 e3aeb5712677 e3cc09a54ec2 e3d9a66963dd "
        "e47773b47ce8 e47b4ef0a2fc e4b03936060e e4d1611c37f1 e55f6f267d88 e5a517a465ae e5acb78edcfa e5b3d6d53364 "
        "e5b601245873 e617da3f4f49 e696f970079a e697465904b2 e6987c851485 e6e8d6fedb05 e82d52767fad e83228cdeff2 "
        "e83bc3a470ee e88b1c1d6961 e8ba0b199fea e8badf091c23 e964242a6137 e978b668a8b7 e9ec382a3c3d e9f7b598bb68 "
        "ea125b0269de ea41cb957f0a eaa4c6b84a9a eb17aab340e3 eb3f5af32001 ebb5d88c124b ebb756de6f49 ebe0206ef673 "
        "ec1f3b3cd33a ecaf909b9bea ece9153adcc9 ed0141aae8f6 ed022ef9a03e ed4ca3fb9e4a ed98b9731b3b eddbc8f09984 "
        "eea2405c4465 ef2af243b6b8 ef5a8fe56215 efbd40b62040 f02dd9f396b4 f0ad0fd8c66b f103b9fe038f f1aa79358a51 "
        "f2c79e5be298 f321bf888574 f32bbc6eed1d f406234eca6f f414c4e67e40 f428e297577e f44634d900b9 f45d4c578e55 "
        "f50eb21e9ab3 f5afb1dbb224 f606a6e7b4f1 f61dd545927f f6b5edaa6026 f6ffda2194f2 f7204e10bae6 f89c15f31f5d "
        "f8da367cf9f7 f8ff4ffe91cc f91a08f8a334 f92ce972a475 f93f7f28d650 f9b1ca784e4a fa3296882a3e fa6e281b61ca "
        "fb097c96affa fbd9e7c2569f fc14fc6f0f8b fc537b8c5d2d fcded6d11bde fcf0d0e3d0c7 fdd95da78e17 fe6317318969 "
        "fe840ea5bf62 "
    ).split()
)


def _pair_hash(key: tuple[str, str]) -> str:
    return hashlib.sha1("\x1f".join(key).encode()).hexdigest()[:12]


def hash_pairs_file(path: str | Path) -> list[str]:
    """The exclusion hashes of a ``name1,name2,...`` CSV (to refresh ``_EXCLUDED_PAIR_HASHES``)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        return sorted({_pair_hash(_pair_key(r["name1"], r["name2"])) for r in csv.DictReader(fh)})


_AFFIX_SWAPS = (
    ("North", "South"),
    ("East", "West"),
    ("Northern", "Southern"),
    ("Eastern", "Western"),
    ("Sun", "Moon"),
    ("Upper", "Lower"),
    ("New", "Old"),
    ("Great", "Little"),
    ("Blue", "Green"),
    ("Red", "Black"),
    ("White", "Black"),
    ("Silver", "Gold"),
    ("High", "Low"),
    ("Micro", "Macro"),
    ("Mid", "Low"),
    ("First", "Last"),
    ("Rise", "Set"),
    ("rise", "set"),
    ("field", "wood"),
    ("land", "mark"),
    ("berg", "burg"),
    ("stone", "rock"),
    ("tech", "tek"),
    ("gen", "tec"),
    ("bridge", "gate"),
    ("ford", "ton"),
)


_GENERIC_LOWER = frozenset(w.casefold() for w in QUALIFIERS_BUSINESS) | frozenset(
    "bank banco banque group groupe gruppe grupo company corp the and und of de la le van von der den".split()
)


def _has_lookalike(word: str) -> bool:
    if not re.fullmatch(r"[A-Z][a-z]{2,}", word):
        return False
    return word in _SHORT_LOOKALIKES or any(
        word.startswith(a) or word.endswith(a) or word.startswith(b) or word.endswith(b) for a, b in _AFFIX_SWAPS
    )


# Short real words one letter apart (Vega / Vela, Nova / Nora): filled from the base names' vocabulary.
_SHORT_LOOKALIKES: dict[str, list[str]] = {}


def _fill_short_lookalikes(vocab: list[str]) -> None:
    from rapidfuzz.distance import Levenshtein

    if _SHORT_LOOKALIKES:
        return
    generic = {w.casefold() for w in QUALIFIERS_BUSINESS} | {
        "banc",
        "banco",
        "groupe",
        "gruppe",
        "grupo",
        "home",
        "homes",
        "asset",
        "assets",
        "corp",
        "company",
    }
    # 5 letters at most: one edit in a word of 6+ letters is a typo (IMMATERIAL), see ``_typo``
    short = [w for w in vocab if len(w) <= 5 and w.casefold() not in generic]
    for w in short:
        near = [
            v
            for v in short
            if v != w
            and abs(len(v) - len(w)) <= 1
            and Levenshtein.distance(v, w) == 1
            and not (v.startswith(w) or w.startswith(v))
        ]  # not a plural / language variant (Asset / Assets)
        if near:
            _SHORT_LOOKALIKES[w] = near


def _near_word(rng: random.Random, word: str) -> str | None:
    """A different real-looking word like ``word``: an affix swapped, or a short vocabulary word one letter off."""
    swaps = [
        (a, b)
        for a, b in _AFFIX_SWAPS + tuple((b, a) for a, b in _AFFIX_SWAPS)
        if word.startswith(a) or word.endswith(a)
    ]
    if swaps and (word not in _SHORT_LOOKALIKES or rng.random() < 0.5):
        a, b = rng.choice(swaps)
        return b + word[len(a) :] if word.startswith(a) else word[: -len(a)] + b
    if word in _SHORT_LOOKALIKES:
        return rng.choice(_SHORT_LOOKALIKES[word])
    return None


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _edit_distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def _excluded_pairs() -> set[tuple[str, str]]:
    """Pairs of the committed golden set: never generated (the golden set is evaluation only)."""
    if not GOLDEN_CSV.is_file():
        return set()
    with GOLDEN_CSV.open(newline="", encoding="utf-8") as fh:
        return {_pair_key(r["name1"], r["name2"]) for r in csv.DictReader(fh) if r.get("name1") and r.get("name2")}


def generate_labelled(
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    material_share: float = DEFAULT_MATERIAL_SHARE,
    base_names: str | Path | None = None,
) -> list[Record]:
    """``n`` distinct labelled pairs with the family that made each (deterministic for a given seed)."""
    if n < 1:
        raise ValueError("n must be positive")
    gen = _Gen(seed, load_base_names(str(base_names) if base_names else None))
    rng = gen.rng
    excluded = _excluded_pairs()
    seen: set[tuple[str, str]] = set()
    out: list[Record] = []
    imm_f, imm_w = zip(*_IMM_WEIGHTS.items(), strict=True)
    mat_f, mat_w = zip(*_MAT_WEIGHTS.items(), strict=True)
    n_mat = round(n * material_share)
    targets = {1: n_mat, 0: n - n_mat}
    counts = {0: 0, 1: 0}
    attempts = 0
    while counts[0] + counts[1] < n:
        attempts += 1
        if attempts > 20 * n + 1000:
            raise RuntimeError("could not generate enough distinct pairs")
        label = 1 if counts[1] < targets[1] and (counts[0] >= targets[0] or rng.random() < material_share) else 0
        make: Callable[[str], Record | None]
        if label:
            family, make = rng.choices(mat_f, weights=mat_w)[0], gen.material
        else:
            family, make = rng.choices(imm_f, weights=imm_w)[0], gen.immaterial
        rec = make(family)
        if rec is None or not rec.name1.strip() or not rec.name2.strip():
            continue
        key = _pair_key(rec.name1, rec.name2)
        if _alnum(key[0]) == _alnum(key[1]):
            # differs in case / spacing / punctuation only: teaches nothing that normalisation does not do (such
            # variants still appear stacked on other changes)
            continue
        if key in seen or key in excluded or _pair_hash(key) in _EXCLUDED_PAIR_HASHES:
            continue
        seen.add(key)
        out.append(rec)
        counts[rec.label] += 1
    return out


def generate_pairs(
    n: int = DEFAULT_N, seed: int = DEFAULT_SEED, material_share: float = DEFAULT_MATERIAL_SHARE
) -> list[tuple[str, str, int]]:
    """``n`` distinct ``(name1, name2, label)`` pairs, label 1 = MATERIAL; same seed, same list."""
    return [(r.name1, r.name2, r.label) for r in generate_labelled(n, seed, material_share)]


def write_csv(records: list[Record], out) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["name1", "name2", "label", "source"])
    for r in records:
        w.writerow([r.name1, r.name2, r.label, r.kind])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate labelled legal-name pairs (label 1 = MATERIAL).")
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", default="-", help="CSV path (name1,name2,label,source); '-' for stdout")
    parser.add_argument("--hash-pairs", metavar="PATH", help="print the exclusion hashes of a pairs CSV and exit")
    args = parser.parse_args(argv)
    if args.hash_pairs:
        print(" ".join(hash_pairs_file(args.hash_pairs)))
        return 0
    records = generate_labelled(args.n, args.seed)
    if args.out == "-":
        write_csv(records, sys.stdout)
    else:
        with open(args.out, "w", newline="", encoding="utf-8") as fh:
            write_csv(records, fh)
        n1 = sum(r.label for r in records)
        print(
            f"wrote {len(records)} pairs ({n1} material, {len(records) - n1} immaterial) to {args.out}", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
