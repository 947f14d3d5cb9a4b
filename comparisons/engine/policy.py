"""An organisation's word policy, learned from its analysts' decisions.

The generated base set encodes one policy for everyone: a word added on one side (``Acme Holdings Ltd`` /
``Acme Ltd``) names another entity. An organisation may decide otherwise for particular words: one that treats a
holding and its operating company as one counterparty says ``Holdings`` is immaterial. The pair features say *that*
a qualifier was added, not *which*, so weighting its decisions alone would move every added qualifier (``Group``,
``Bank``, ``Europe``) with it (measured: 300 decisions that ``Holdings`` is immaterial turned half of the pairs
that add ``Group`` immaterial too). ``WordPolicy`` keeps the word: it counts, per word, how the decisions judged
pairs whose only unexplained difference is that word added on one side, and a word becomes part of the policy when
enough decisions speak about it (``min_support``) and agree (the lower end of the Wilson 95% interval of the agreeing
share is at least ``min_agreement``). Then:

- a word the organisation treats as immaterial becomes one of its minor words, like ``Koninklijke`` for everyone:
  it is taken out of both names before the features are computed (``strip``), so the pair is judged on the rest;
- a word it treats as material (where the base policy would not) is a feature, ``policy_added_material``, whose
  weight the trees learn from the same weighted decisions beside the base set.

Only additions are learned: a word replaced by another (``Holding`` / ``Group``) is a different question, left to the
pair features. Words are compared by their analysed key (``Holdings``, ``HOLDINGS`` and ``Hldgs`` are one word).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.stats import binomtest

from comparisons.engine.analysis import NameInfo, analyze_name
from comparisons.engine.explain import Reason, ReasonKind
from comparisons.engine.features import align_tokens

POLICY_FEATURE_NAMES = ("policy_added_material",)
# P(material) can only rise when an added word is one the organisation treats as material (a monotonic constraint,
# as for the base features)
POLICY_MONOTONIC = (1,)


def added_words(a: NameInfo, b: NameInfo) -> frozenset[str]:
    """The words one name has and the other lacks, when that is the only difference in words: typos and
    abbreviations of each other are not differences, and a word replaced by another gives nothing (empty)."""
    only_a: AbstractSet[str] = a.tokens - b.tokens
    only_b: AbstractSet[str] = b.tokens - a.tokens
    if only_a and only_b:
        _, only_a, only_b, _ = align_tokens(only_a, only_b, a.kinds, b.kinds)
        if only_a and only_b:
            return frozenset()
    return frozenset(only_a or only_b)


def _written(word: str, *infos: NameInfo) -> str:
    for info in infos:
        if word in info.written:
            return str(info.written[word])
    return word


@dataclass(frozen=True)
class WordRule:
    """One learned word: whether the organisation treats adding it as material, and the decisions behind that."""

    word: str
    material: bool
    n: int  # decisions whose only difference was this word added
    n_agreeing: int  # of them, those that judged as the rule says
    written: str  # the word as it stands in a normalised name, for explanations

    def to_dict(self) -> dict:
        return {
            "word": self.word,
            "written": self.written,
            "material": self.material,
            "n": self.n,
            "n_agreeing": self.n_agreeing,
        }


@dataclass(frozen=True)
class WordPolicy:
    """The learned words (empty: the organisation's decisions single out no word, and the model has no policy
    features)."""

    rules: dict[str, WordRule] = field(default_factory=dict)
    min_support: int = 20
    min_agreement: float = 0.8

    @classmethod
    def learn(
        cls,
        pairs: Sequence[tuple[str, str]],
        labels: Sequence[int],
        *,
        min_support: int = 20,
        min_agreement: float = 0.8,
    ) -> WordPolicy:
        """Learn the words from decided pairs (``labels``: 1 material, 0 immaterial)."""
        if len(pairs) != len(labels):
            raise ValueError(f"{len(pairs)} pairs but {len(labels)} labels")
        material: Counter[str] = Counter()
        total: Counter[str] = Counter()
        written: dict[str, str] = {}
        for (name1, name2), label in zip(pairs, labels, strict=True):
            a, b = analyze_name(name1), analyze_name(name2)
            if a.forms != b.forms or a.numbers != b.numbers:
                # another difference beside the word (Acme Holdings Ltd / Acme Inc): the decision may be about that
                continue
            words = added_words(a, b)
            if len(words) != 1:  # several added words: the decision is about their combination
                continue
            (word,) = words
            total[word] += 1
            material[word] += int(label)
            written.setdefault(word, _written(word, a, b))
        rules = {}
        for word, n in total.items():
            if n < min_support:
                continue
            n_material = material[word]
            says_material = n_material * 2 > n
            agreeing = n_material if says_material else n - n_material
            low = binomtest(agreeing, n).proportion_ci(confidence_level=0.95, method="wilson").low
            if low >= min_agreement:
                rules[word] = WordRule(word, says_material, n, agreeing, written[word])
        return cls(rules, min_support, min_agreement)

    def __bool__(self) -> bool:
        return bool(self.rules)

    @cached_property  # read for every name scored: computed once per policy
    def minor_words(self) -> frozenset[str]:
        return frozenset(word for word, rule in self.rules.items() if not rule.material)

    @cached_property
    def has_features(self) -> bool:
        """Whether the model sees the policy's feature (only when some word is material by the policy)."""
        return any(rule.material for rule in self.rules.values())

    def strip(self, name: str) -> str:
        """The name without the organisation's minor words (the name itself when it has none, or only those)."""
        minor = self.minor_words
        info = analyze_name(name)
        if not minor or not (info.tokens & minor) or info.tokens <= minor:
            return name  # nothing to take out, or nothing would be left but a legal form (Holdings Ltd)
        kept = []
        for word in info.case.split():
            tokens = analyze_name(word).tokens
            if not (tokens and tokens <= minor):
                kept.append(word)
        return " ".join(kept) if kept else name

    def rewrite(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """The pairs as the model sees them: the organisation's minor words taken out of both names."""
        if not self.minor_words:
            return list(pairs)
        return [(self.strip(name1), self.strip(name2)) for name1, name2 in pairs]

    def _hits(self, a: NameInfo, b: NameInfo) -> list[WordRule]:
        return [self.rules[word] for word in added_words(a, b) if word in self.rules]

    def features(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The policy feature of each pair (an (n, 1) matrix): 1 when a word added on one side is one the
        organisation treats as material."""
        out = np.zeros((len(pairs), len(POLICY_FEATURE_NAMES)), dtype=np.float64)
        if not self.has_features:
            return out
        for i, (name1, name2) in enumerate(pairs):
            if any(rule.material for rule in self._hits(analyze_name(name1), analyze_name(name2))):
                out[i, 0] = 1.0
        return out

    def reasons(self, name1: str, name2: str) -> list[Reason]:
        """What the policy says about this pair, for the verdict's reasons (empty when it says nothing)."""
        if not self.rules:
            return []
        a, b = analyze_name(name1), analyze_name(name2)
        reasons = []
        for rule in sorted(self._hits(a, b), key=lambda r: r.word):
            judged = "a different entity" if rule.material else "the same entity"
            text = (
                f"{rule.written.title()} on one side only: your organisation's analysts judged this {judged} "
                f"({rule.n_agreeing} of {rule.n} decisions)"
            )
            left = (_written(rule.word, a),) if rule.word in a.tokens else ()
            right = (_written(rule.word, b),) if rule.word in b.tokens else ()
            reasons.append(Reason(ReasonKind.ORGANISATION_POLICY, text, left, right))
        return reasons

    def to_dict(self) -> dict:
        return {
            "min_support": self.min_support,
            "min_agreement": self.min_agreement,
            "rules": [rule.to_dict() for rule in sorted(self.rules.values(), key=lambda r: r.word)],
        }
