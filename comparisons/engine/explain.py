"""Why a verdict was given: structured reasons, from the same per-name analysis the features use.

Each reason is data, not an English sentence to be parsed: a ``kind`` (what differs or agrees), the parts of
each name it is about (``left`` / ``right``, as the words stand in the normalised names, so a page can
highlight them), and ``text``, the sentence shown to people. Everything outside the engine (the compare page's
side-by-side highlighting, the API, CSV downloads, reports of which kinds of difference analysts correct)
reads the kind and the parts; nothing matches on the wording, which may change.

The verdict's label (``MATERIAL`` / ``IMMATERIAL``) and the words that say how sure a verdict is are defined
here too, once, so that every page, API and file spells them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from comparisons.engine.analysis import NameInfo, analyze_name
from comparisons.engine.features import FEATURE_NAMES, align_tokens, feature_matrix
from comparisons.engine.tokens import GENERIC, OTHER, PLACE

MATERIAL_LABEL = "MATERIAL"
IMMATERIAL_LABEL = "IMMATERIAL"


def verdict_label(material: bool) -> str:
    """The one spelling of a verdict: ``MATERIAL`` (can denote different entities) or ``IMMATERIAL``."""
    return MATERIAL_LABEL if material else IMMATERIAL_LABEL


# Confidence is the probability of the verdict given, rescaled so that the model's threshold is 0.5 and
# certainty 1 (``model._confidence``). People read one number best with a word beside it; the bands are
# round numbers on that scale, not fitted to any data set.
_CONFIDENCE_BANDS = ((0.6, "borderline"), (0.8, "likely"), (0.95, "confident"))


def confidence_band(confidence: float) -> str:
    """``borderline`` (below 0.6: near the model's threshold, worth a look), ``likely``, ``confident`` or
    ``near certain`` (0.95 and above)."""
    for upper, word in _CONFIDENCE_BANDS:
        if confidence < upper:
            return word
    return "near certain"


class ReasonKind(StrEnum):
    """What a reason is about. Stable identifiers: stored with predictions and returned by the API."""

    IDENTICAL = "identical"  # the very same text
    SAME_NORMALISED = "same_normalised"  # equal after case, punctuation, accents, abbreviations, legal forms
    WORD_ORDER = "word_order"  # the same words in another order
    TRANSLITERATION = "transliteration"  # different scripts, compared after transliteration
    ACRONYM = "acronym"  # one name is the acronym of the other
    LEGAL_FORM_CHANGED = "legal_form_changed"  # a different legal form on each side
    LEGAL_FORM_ADDED = "legal_form_added"  # a legal form on one side only
    LEGAL_FORM_SPELLING = "legal_form_spelling"  # the same legal form written two ways
    NUMBER_CHANGED = "number_changed"  # a different number or ordinal
    NUMBER_ADDED = "number_added"  # a number on one side only
    ABBREVIATION = "abbreviation"  # a word and its abbreviation
    TYPO = "typo"  # a small spelling difference in one word
    QUALIFIER_CHANGED = "qualifier_changed"  # a different qualifier (Holding / Group, Bank / Trust)
    QUALIFIER_ADDED = "qualifier_added"  # a qualifier on one side only
    PLACE_CHANGED = "place_changed"  # a different place or country
    PLACE_ADDED = "place_added"  # a place or country on one side only
    WORD_CHANGED = "word_changed"  # a different distinctive word
    WORD_ADDED = "word_added"  # a distinctive word on one side only
    MINOR_WORDS = "minor_words"  # only minor words (of, the, koninklijke...) differ
    SIMILAR = "similar"  # nothing specific named: the names are similar overall
    NO_COMMON_WORD = "no_common_word"  # the names share no word
    ORGANISATION_POLICY = "organisation_policy"  # a word the organisation's own decisions judge (engine.policy)
    LEGACY = "legacy"  # a reason stored before reasons were structured (its text only)


@dataclass(frozen=True)
class Reason:
    """One reason of a verdict: its kind, the words of each name it is about, and the sentence for people.

    ``left`` holds words of the first name and ``right`` words of the second, as they stand in the normalised
    names (lower case); either is empty when the reason names nothing on that side."""

    kind: ReasonKind
    text: str
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"kind": str(self.kind), "text": self.text, "left": list(self.left), "right": list(self.right)}

    @classmethod
    def from_dict(cls, data: dict | str) -> Reason:
        """A stored reason back as a ``Reason``; a bare string (stored before reasons were data) is ``LEGACY``."""
        if isinstance(data, str):
            return cls(ReasonKind.LEGACY, data)
        try:
            kind = ReasonKind(data.get("kind", ReasonKind.LEGACY))
        except ValueError:
            kind = ReasonKind.LEGACY
        return cls(kind, str(data.get("text", "")), tuple(data.get("left") or ()), tuple(data.get("right") or ()))

    def __str__(self) -> str:
        return self.text


# Display spellings of the comparison forms most people know; others are shown upper-cased.
_FORM_DISPLAY = {
    "llc": "LLC",
    "inc": "Inc",
    "corp": "Corp",
    "ltd": "Ltd",
    "plc": "plc",
    "lp": "LP",
    "llp": "LLP",
    "gmbh": "GmbH",
    "ag": "AG",
    "nv": "N.V.",
    "bv": "B.V.",
    "sa": "S.A.",
    "co": "Co",
    "coltd": "Co. Ltd.",
    "kg": "KG",
    "gmbhcokg": "GmbH & Co. KG",
    "spa": "S.p.A.",
    "srl": "S.r.l.",
    "sarl": "S.à r.l.",
    "oy": "Oy",
    "ab": "AB",
    "as": "AS",
    "ooo": "OOO",
}


def _form_label(compare: str) -> str:
    return _FORM_DISPLAY.get(compare, compare.upper())


def _word(token: str) -> str:
    return token.upper() if len(token) <= 3 else token.capitalize()


def _number_token(info: NameInfo, value: int) -> str:
    return info.number_tokens.get(value, str(value))


def _number_label(info: NameInfo, value: int) -> str:
    token = _number_token(info, value)
    return token.upper() if token.isalpha() and set(token) <= set("ivx") else token


# The word kinds of the per-name analysis and the reason kinds for "differs" / "on one side only".
_WORD_KINDS = (
    (GENERIC, "qualifier", ReasonKind.QUALIFIER_CHANGED, ReasonKind.QUALIFIER_ADDED),
    (PLACE, "place or country", ReasonKind.PLACE_CHANGED, ReasonKind.PLACE_ADDED),
    (OTHER, "word", ReasonKind.WORD_CHANGED, ReasonKind.WORD_ADDED),
)


def explain_pair(name1: str, name2: str, features: dict[str, float] | None = None) -> list[Reason]:
    """The reasons for a pair, from the same analysis the features use (no model needed)."""
    a, b = analyze_name(name1), analyze_name(name2)
    if features is None:
        row = feature_matrix([(name1, name2)])[0]
        features = dict(zip(FEATURE_NAMES, row.tolist(), strict=True))
    f = features
    reasons: list[Reason] = []
    if name1 == name2:
        reasons.append(Reason(ReasonKind.IDENTICAL, "identical names"))
    elif f["eq_forms"]:
        reasons.append(Reason(ReasonKind.SAME_NORMALISED, "same name after normalisation"))
    elif f["eq_sorted"] and not f["eq_core"]:
        reasons.append(Reason(ReasonKind.WORD_ORDER, "same words in a different order"))
    if f["script_diff"]:
        reasons.append(
            Reason(ReasonKind.TRANSLITERATION, "written in different scripts; compared after transliteration")
        )
    if f["acronym_match"]:
        a_short = len(a.core) < len(b.core)
        short, long_ = (a, b) if a_short else (b, a)
        short_part, long_part = (short.core_nospace,), tuple(long_.core.split())
        reasons.append(
            Reason(
                ReasonKind.ACRONYM,
                f"acronym matches: {short.core_nospace.upper()} = {long_.core.title()}",
                short_part if a_short else long_part,
                long_part if a_short else short_part,
            )
        )
    # legal forms
    forms_a, forms_b = sorted(a.forms), sorted(b.forms)
    label_a = " ".join(_form_label(x) for x in forms_a)
    label_b = " ".join(_form_label(x) for x in forms_b)
    only_a = tuple(x for x in forms_a if x not in b.forms)
    only_b = tuple(x for x in forms_b if x not in a.forms)
    if f["lf_diff_class"] or f["lf_same_class_diff_form"]:
        kind = "same kind of entity" if f["lf_same_class_diff_form"] else "different kind of entity"
        reasons.append(
            Reason(
                ReasonKind.LEGAL_FORM_CHANGED,
                f"legal form differs: {label_a} vs {label_b} ({kind})",
                only_a or tuple(forms_a),
                only_b or tuple(forms_b),
            )
        )
    elif f["lf_one_missing"]:
        reasons.append(
            Reason(
                ReasonKind.LEGAL_FORM_ADDED,
                f"legal form on one side only: {label_a or label_b}",
                tuple(forms_a),
                tuple(forms_b),
            )
        )
    elif f["lf_same"] and a.form_written != b.form_written:
        reasons.append(
            Reason(ReasonKind.LEGAL_FORM_SPELLING, f"same legal form: {label_a}", tuple(forms_a), tuple(forms_b))
        )
    # numbers
    if f["num_disjoint"] or f["num_partial"]:
        xs, ys = sorted(a.numbers - b.numbers), sorted(b.numbers - a.numbers)
        shown_a = ", ".join(_number_label(a, v) for v in xs)
        shown_b = ", ".join(_number_label(b, v) for v in ys)
        reasons.append(
            Reason(
                ReasonKind.NUMBER_CHANGED,
                f"number differs: {shown_a or '-'} vs {shown_b or '-'}",
                tuple(_number_token(a, v) for v in xs),
                tuple(_number_token(b, v) for v in ys),
            )
        )
    elif f["num_one_sided"]:
        info = a if a.numbers else b
        values = sorted(info.numbers)
        parts = tuple(_number_token(info, v) for v in values)
        reasons.append(
            Reason(
                ReasonKind.NUMBER_ADDED,
                "number on one side only: " + ", ".join(_number_label(info, v) for v in values),
                parts if info is a else (),
                parts if info is b else (),
            )
        )
    # words by kind
    common = a.tokens & b.tokens
    pairs, rest_a, rest_b, _ = align_tokens(a.tokens - common, b.tokens - common, a.kinds, b.kinds)
    for x, y in pairs:
        x, y = a.written.get(x, x), b.written.get(y, y)
        if x.startswith(y) or y.startswith(x):
            reasons.append(Reason(ReasonKind.ABBREVIATION, f"abbreviation: {_word(x)} / {_word(y)}", (x,), (y,)))
        else:
            reasons.append(Reason(ReasonKind.TYPO, f"small spelling difference: {_word(x)} / {_word(y)}", (x,), (y,)))
    if not f["acronym_match"]:
        for word_kind, what, changed, added in _WORD_KINDS:
            xs_w = tuple(sorted(a.written.get(t, t) for t in rest_a if a.kinds[t] == word_kind))
            ys_w = tuple(sorted(b.written.get(t, t) for t in rest_b if b.kinds[t] == word_kind))
            if xs_w and ys_w:
                label = "different distinctive word" if word_kind == OTHER else f"{what} differs"
                text = f"{label}: {' '.join(map(_word, xs_w))} vs {' '.join(map(_word, ys_w))}"
                reasons.append(Reason(changed, text, xs_w, ys_w))
            elif xs_w or ys_w:
                reasons.append(Reason(added, f"{what} added: {' '.join(map(_word, xs_w or ys_w))}", xs_w, ys_w))
    minor = sorted(a.stop ^ b.stop)
    if minor and not f["eq_forms"]:
        reasons.append(
            Reason(
                ReasonKind.MINOR_WORDS,
                f"only minor words differ: {' '.join(map(_word, minor))}",
                tuple(w for w in minor if w in a.stop),
                tuple(w for w in minor if w in b.stop),
            )
        )
    if not reasons:
        reasons.append(Reason(ReasonKind.SIMILAR, f"similar names (similarity {f['sim_token_set']:.2f})"))
    elif not common and not f["acronym_match"] and not f["eq_nospace"] and f["sim_token_set"] < 0.6:
        reasons.append(Reason(ReasonKind.NO_COMMON_WORD, "no word in common"))
    return reasons
