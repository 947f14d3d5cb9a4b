"""An organisation's word policy (engine.policy): learning it from decisions, and a comparator trained with it.

The comparators are trained once per module on a few thousand generated pairs plus a few hundred synthetic
decisions whose base names are made up from a seeded RNG; the pairs they are judged on use other made-up base
names, so what is measured is the word, not names seen in training.
"""

import math
import random

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from comparisons.engine import Comparator
from comparisons.engine.datagen import generate_pairs
from comparisons.engine.datagen.exclusions import GOLDEN_CSV
from comparisons.engine.evaluation import evaluate, read_pairs_csv
from comparisons.engine.explain import ReasonKind
from comparisons.engine.features import FEATURE_NAMES, feature_matrix
from comparisons.engine.model import monotonic_constraints
from comparisons.engine.policy import POLICY_FEATURE_NAMES, WordPolicy

SYLLABLES = "ka lo ri ven tor mar sel nu bra dex fin gal hor zen qua pli mon ter vo sa".split()
TRAIN_FORMS = ["Ltd", "Inc", "GmbH", "plc", "LLC"]
NEW_FORMS = ["B.V.", "AG", "S.A.", "Corp", "Limited", ""]  # none of them seen in the decisions
NEW_SPELLINGS = ["HOLDINGS", "Hldgs", "Holding", "holdings"]  # the decisions only write "Holdings"
OTHER_QUALIFIERS = ["Group", "Bank", "International", "Trust", "Capital"]
N_DECISIONS = 300
DECISION_WEIGHT = 10.0


def made_up_bases(seed: int, n: int, exclude: frozenset[str] = frozenset()) -> list[str]:
    """``n`` distinct invented base names (one or two words of syllables), none of them in ``exclude``."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()

    bases: list[str] = []
    while len(bases) < n:
        base = word() + (f" {word()}" if rng.random() < 0.4 else "")
        if base not in exclude and base not in bases:
            bases.append(base)
    return bases


def one_side(rng: random.Random, longer: str, shorter: str) -> tuple[str, str]:
    return (longer, shorter) if rng.random() < 0.5 else (shorter, longer)


def holdings_decisions(bases: list[str], seed: int, spellings=("Holdings",), forms=TRAIN_FORMS):
    """Pairs ``X Holdings <form>`` / ``X <form>`` (either order), as an organisation's analysts decided them."""
    rng = random.Random(seed)
    pairs = []
    for base in bases:
        form = rng.choice(forms)
        word = rng.choice(spellings)
        pairs.append(one_side(rng, f"{base} {word} {form}".strip(), f"{base} {form}".strip()))
    return pairs


