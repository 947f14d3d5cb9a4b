"""Token kinds: numbers (digits, ordinals, Roman numerals), generic words, places, stop words.

A token that is none of these is distinctive (``OTHER``): a different distinctive word is the
strongest sign of a different entity, an added generic word or place is a qualifier
(``Acme Holdings`` / ``Acme``, ``Acme UK Ltd`` / ``Acme Ltd``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from rigour._core import ordinals_dict, territories_jsonl
from rigour.data import iter_jsonl_text
from rigour.territories import get_territories

NUMBER: Final = 0
GENERIC: Final = 1
PLACE: Final = 2
STOP: Final = 3
OTHER: Final = 4
KIND_NAMES = ("number", "generic", "place", "stop", "other")

_ROMAN: Final = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES: Final = {"i": 1, "v": 5, "x": 10}
_DIGITS: Final = re.compile(r"\d+")
_ORDINAL_SUFFIX: Final = re.compile(r"^(\d+)(st|nd|rd|th|e|er|ere|eme|de|ste|o|a)$")

STOPWORDS = frozenset(
    "and of the for de du des la le les el los las di da do dos der den van von voor het een y e en in on at to by "
    "a an zu zur zum am im".split()
    # honorifics granted to a company, not part of what distinguishes it ("Koninklijke Philips" = "Philips")
    + "koninklijke koninklijk royal kon".split()
)

GENERIC_WORDS = frozenset(
    """
    holding group international bank banking fund capital trust investment partner management service industry
    global company enterprise system technology solution financial insurance asset securities venture equity property
    realty estate real development trading trade consulting consultant resource energy associate brothers son
    national general united manufacturing laboratory center university association foundation institute society
    club union council agency office network product products pharmaceutical chemical electric electronic
    engineering marketing distribution logistics transport shipping airline motor food mutual commercial
    credit savings loan finance advisors advisory advisers research design media communication telecom world
    worldwide universal continental overseas export import retail wholesale store supply construction building
    healthcare health medical care hospital school college bancorp bancshares lending leasing operations operating
    subsidiary affiliate branch division unit office sales department first second third new old north south east
    west northern southern eastern western central pacific atlantic imperial maatschappij
    nederlandse nederlandsche fabriek fabrieken industrie handelmaatschappij beheer vennootschap stichting vereniging
    gruppe werke werk internationale finanz bau studio studios works work mill mining minerals metals oil gas power
    petroleum steel auto automotive software data digital online systems tech labs plus one
    beheer octrooien patent patents octrooi research techniek technik systemen gebroeders handel handels
    """.split()
)

# Places not covered by the territory names, and the adjectives and codes people use in names.
_EXTRA_PLACES = """
uk usa us america american europe european asia asian africa african emea apac latam americas britain british
england english scotland scottish wales welsh ireland irish deutschland german germany deutsche deutscher france
french francaise nederland netherlands dutch holland belgie belgique belgium benelux espana spanish iberia italia
italian italiana schweiz suisse swiss svizzera osterreich austria austrian sverige swedish norge norwegian danmark
danish suomi finnish polska polish canada canadian mexico mexican brasil brazil brazilian argentina china chinese
japan japanese nippon korea korean india indian singapore australia australian australasia nz zealand hongkong hk
russia russian rus ukraine turkey turkiye middle east nordic scandinavia scandinavian international global
worldwide overseas north south east west northern southern eastern western central pacific atlantic gulf arabia
arab emirates uae dubai london paris berlin munich frankfurt amsterdam rotterdam eindhoven zurich geneva vienna
madrid milan rome tokyo osaka beijing shanghai shenzhen seoul sydney melbourne toronto montreal vancouver newyork
york chicago boston texas california florida delaware nevada ontario quebec bavaria
""".split()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_EXTRA_BIGRAMS = """
north america|south america|latin america|central america|middle east|far east|hong kong|new york|new jersey
new zealand|united kingdom|united states|great britain|south africa|saudi arabia|south korea|north sea|asia pacific
""".replace("\n", "|").strip("|")


def _build_places() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    places = {w.replace("ij", "y") for w in _EXTRA_PLACES}
    bigrams: set[tuple[str, str]] = set()
    for b in _EXTRA_BIGRAMS.split("|"):
        if b:
            first, second = b.split()
            bigrams.add((first, second))
    for territory in get_territories():
        for name in (territory.name, territory.region, territory.subregion):
            if not name:
                continue
            words = [w.replace("ij", "y") for w in re.findall(r"\w+", _fold(name))]
            if not all(w.isascii() for w in words):
                continue
            if len(words) == 1 and len(words[0]) > 2:
                places.add(words[0])
            elif len(words) == 2:
                bigrams.add((words[0], words[1]))
    places |= {a + b for a, b in bigrams}
    return frozenset(places - {"georgia", "jersey", "chad", "para", "uri", "acre"}), frozenset(bigrams)


def _build_ordinals() -> dict[str, int]:
    table: dict[str, int] = {}
    for number, spellings in ordinals_dict().items():
        for spelling in spellings:
            words = re.findall(r"\w+", _fold(spelling))
            if len(words) == 1 and words[0].isascii() and len(words[0]) > 1 and not words[0].isdigit():
                table.setdefault(words[0], number)
    for word in ("a", "an", "una", "un", "une", "ein", "eine", "een", "e", "o"):
        table.pop(word, None)
    return table


# word lists are written in normal spelling; names reach us with Dutch "ij" folded to "y"
STOPWORDS = frozenset(w.replace("ij", "y") for w in STOPWORDS)
GENERIC_WORDS = frozenset(w.replace("ij", "y") for w in GENERIC_WORDS)
PLACES, PLACE_BIGRAMS = _build_places()
PLACE_FIRST: Final = frozenset(a for a, _ in PLACE_BIGRAMS)
ORDINALS: Final = _build_ordinals()


# country codes and short names people write in company names (two-letter codes in general are
# too often ordinary words: "it", "in", "be", "no")
_COUNTRY_ABBREVIATIONS = {"uk": "gb", "usa": "us", "us": "us", "uae": "ae", "hk": "hk", "nz": "nz", "rus": "ru"}
# native names rigour lists only among its weak names, and adjectives
_COUNTRY_WORDS = {
    "nederland": "nl", "dutch": "nl", "espana": "es", "spanish": "es", "brasil": "br", "brazilian": "br",
    "british": "gb", "britain": "gb", "american": "us", "german": "de", "french": "fr", "francaise": "fr",
    "japanese": "jp", "chinese": "cn", "swiss": "ch", "italian": "it", "italiana": "it", "canadian": "ca",
    "australian": "au", "indian": "in", "russian": "ru", "korean": "kr", "mexican": "mx", "belgian": "be",
    "belgique": "be", "belgie": "be", "austrian": "at", "swedish": "se", "danish": "dk", "norwegian": "no",
    "norge": "no", "finnish": "fi", "polish": "pl", "irish": "ie", "turkish": "tr", "turkiye": "tr",
}  # fmt: skip


def _build_territory_keys() -> dict[str, str]:
    """Folded territory names in any language (rigour's strong names) -> ``~`` + territory code.

    An exact dictionary: rigour's own ``lookup_territory`` falls back to fuzzy matching, which
    costs most of a millisecond for every word that is not a place.
    """
    keys: dict[str, str] = {}
    for data in iter_jsonl_text(territories_jsonl()):
        code = "~" + data["code"]
        for name in [data.get("name"), *data.get("names_strong", [])]:
            if not name:
                continue
            word = "".join(re.findall(r"\w+", _fold(name))).replace("ij", "y")
            if word.isascii() and len(word) > 2 and word not in STOPWORDS and word not in GENERIC_WORDS:
                keys.setdefault(word, code)
    keys.update({k: "~" + v for k, v in _COUNTRY_ABBREVIATIONS.items()})
    keys.update({k: "~" + v for k, v in _COUNTRY_WORDS.items()})
    return keys


TERRITORY_KEYS: Final = _build_territory_keys()


def territory_key(token: str) -> str | None:
    """One key per country whatever the language: ``denmark`` / ``danmark`` -> ``~dk``; None if not a country."""
    return TERRITORY_KEYS.get(token)


def roman_value(token: str) -> int | None:
    """Value of a Roman numeral made of I, V and X (up to 39), else None."""
    if not token or not _ROMAN.match(token):
        return None
    total, prev = 0, 0
    for ch in reversed(token):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


_cache_first: Final[dict[str, tuple[int, int | None]]] = {}
_cache_later: Final[dict[str, tuple[int, int | None]]] = {}
_CACHE_MAX: Final = 300_000


def classify(token: str, position: int) -> tuple[int, int | None]:
    """``(kind, number value or None)`` of one normalised token at its position in the name."""
    cache = _cache_later if position else _cache_first
    found = cache.get(token)
    if found is None:
        if len(cache) > _CACHE_MAX:
            cache.clear()
        found = cache[token] = _classify(token, position)
    return found


def _classify(token: str, position: int) -> tuple[int, int | None]:
    if token.isdigit():
        return NUMBER, int(token[-9:])
    value = ORDINALS.get(token)
    if value is not None:
        return NUMBER, value
    match = _ORDINAL_SUFFIX.match(token)
    if match:
        return NUMBER, int(match.group(1)[-9:])
    if position > 0 and len(token) <= 4:
        value = roman_value(token)
        if value is not None:
            return NUMBER, value
    if token in STOPWORDS:
        return STOP, None
    if token in PLACES:
        return PLACE, None
    if token in GENERIC_WORDS:
        return GENERIC, None
    if any(ch.isdigit() for ch in token):
        digits = _DIGITS.findall(token)
        return NUMBER, int(digits[0][-9:])
    return OTHER, None


_cache_token_first: Final[dict[str, tuple[int, int | None, str | None]]] = {}
_cache_token_later: Final[dict[str, tuple[int, int | None, str | None]]] = {}


def classify_token(token: str, position: int) -> tuple[int, int | None, str | None]:
    """``classify`` plus ``territory_key`` for tokens that are neither numbers nor stop words, in
    one cached look-up: ``(kind, number value or None, country key or None)``."""
    cache = _cache_token_later if position else _cache_token_first
    found = cache.get(token)
    if found is None:
        if len(cache) > _CACHE_MAX:
            cache.clear()
        kind, value = _classify(token, position)
        place = None if kind == NUMBER or kind == STOP else TERRITORY_KEYS.get(token)
        found = cache[token] = (kind, value, place)
    return found
