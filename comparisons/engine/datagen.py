"""Reproducible training pairs for the comparison engine.

Reads only the committed ``data/base_names.csv`` (real company names, see ``data/README.md``) and builds
labelled pairs (label 1 = MATERIAL, 0 = IMMATERIAL) by transformations that follow the policy in
ARCHITECTURE "The verdict":

* IMMATERIAL (0): case, punctuation, spacing, another spelling of the *same* legal form, the legal form
  left out on one side, ``&``/``and``, a leading ``The``, accents and umlaut transcription, Cyrillic/Greek
  transliteration, common abbreviations, word order, one small typo in a long word, a known real acronym,
  the same number written in another numeral style. Several are often stacked.
* MATERIAL (1): a legal form of another class, a qualifier added or removed (Holdings, Bank, UK,
  Deutschland, ...), a number / ordinal / series change, one distinctive word substituted or added, a
  different real entity with a similar name, parent vs subsidiary. Material pairs carry immaterial noise
  on top, so that "the surface changed" never by itself means "immaterial".

Plain Python (no Django); ``rapidfuzz`` only for the similar-entity neighbours.

    python -m comparisons.engine.datagen --n 60000 --out pairs.csv
"""

from __future__ import annotations

import argparse
import csv
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
    _f("DE", "gmbh", "GmbH", "G.m.b.H.", "Gesellschaft mit beschränkter Haftung", "GMBH",
       "Gesellschaft mit beschraenkter Haftung", weight=3),
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
    _f("FR", "sarl", "SARL", "S.A.R.L.", "Société à responsabilité limitée", "Societe a Responsabilite Limitee",
       "S.à r.l.", weight=1.5),
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
    _f("BE", "nv", "NV", "N.V.", "SA", "S.A.", "NV/SA", "SA/NV", "Naamloze Vennootschap", "Société Anonyme", weight=1.5),
    _f("BE", "bv", "BV", "B.V.", "SRL", "BV/SRL", "Besloten Vennootschap", "Société à responsabilité limitée", weight=1),
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
    _f("JP", "kk", "K.K.", "KK", "Kabushiki Kaisha", "Co., Ltd.", "Co. Ltd.", "Company Limited", "Co., Ltd", "Co Ltd",
       "Corporation", "Kabushiki-Kaisha", prefix=0.1, weight=3),
    _f("JP", "gk", "G.K.", "GK", "Godo Kaisha", "LLC", weight=0.7),
    _f("JP", "yk", "Y.K.", "YK", "Yugen Kaisha", weight=0.3),
    _f("CN", "coltd", "Co., Ltd.", "Co. Ltd.", "Company Limited", "Co Ltd", "Co., Ltd", "Co.,Ltd.", weight=2),
    _f("CN", "jsc", "Joint Stock Co., Ltd.", "Joint Stock Company Limited", "Co., Ltd. (Joint Stock)", weight=0.5),
    _f("HK", "ltd", "Limited", "Ltd", "Ltd.", weight=1.2),
    _f("HK", "coltd", "Company Limited", "Co., Ltd.", "Co. Ltd.", "Co Ltd", weight=1),
    _f("KR", "coltd", "Co., Ltd.", "Company Limited", "Co. Ltd.", "Chusik Hoesa", weight=1),
    _f("IN", "pvtltd", "Private Limited", "Pvt. Ltd.", "Pvt Ltd", "Pvt. Limited", "Private Ltd.", "P. Ltd.", weight=1.5),
    _f("IN", "ltd", "Limited", "Ltd", "Ltd.", weight=1),
    _f("IN", "llp", "LLP", "L.L.P.", weight=0.4),
    _f("SG", "pteltd", "Pte. Ltd.", "Pte Ltd", "Private Limited", "Pte. Limited", "Pte Ltd.", weight=1.5),
    _f("SG", "ltd", "Limited", "Ltd", "Ltd.", weight=0.7),
    # Australia, New Zealand, Canada
    _f("AU", "ptyltd", "Pty Ltd", "Pty. Ltd.", "Pty Limited", "Pty. Limited", "Proprietary Limited", "PTY LTD",
       "Pty. Ltd", weight=2.5),
    _f("AU", "ltd", "Ltd", "Limited", "Ltd.", weight=1.2),
    _f("AU", "nl", "NL", "No Liability", weight=0.2),
    _f("NZ", "ltd", "Limited", "Ltd", weight=0.6),
    _f("CA", "inc", "Inc.", "Inc", "Incorporated", "Incorporée", "Inc./Incorporée", weight=1),
    _f("CA", "ltd", "Ltd.", "Limited", "Limitée", "Ltée", weight=0.8),
    _f("CA", "ulc", "ULC", "Unlimited Liability Company", weight=0.2),
    # Russia (Cyrillic, transliterated and translated spellings of one form are one form)
    _f("RU", "ooo", "OOO", "ООО", "LLC", "Obshchestvo s Ogranichennoy Otvetstvennostyu",
       "Общество с ограниченной ответственностью", "Limited Liability Company", prefix=0.7, weight=2.5),
    _f("RU", "ao", "AO", "АО", "JSC", "Joint Stock Company", "Акционерное общество", "Aktsionernoye Obshchestvo",
       prefix=0.7, weight=1.5),
    _f("RU", "pao", "PAO", "ПАО", "PJSC", "Public Joint Stock Company", "Публичное акционерное общество",
       prefix=0.7, weight=1.5),
    _f("RU", "zao", "ZAO", "ЗАО", "CJSC", "Closed Joint Stock Company", prefix=0.7, weight=0.6),
    _f("RU", "oao", "OAO", "ОАО", "OJSC", "Open Joint Stock Company", prefix=0.7, weight=0.6),
    _f("RU", "ip", "IP", "ИП", "Individual Entrepreneur", prefix=0.9, weight=0.3),
    # Greece, Poland, Czechia, Brazil, Mexico, Turkey
    _f("GR", "ae", "A.E.", "AE", "Α.Ε.", "ΑΕ", "Anonymi Etaireia", "Ανώνυμη Εταιρεία", "S.A.", weight=1.2),
    _f("GR", "epe", "E.P.E.", "EPE", "Ε.Π.Ε.", "ΕΠΕ", "Etaireia Periorismenis Efthynis", weight=0.6),
    _f("GR", "ike", "I.K.E.", "IKE", "Ι.Κ.Ε.", "ΙΚΕ", weight=0.4),
    _f("PL", "sa", "S.A.", "SA", "Spółka Akcyjna", "Spolka Akcyjna", weight=1),
    _f("PL", "spzoo", "sp. z o.o.", "Sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością", "sp. z o. o.",
       "Sp. z.o.o.", weight=1.2),
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
    frozenset({("GB", "ltd"), ("HK", "ltd"), ("IN", "ltd"), ("SG", "ltd"), ("NZ", "ltd"), ("AU", "ltd"),
               ("IE", "ltd")}),
    frozenset({("GB", "plc"), ("IE", "plc")}),
    frozenset({("DE", "ag"), ("CH", "ag")}),
    frozenset({("DE", "gmbh"), ("CH", "gmbh")}),
    frozenset({("FR", "sa"), ("LU", "sa"), ("BE", "nv"), ("ES", "sa"), ("PT", "sa"), ("PL", "sa"), ("BR", "sa"),
               ("GR", "ae"), ("CH", "ag")}),
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
    | {"S.A.F.", "SE & Co. KGaA", "AG & Co. KGaA", "& Co. KGaA", "Co., Ltd", "(publ)", "Incorporated", "N.A.",
       "Limited", "Co.,Ltd.", "SpA", "S.p.A", "ASA", "Oyj", "plc", "NV", "N.V.", "AG", "SE", "SA", "S.A.", "AB"},
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
    "International": ("Intl", "Int'l", "Intl."),
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
    "Holdings", "Holding", "Group", "Bank", "Capital", "International", "Services", "Finance", "Financial",
    "Investments", "Partners", "Trust", "Management", "Technologies", "Solutions", "Ventures", "Properties",
    "Real Estate", "Insurance", "Energy", "Securities", "Asset Management", "Leasing", "Trading", "Industries",
    "Global", "Worldwide", "Logistics", "Systems", "Finance Company", "Funding", "Investment Management",
    "Bancorp", "Re", "Life", "Retail", "Pharma", "Foods", "Networks", "Brands", "Resources", "Infrastructure",
    "Consulting", "Digital", "Labs", "Health", "Media", "Enterprises", "Operations", "Distribution",
    "Manufacturing", "Treasury", "Mortgage", "Credit", "Advisors", "Fund", "Asset Finance", "Private Equity",
)
QUALIFIERS_PLACE = (
    "UK", "USA", "US", "America", "North America", "Americas", "Deutschland", "Germany", "Europe", "Asia",
    "Asia Pacific", "EMEA", "Schweiz", "Suisse", "Switzerland", "France", "Italia", "España", "Iberia",
    "Nederland", "Benelux", "Nordic", "Sverige", "Danmark", "Norge", "Suomi", "Japan", "China", "India",
    "Canada", "Australia", "Ireland", "Luxembourg", "Singapore", "Hong Kong", "Middle East", "Africa",
    "Latin America", "Brasil", "Mexico", "Polska", "Österreich", "Austria", "Belgium", "International",
    "London", "New York", "Paris", "Berlin", "München", "Frankfurt", "Tokyo", "Zürich", "Texas", "Delaware",
    "Global", "CEE", "Russia", "Rus",
)
PARENT_SUB = (
    ("Holdings", "Bank"), ("Group", "Bank"), ("Holdings", "Capital"), ("Group", "Finance"), ("Holding", "Services"),
    ("Holdings", "Insurance"), ("Group", "Securities"), ("Holdings", "Financial Services"),
    ("Group", "Asset Management"), ("Holdings", "Properties"), ("Group", "Leasing"), ("Holdings", "Energy"),
    ("Group", "Life"), ("Holdings", "Technologies"), ("Group", "Investments"), ("Holdings", "Trading"),
    ("Group", "Real Estate"), ("Holding", "Funding"), ("Holdings", "Re"), ("Group", "International"),
    ("Bancorp", "Bank"), ("Financial", "Bank"), ("Holding", "Deutschland"), ("Group", "UK"),
    ("Holdings", "USA"), ("Group", "Europe"), ("Holding", "Schweiz"), ("Holdings", "Asia"),
)
ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")
ORD_SUFFIX = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th")
ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
FUND_WORDS = ("Fund", "Partners", "Capital Partners", "Opportunity Fund", "Investors", "Holdings", "Trust",
              "Ventures", "Income Fund", "Real Estate Fund", "Credit Fund", "Infrastructure Fund", "Finance",
              "Issuer", "Funding", "Mortgage Trust", "CLO", "Master Fund", "Feeder Fund", "SPV", "Property")