def qualifier_pairs(bases: list[str], qualifier: str, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for base in bases:
        form = rng.choice(TRAIN_FORMS + NEW_FORMS)
        out.append(one_side(rng, f"{base} {qualifier} {form}".strip(), f"{base} {form}".strip()))
    return out


def wilson_low(k: int, n: int, z: float = 1.959963984540054) -> float:
    """The lower end of the Wilson 95% interval, written out (the test's own, not the module's)."""
    p = k / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


# ---------------------------------------------------------------- fixtures (trained once per module)
@pytest.fixture(scope="module")
def generated():
    rows = generate_pairs(n=6000, seed=11)
    return [(a, b) for a, b, _ in rows], [y for _, _, y in rows]


@pytest.fixture(scope="module")
def training_bases():
    return made_up_bases(seed=1, n=N_DECISIONS)


@pytest.fixture(scope="module")
def new_bases(training_bases):
    return made_up_bases(seed=2, n=100, exclude=frozenset(training_bases))


@pytest.fixture(scope="module")
def decisions(training_bases):
    return holdings_decisions(training_bases, seed=3)


@pytest.fixture(scope="module")
def new_holdings_pairs(new_bases):
    return holdings_decisions(new_bases, seed=4, spellings=NEW_SPELLINGS, forms=NEW_FORMS)


@pytest.fixture(scope="module")
def holdings_policy(decisions):
    return WordPolicy.learn(decisions, [0] * len(decisions))


def _train(*args, **kwargs) -> Comparator:
    # one OpenMP thread: under pytest-xdist the workers' thread pools would otherwise spin against each other
    # (several times the CPU for the same trees)
    with threadpool_limits(limits=1, user_api="openmp"):
        return Comparator.train(*args, **kwargs)


def _weighted(generated, decisions, labels):
    pairs, y = generated
    return pairs + decisions, y + labels, [1.0] * len(pairs) + [DECISION_WEIGHT] * len(decisions)


@pytest.fixture(scope="module")
def with_policy(generated, decisions, holdings_policy):
    pairs, labels, weights = _weighted(generated, decisions, [0] * len(decisions))
    return _train(pairs, labels, random_state=3, sample_weight=weights, policy=holdings_policy)


@pytest.fixture(scope="module")
def without_policy(generated, decisions):
    """The same weighted decisions, no policy: what the policy is there to prevent."""
    pairs, labels, weights = _weighted(generated, decisions, [0] * len(decisions))
    return _train(pairs, labels, random_state=3, sample_weight=weights)


@pytest.fixture(scope="module")
def mixed_policy_decisions(training_bases):
    """Holdings judged immaterial and Trading judged material: a policy with a minor word and a material rule."""
    rng = random.Random(5)
    holdings = holdings_decisions(training_bases[:100], seed=6)
    trading = [
        one_side(rng, f"{b} Trading {f}", f"{b} {f}")
        for b, f in zip(training_bases[100:200], TRAIN_FORMS * 20, strict=True)
    ]
    return holdings + trading, [0] * len(holdings) + [1] * len(trading)


@pytest.fixture(scope="module")
def with_material_rule(generated, mixed_policy_decisions):
    decided, decided_labels = mixed_policy_decisions
    policy = WordPolicy.learn(decided, decided_labels)
    pairs, labels, weights = _weighted(generated, decided, decided_labels)
    return _train(pairs, labels, random_state=3, sample_weight=weights, policy=policy)


# ---------------------------------------------------------------- learn
def test_a_word_needs_min_support_decisions():
    bases = made_up_bases(seed=10, n=20)
    pairs = holdings_decisions(bases, seed=10)
    assert not WordPolicy.learn(pairs[:19], [0] * 19)
    policy = WordPolicy.learn(pairs, [0] * 20)
    assert set(policy.rules) == {"holding"}
    rule = policy.rules["holding"]
    assert (rule.material, rule.n, rule.n_agreeing) == (False, 20, 20)
    assert policy.minor_words == {"holding"}
    assert not policy.has_features
    # the threshold is the argument, not a constant
    assert not WordPolicy.learn(pairs, [0] * 20, min_support=21)
    assert WordPolicy.learn(pairs[:10], [0] * 10, min_support=10, min_agreement=0.7)  # 10 of 10: Wilson low 0.72


@pytest.mark.parametrize(
    ("n_agreeing", "n", "min_agreement", "learned"),
    [
        (20, 20, 0.8, True),  # Wilson low 0.84
        (17, 20, 0.8, False),  # share 0.85, but Wilson low 0.64
        (19, 20, 0.8, False),  # share 0.95, Wilson low 0.76
        (59, 60, 0.8, True),  # Wilson low 0.91
        (59, 60, 0.95, False),
        (10, 20, 0.3, False),  # a tie: half agree with either verdict (Wilson low 0.30 > 0.3 would learn it)
    ],
)
def test_agreement_is_judged_by_the_wilson_lower_bound(n_agreeing, n, min_agreement, learned):
    pairs = holdings_decisions(made_up_bases(seed=n, n=n), seed=n)
    labels = [0] * n_agreeing + [1] * (n - n_agreeing)
    policy = WordPolicy.learn(pairs, labels, min_agreement=min_agreement)
    assert (wilson_low(n_agreeing, n) >= min_agreement) is learned  # the test's own arithmetic agrees
    assert bool(policy) is learned
    if learned:
        rule = policy.rules["holding"]
        assert (rule.material, rule.n, rule.n_agreeing) == (False, n, n_agreeing)


def test_material_rules_are_learned_when_decisions_say_material():
    pairs = holdings_decisions(made_up_bases(seed=12, n=40), seed=12)
    policy = WordPolicy.learn(pairs, [1] * 38 + [0] * 2)
    rule = policy.rules["holding"]
    assert (rule.material, rule.n, rule.n_agreeing) == (True, 40, 38)
    assert policy.has_features
    assert not policy.minor_words
    # nothing is stripped for a material word: the pair keeps it, and the feature says it was added
    assert policy.rewrite(pairs) == pairs
    assert policy.features([("Acme Holdings Ltd", "Acme Ltd"), ("Acme Ltd", "Acme Holdings Ltd")]).tolist() == [
        [1.0],
        [1.0],
    ]
    assert policy.features([("Acme Group Ltd", "Acme Ltd"), ("Acme Ltd", "Acme Ltd")]).tolist() == [[0.0], [0.0]]


def test_several_added_words_and_substitutions_teach_nothing():
    bases = made_up_bases(seed=13, n=40)
    rng = random.Random(13)
    both_added = [one_side(rng, f"{b} Holdings Group Ltd", f"{b} Ltd") for b in bases]
    substituted = [one_side(rng, f"{b} Holding Ltd", f"{b} Group Ltd") for b in bases]
    for pairs in (both_added, substituted):
        assert not WordPolicy.learn(pairs, [0] * len(pairs))
        assert not WordPolicy.learn(pairs, [1] * len(pairs))
    # the same bases with one word added do teach (so the pairs above are not ignored for another reason)
    single = [one_side(rng, f"{b} Group Ltd", f"{b} Ltd") for b in bases]
    assert set(WordPolicy.learn(single, [0] * len(single)).rules) == {"group"}


def test_a_word_added_beside_another_difference_teaches_nothing():
    # the analysts may have judged the legal form or the number, not the word
    bases = made_up_bases(seed=14, n=30)
    rng = random.Random(14)
    other_form = [one_side(rng, f"{b} Holdings Ltd", f"{b} Inc") for b in bases]
    other_number = [one_side(rng, f"{b} Holdings 2 Ltd", f"{b} 3 Ltd") for b in bases]
    for pairs in (other_form, other_number):
        assert not WordPolicy.learn(pairs, [1] * len(pairs))
    # another spelling of the same legal form is no difference
    same_form = [one_side(rng, f"{b} Holdings Ltd", f"{b} Limited") for b in bases]
    assert set(WordPolicy.learn(same_form, [0] * len(same_form)).rules) == {"holding"}


def test_spellings_of_a_word_count_as_one_word():
    bases = made_up_bases(seed=15, n=21)
    rng = random.Random(15)
    spellings = ["Holdings"] * 7 + ["HOLDINGS"] * 7 + ["Hldgs"] * 7  # 7 each: under min_support alone
    pairs = [one_side(rng, f"{b} {s} Ltd", f"{b} Ltd") for b, s in zip(bases, spellings, strict=True)]
    policy = WordPolicy.learn(pairs, [0] * len(pairs))
    assert list(policy.rules) == ["holding"]
    assert policy.rules["holding"].n == 21


def test_learn_checks_its_input():
    with pytest.raises(ValueError, match="2 pairs but 1 labels"):
        WordPolicy.learn([("A Holdings Ltd", "A Ltd")] * 2, [0])


# ---------------------------------------------------------------- strip / rewrite
@pytest.fixture(scope="module")
def minor_policy():
    return WordPolicy.learn(holdings_decisions(made_up_bases(seed=16, n=20), seed=16), [0] * 20)


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("Acme Holdings Ltd", "acme ltd"),
        ("Holdings Acme Ltd", "acme ltd"),  # first
        ("Acme Ltd Holdings", "acme ltd"),  # last
        ("ACME HLDGS. LTD.", "acme ltd."),  # another spelling; the legal form's punctuation stays
        ("Acme Holdings, Ltd.", "acme ltd."),
        ("The Acme Holding Company Limited", "the acme company limited"),
        ("Acme (Holdings) S.A.", "acme s.a."),
        ("Acme Holdings Holding GmbH", "acme gmbh"),
    ],
)
def test_strip_takes_minor_words_out_of_any_position(minor_policy, name, stripped):
    assert minor_policy.strip(name) == stripped
    assert minor_policy.rewrite([(name, "Acme Ltd")]) == [(stripped, "Acme Ltd")]


@pytest.mark.parametrize("name", ["Holdings", "HOLDINGS LTD", "The Holding Company", "Holdings 2 Ltd"])
def test_a_name_of_minor_words_only_is_kept_whole(minor_policy, name):
    assert minor_policy.strip(name) == name


@pytest.mark.parametrize("name", ["Acme Ltd", "Acme Group Ltd", "ACME GROUP LTD.", "Société Générale S.A.", ""])
def test_names_without_minor_words_are_returned_unchanged(minor_policy, name):
    assert minor_policy.strip(name) is name  # identity: nothing analysed twice, nothing re-spelt
    pairs = [(name, "Acme Ltd")]
    assert minor_policy.rewrite(pairs) == pairs


def test_a_policy_without_minor_words_rewrites_nothing():
    pairs = [("Acme Holdings Ltd", "Acme Ltd")]
    for policy in (WordPolicy(), WordPolicy.learn(pairs * 20, [1] * 20)):
        assert policy.strip(pairs[0][0]) is pairs[0][0]
        assert policy.rewrite(pairs) == pairs


# ---------------------------------------------------------------- a comparator trained with the policy
def test_holdings_pairs_of_new_names_forms_and_spellings_are_immaterial(with_policy, new_holdings_pairs, new_bases):
    assert set(new_bases).isdisjoint(made_up_bases(seed=1, n=N_DECISIONS))
    probs = with_policy.predict_proba(new_holdings_pairs)
    assert np.all(probs < with_policy.threshold), [
        p for p, x in zip(new_holdings_pairs, probs, strict=True) if x >= 0.5
    ][:5]
    verdicts = with_policy.compare_many(new_holdings_pairs[:20])
    assert {v.label for v in verdicts} == {"IMMATERIAL"}