SERIES_WORDS = ("Series", "Class", "Tranche", "Compartment", "Sub-Fund")

_LAT2CYR = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
    ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("ju", "ю"), ("ja", "я"), ("ph", "ф"), ("th", "т"), ("ck", "к"),
    ("oo", "у"), ("ee", "и"), ("qu", "кв"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"),
    ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"),
    ("x", "кс"), ("y", "й"), ("z", "з"),
)
_LAT2GRK = (
    ("th", "θ"), ("ch", "χ"), ("ps", "ψ"), ("ph", "φ"), ("ks", "ξ"), ("ou", "ου"), ("a", "α"), ("b", "μπ"),
    ("c", "κ"), ("d", "ντ"), ("e", "ε"), ("f", "φ"), ("g", "γ"), ("h", "χ"), ("i", "ι"), ("j", "τζ"), ("k", "κ"),
    ("l", "λ"), ("m", "μ"), ("n", "ν"), ("o", "ο"), ("p", "π"), ("q", "κ"), ("r", "ρ"), ("s", "σ"), ("t", "τ"),
    ("u", "ου"), ("v", "β"), ("w", "β"), ("x", "ξ"), ("y", "ι"), ("z", "ζ"),
)
_ACCENT_WORDS = {
    "Societe": "Société", "Generale": "Générale", "Energia": "Energía", "Telefonica": "Telefónica",
    "Nestle": "Nestlé", "Cafe": "Café", "Electricite": "Électricité", "Muller": "Müller", "Nurnberg": "Nürnberg",
    "Zurich": "Zürich", "Munchen": "München", "Koln": "Köln", "Dusseldorf": "Düsseldorf", "Ericsson": "Éricsson",
    "Credit": "Crédit", "Developpement": "Développement", "Gestion": "Gestión", "Europeenne": "Européenne",
    "Federal": "Fédéral", "Espana": "España", "Sao": "São", "Medical": "Médical", "Metropole": "Métropole",
    "Television": "Télévision", "Energie": "Énergie", "Immobiliere": "Immobilière", "Financiere": "Financière",
    "Hermes": "Hermès", "Loreal": "L'Oréal", "Aeroports": "Aéroports", "Bearnaise": "Béarnaise",
    "Acciona": "Acciòna", "Bio": "Bió", "Industrias": "Indústrias", "Cie": "Cié", "Oresund": "Öresund",
    "Goteborg": "Göteborg", "Malmo": "Malmö", "Skane": "Skåne", "Orebro": "Örebro", "Sodra": "Södra",
}
_UMLAUT = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "å": "aa", "Å": "Aa",
           "ø": "oe", "Ø": "Oe", "æ": "ae", "Æ": "Ae"}
_AND_WORDS = {"US": "and", "GB": "and", "DE": "und", "FR": "et", "ES": "y", "IT": "e", "NL": "en", "SE": "och"}

IMMATERIAL_FAMILIES = (
    "case", "punctuation", "spacing", "form_spelling", "form_drop", "and_amp", "the", "accents", "translit",
    "abbreviation", "word_order", "typo", "acronym", "numeral_style", "registry_style",
)
MATERIAL_FAMILIES = (
    "form_class", "qualifier", "number", "substitution", "similar_entity", "parent_subsidiary",
)
# Noise stacked on top of material pairs (never something that would erase the material difference).
_NOISE_FAMILIES = ("case", "punctuation", "spacing", "form_spelling", "and_amp", "the", "accents", "abbreviation",
                   "typo", "registry_style", "form_position")


# --------------------------------------------------------------------------------------------------
# Base names
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseName:
    name: str  # as in the CSV
    country: str
    words: tuple[str, ...]  # the name without its legal form
    form: LegalForm | None  # the legal form found in the CSV name, if any


_COUNTRY_TO_JUR = {"AT": "DE", "JE": "GB", "GG": "GB", "IM": "GB", "BM": "GB", "KY": "GB", "BS": "GB", "AN": "NL",
                   "LR": "US", "IL": "US", "MX": "MX", "CN": "CN", "CA": "CA", "AU": "AU", "GR": "GR"}


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
        stem = stem[m.end():]
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
        ops.append(lambda t: t.replace(" ", "-", 1) if len(t.split()) > 2 else t + ".")
        ops.append(lambda t: '"' + t + '"' if rng.random() < 0.5 else t + " .")
    ops.append(lambda t: t + ".")
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
        return text[:i] + "  " + text[i + 1:]
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
                seg = text[i:i + len(lat)]
                out.append(rep.upper() if seg.isupper() and len(seg) > 0 and (len(seg) > 1 or text.isupper()) else
                           (rep[:1].upper() + rep[1:] if seg[:1].isupper() else rep))
                i += len(lat)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _typo(rng: random.Random, text: str) -> str:
    words = [(m.start(), m.group()) for m in re.finditer(r"[^\W\d_]{6,}", text)]
    if not words:
        return text
    start, word = rng.choice(words)
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.3:
        new = word[:i] + word[i + 1:]
    elif op < 0.55:
        new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif op < 0.8:
        new = word[:i] + word[i] + word[i:]
    else:
        letters = "aeiou" if word[i].lower() in "aeiou" else "nmrstlcdpkbg"
        c = rng.choice([x for x in letters if x != word[i].lower()])
        new = word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1:]
    return text[:start] + new + text[start + len(word):]