@pytest.mark.parametrize("qualifier", OTHER_QUALIFIERS)
def test_the_policy_does_not_spill_over_to_other_qualifiers(with_policy, new_bases, qualifier):
    pairs = qualifier_pairs(new_bases, qualifier, seed=7)
    probs = with_policy.predict_proba(pairs)
    assert np.mean(probs >= with_policy.threshold) >= 0.9
    assert probs.mean() >= 0.8


def test_without_the_policy_the_same_decisions_spill_over(with_policy, without_policy, new_bases, new_holdings_pairs):
    # why the policy exists: weighted alone, decisions about Holdings teach "an added qualifier is immaterial"
    # (measured at these sizes: mean P(material) of Group pairs 0.96 with the policy, about 0.1 without)
    group = qualifier_pairs(new_bases, "Group", seed=8)
    p_with = with_policy.predict_proba(group).mean()
    p_without = without_policy.predict_proba(group).mean()
    assert p_with - p_without >= 0.3, (p_with, p_without)
    assert np.mean(without_policy.predict_proba(group) < without_policy.threshold) >= 0.3
    # while it did learn the Holdings decisions themselves (77% of the new Holdings pairs immaterial, measured)
    assert np.mean(without_policy.predict_proba(new_holdings_pairs) < without_policy.threshold) >= 0.5


def test_the_golden_set_keeps_its_balanced_accuracy(with_policy):
    golden = read_pairs_csv(GOLDEN_CSV)
    metrics = evaluate(golden.labels, with_policy.predict_proba(golden.pairs), with_policy.threshold)
    assert metrics["balanced_accuracy"] >= 0.95, metrics


def test_the_material_rule_is_a_feature_column_under_a_monotonic_constraint(with_material_rule):
    policy = with_material_rule.policy
    assert {w: r.material for w, r in policy.rules.items()} == {"holding": False, "trading": True}
    features = with_material_rule.pipeline.named_steps["features"]
    assert list(features.get_feature_names_out()) == list(FEATURE_NAMES + POLICY_FEATURE_NAMES)
    X = features.transform([("Zeta Trading Ltd", "Zeta Ltd"), ("Zeta Group Ltd", "Zeta Ltd")])  # noqa: N806
    assert X.shape == (2, len(FEATURE_NAMES) + 1)
    assert X[:, -1].tolist() == [1.0, 0.0]
    trees = with_material_rule.pipeline.named_steps["classifier"].calibrated_classifiers_[0].estimator.estimator
    assert trees.n_features_in_ == len(FEATURE_NAMES) + 1
    assert list(trees.monotonic_cst) == monotonic_constraints() + [1]


def _probe_pairs(new_bases, new_holdings_pairs):
    trading = [(f"{b} Trading Ltd", f"{b} Ltd") for b in new_bases[:30]]
    return new_holdings_pairs + qualifier_pairs(new_bases, "Group", seed=9) + trading


@pytest.mark.parametrize("which", ["with_policy", "with_material_rule"])
def test_pipeline_and_comparator_give_the_same_probabilities(request, which, new_bases, new_holdings_pairs):
    comparator = request.getfixturevalue(which)
    pairs = _probe_pairs(new_bases, new_holdings_pairs)
    assert len(pairs) > 64  # the binned path for the whole batch, the compiled trees for slices of ten
    expected = comparator.pipeline.predict_proba(pairs)[:, 1]
    assert np.array_equal(comparator.predict_proba(pairs), expected)
    small = np.concatenate([comparator.predict_proba(pairs[i : i + 10]) for i in range(0, len(pairs), 10)])
    assert np.allclose(small, expected, rtol=0, atol=1e-9)
    # the pipeline really uses the policy: without it, its features (and probabilities) would differ
    columns = comparator.pipeline.named_steps["features"].transform(pairs)
    assert not np.array_equal(columns[:, : len(FEATURE_NAMES)], feature_matrix(pairs))