def _abbreviate(rng: random.Random, text: str) -> str:
    matches = list(_ABBR_WORD_RE.finditer(text))
    if not matches:
        return text
    m = rng.choice(matches)
    return text[: m.start()] + rng.choice(ABBREVIATIONS[m.group()]) + text[m.end():]


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
        self.by_first: dict[str, list[str]] = {}
        for w in self.vocab:
            self.by_first.setdefault(w[0], []).append(w)
        self.idx_abbr = [i for i, b in enumerate(bases) if _ABBR_WORD_RE.search(" ".join(b.words))]
        self.idx_multi = [i for i, b in enumerate(bases) if 2 <= len(b.words) <= 4]
        self.idx_and = [i for i, b in enumerate(bases) if {"&", "and", "And", "und", "et"} & set(b.words)]
        self.idx_accent = [i for i, b in enumerate(bases) if _has_accents(" ".join(b.words))]
        self.idx_long = [i for i, b in enumerate(bases) if re.search(r"[^\W\d_]{6,}", " ".join(b.words))]
        self.idx_distinct = [i for i, b in enumerate(bases) if any(re.fullmatch(r"[A-Z][a-z]{3,}", w) for w in b.words)]
        self.neighbours = self._neighbours()

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
        if base.form is not None and base.form.jur == jur and rng.random() < 0.5:
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
        raise KeyError(family)

    def _structural(self, family: str, ent: Entity) -> Entity:
        """IMMATERIAL changes to the structure (legal form spelling / position, The, and, word order)."""
        rng = self.rng
        if family == "form_spelling" and ent.form is not None:
            return replace(ent, spelling=_pick_spelling(rng, ent.form, avoid=ent.spelling, latin_only=True),
                           comma=rng.random() < 0.15)
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
            "abbreviation": self.idx_abbr, "and_amp": self.idx_and, "accents": self.idx_accent,
            "typo": self.idx_long, "word_order": self.idx_multi,
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
        extra_k = rng.choices([0, 1, 2], weights=[0.45, 0.35, 0.2])[0]
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
            b = replace(a, words=tuple(_translit(w, table) for w in a.words),
                        spelling=rng.choice(native) if native and rng.random() < 0.85 else a.spelling)
            text_a, text_b = a.render(), b.render()
            if rng.random() < 0.3 and b.prefix and b.spelling:
                text_b = f"{b.spelling} «{' '.join(b.words)}»"  # ООО «Газпром»
            elif rng.random() < 0.15 and a.prefix and a.spelling:
                text_a = f'{a.spelling} "{" ".join(a.words)}"'  # OOO "Gazprom"
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
            if family == "form_spelling" and (a.form is None or len(a.form.spellings) < 2):
                return None
            b = self._structural(family, a)
            if family == "form_spelling" and rng.random() < 0.2:
                # transliterated / native spelling of the same form (ООО / OOO / LLC)
                b = replace(b, spelling=_pick_spelling(rng, a.form, avoid=a.spelling))
            text_a, text_b = a.render(), b.render()
        else:  # surface families
            text_b = self._surface(family, text_a)
        families = [family]
        if extra_k:
            noise_from = b if family not in {"word_order"} else None
            if noise_from is not None and family not in {"translit", "acronym"}:
                text_b2, applied = self._noise(noise_from, extra_k)
                if family in {"case", "punctuation", "spacing", "accents", "typo", "abbreviation", "registry_style"}:
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
        idx = rng.choice(self.idx_distinct) if family == "substitution" else None
        a, base = self._entity(idx)
        b = a
        if family == "form_class":
            if a.form is None:
                return None
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
                b = replace(a, words=a.words[:i] + a.words[i + 1:])  # qualifier removed
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
            i = rng.choice(slots)
            old = words[i]
            if rng.random() < 0.2:
                # an added distinctive word
                new = rng.choice(self.vocab)
                if new in words:
                    return None
                words.insert(rng.choice([i, i + 1]), new)
            else:
                same_initial = self.by_first.get(old[0], [])
                pool = same_initial if same_initial and rng.random() < 0.6 else self.vocab
                new = rng.choice(pool)
                if new == old or _edit_distance(new.lower(), old.lower()) <= 1:
                    return None
                words[i] = new
            b = replace(a, words=tuple(words))
        elif family == "similar_entity":
            i = self.bases.index(base)
            if not self.neighbours[i]:
                return None
            other = self.bases[rng.choice(self.neighbours[i])]
            b = replace(a, words=other.words)
            if rng.random() < 0.3:
                b = _with_form(rng, b, a.form if rng.random() < 0.5 else _pick_form(rng, a.jur))
                if b.form is not None and a.form is not None and b.form != a.form and \
                        not forms_materially_different((a.form, a.spelling or ""), (b.form, b.spelling or "")):
                    b = replace(b, form=a.form, spelling=a.spelling)
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

    def _number_pair(self, a: Entity) -> tuple[Entity, Entity]:
        rng = self.rng
        scheme = rng.random()
        n = rng.randrange(1, 9)
        m = rng.choice([x for x in range(1, 11) if x != n])
        if scheme < 0.3:  # Fund I / Fund II
            head = tuple(rng.choice(FUND_WORDS).split())
            wa = a.words + head + (ROMANS[n - 1],)
            wb = a.words + head + ((ROMANS[m - 1],) if rng.random() < 0.85 else ())
            if rng.random() < 0.2:
                wb = a.words + head + (str(m),)
        elif scheme < 0.5:  # First / Fourth
            wa, wb = (ORDINALS[n - 1],) + a.words, (ORDINALS[m - 1],) + a.words
        elif scheme < 0.7:  # 2 / 3
            wa, wb = a.words + (str(n),), a.words + ((str(m),) if rng.random() < 0.85 else ())
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
                wa, wb = a.words, a.words[:i] + (nw,) + a.words[i + 1:]
            else:
                wa, wb = a.words + ("No.", str(n)), a.words + ("No.", str(m))
        return replace(a, words=wa), replace(a, words=wb)

    # ---- records ------------------------------------------------------------------------------
    def _record(self, a: str, b: str, label: int, kind: str, families: list[str]) -> Record:
        if self.rng.random() < 0.5:
            a, b = b, a
        return Record(a, b, label, kind, tuple(dict.fromkeys(families)))


_IMM_WEIGHTS = {
    "case": 0.6, "punctuation": 0.9, "spacing": 0.4, "form_spelling": 1.8, "form_drop": 1.1, "and_amp": 0.5,
    "the": 0.4, "accents": 0.6, "translit": 0.8, "abbreviation": 1.0, "word_order": 0.8, "typo": 1.1,
    "acronym": 0.25, "numeral_style": 0.35, "registry_style": 0.9,
}
_MAT_WEIGHTS = {
    "form_class": 2.2, "qualifier": 2.0, "number": 1.6, "substitution": 1.4, "similar_entity": 1.6,
    "parent_subsidiary": 0.9,
}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _pair_key(a: str, b: str) -> tuple[str, str]:
    a, b = _squash(a).casefold(), _squash(b).casefold()
    return (a, b) if a <= b else (b, a)


def _edit_distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def _excluded_pairs() -> set[tuple[str, str]]:
    """Pairs of the committed golden set: never generated (the golden set is evaluation only)."""
    if not GOLDEN_CSV.is_file():
        return set()
    with GOLDEN_CSV.open(newline="", encoding="utf-8") as fh:
        return {_pair_key(r["name1"], r["name2"]) for r in csv.DictReader(fh) if r.get("name1") and r.get("name2")}


def generate_labelled(n: int = DEFAULT_N, seed: int = DEFAULT_SEED, material_share: float = 0.5,
                      base_names: str | Path | None = None) -> list[Record]:
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
        if key[0] == key[1] and rec.label == 1:
            continue
        if key in seen or key in excluded:
            continue
        seen.add(key)
        out.append(rec)
        counts[rec.label] += 1
    return out


def generate_pairs(n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> list[tuple[str, str, int]]:
    """``n`` distinct ``(name1, name2, label)`` pairs, label 1 = MATERIAL; same seed, same list."""
    return [(r.name1, r.name2, r.label) for r in generate_labelled(n, seed)]


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
    args = parser.parse_args(argv)
    records = generate_labelled(args.n, args.seed)
    if args.out == "-":
        write_csv(records, sys.stdout)
    else:
        with open(args.out, "w", newline="", encoding="utf-8") as fh:
            write_csv(records, fh)
        n1 = sum(r.label for r in records)
        print(f"wrote {len(records)} pairs ({n1} material, {len(records) - n1} immaterial) to {args.out}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