@pytest.mark.parametrize("which", ["with_policy", "with_material_rule"])
def test_save_and_load_keep_the_policy_and_the_probabilities(request, which, tmp_path, new_bases, new_holdings_pairs):
    comparator = request.getfixturevalue(which)
    path = tmp_path / "model.joblib"
    comparator.save(path)
    loaded = Comparator.load(path)
    assert loaded.policy == comparator.policy and loaded.policy
    assert loaded.pipeline.named_steps["features"].policy == comparator.policy
    pairs = _probe_pairs(new_bases, new_holdings_pairs)
    assert np.array_equal(loaded.predict_proba(pairs), comparator.predict_proba(pairs))
    assert loaded.compare(*pairs[0]).to_dict() == comparator.compare(*pairs[0]).to_dict()


# ---------------------------------------------------------------- reasons
def test_a_holdings_verdict_names_the_policy_and_nothing_contradicting_it(with_policy, without_policy):
    pair = ("Zorvanmar Hldgs AG", "Zorvanmar AG")
    verdict = with_policy.compare(*pair)
    assert not verdict.material
    (policy_reason,) = [r for r in verdict.reasons if r.kind == ReasonKind.ORGANISATION_POLICY]
    assert "Holding" in policy_reason.text
    assert f"{N_DECISIONS} of {N_DECISIONS} decisions" in policy_reason.text
    assert (policy_reason.left, policy_reason.right) == (("holding",), ())
    kinds = {r.kind for r in verdict.reasons}
    assert ReasonKind.QUALIFIER_ADDED not in kinds and ReasonKind.WORD_ADDED not in kinds
    assert [r.to_dict() for r in with_policy.explain(*pair)] == [r.to_dict() for r in verdict.reasons]
    # the other side on the left: the reason says so
    (swapped,) = [r for r in with_policy.compare(*pair[::-1]).reasons if r.kind == ReasonKind.ORGANISATION_POLICY]
    assert (swapped.left, swapped.right) == ((), ("holding",))
    # without the policy the same pair's reasons are the base set's: a qualifier added
    plain_kinds = {r.kind for r in without_policy.compare(*pair).reasons}
    assert ReasonKind.QUALIFIER_ADDED in plain_kinds and ReasonKind.ORGANISATION_POLICY not in plain_kinds


def test_other_qualifiers_keep_their_reasons(with_policy):
    verdict = with_policy.compare("Zorvanmar Group AG", "Zorvanmar AG")
    assert verdict.material
    kinds = {r.kind for r in verdict.reasons}
    assert ReasonKind.QUALIFIER_ADDED in kinds and ReasonKind.ORGANISATION_POLICY not in kinds


def test_a_material_rule_says_the_analysts_judged_another_entity(with_material_rule):
    verdict = with_material_rule.compare("Zorvanmar Trading AG", "Zorvanmar AG")
    assert verdict.material
    (reason,) = [r for r in verdict.reasons if r.kind == ReasonKind.ORGANISATION_POLICY]
    assert "Trading" in reason.text and "a different entity" in reason.text and "100 of 100" in reason.text


# ---------------------------------------------------------------- no policy: as before
def test_a_comparator_without_a_policy_is_unchanged(generated):
    pairs, labels = generated
    pairs, labels = pairs[:2000], labels[:2000]
    plain = _train(pairs, labels, random_state=3)
    assert not plain.policy
    features = plain.pipeline.named_steps["features"]
    assert list(features.get_feature_names_out()) == list(FEATURE_NAMES)
    assert np.array_equal(features.transform(pairs[:200]), feature_matrix(pairs[:200]))
    # an empty policy (decisions too few to single out a word) trains the very same model
    too_few = WordPolicy.learn([("Acme Holdings Ltd", "Acme Ltd")] * 19, [0] * 19)
    assert not too_few
    same = _train(pairs, labels, random_state=3, policy=too_few)
    assert same.threshold == plain.threshold
    assert np.array_equal(same.predict_proba(pairs[:500]), plain.predict_proba(pairs[:500]))


def test_a_model_pickled_before_policies_existed_still_predicts(small_comparator_path, new_holdings_pairs):
    comparator = Comparator.load(small_comparator_path)
    assert not comparator.policy
    pairs = new_holdings_pairs[:100]
    before = comparator.predict_proba(pairs)
    verdict = comparator.compare(*pairs[0])
    del comparator.__dict__["policy"]  # as unpickled from a file written before the attribute existed
    del comparator.pipeline.named_steps["features"].__dict__["policy"]
    assert not comparator.policy  # the class default
    assert np.array_equal(comparator.predict_proba(pairs), before)
    assert np.array_equal(comparator.pipeline.predict_proba(pairs)[:, 1], comparator.predict_proba(pairs))
    assert comparator.compare(*pairs[0]).to_dict() == verdict.to_dict()
    assert comparator.explain(*pairs[0]) == verdict.reasons
