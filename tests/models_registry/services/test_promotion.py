"""The promotion gate (models_registry.services.promotion) on real, genuinely different comparators.

Three models, trained once per module on generated pairs (``small_comparator_path`` is the session's base model):

- ``org``: follows an organisation's policy that ``Holdings`` added to a name is immaterial (decisions
  ``X Holdings Ltd`` / ``X Ltd`` labelled 0, ``WordPolicy.learn``), so it is right on held-out Holdings decisions
  where the base model (which says material) is wrong;
- ``worse``: trained on a third of the pairs with 40% of the labels flipped, far below the base model on golden.

Held-out decisions are planted through the real path: a prediction, then ``feedback_create(audit=True)``; with
LEGALNAME_PROMOTION_HOLDOUT_SHARE = 1 (autouse fixture) every prediction falls in the held-out share, so each audit
decision is held out by the service's own rule (``prediction_in_holdout``), not by setting the field.
"""

import random

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from comparisons.engine import Comparator
from comparisons.engine.datagen import generate_pairs
from comparisons.engine.policy import WordPolicy
from feedback.services import feedback_create
from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelDeployment, ModelVersion, PromotionDecision, TrainingRun
from models_registry.selectors import model_version_active_get
from models_registry.services.deployment import model_version_activate
from models_registry.services.mlflow_registry import mlflow_alias_versions
from models_registry.services.promotion import model_version_gate, training_run_gate
from models_registry.services.training import training_run_create
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.utils import champion_version, corrupt, mlflow_number

Outcome = PromotionDecision.Outcome

SYLLABLES = "ka lo ri ven tor mar sel nu bra dex fin gal hor zen qua pli mon ter vo sa bel dor kin lum".split()


def holdings_pairs(seed: int, n: int) -> list[tuple[str, str]]:
    """``n`` pairs of made-up names that differ only by ``Holdings`` added on one side: ``X Holdings Ltd`` /
    ``X Ltd``."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        base = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        form = rng.choice(("Ltd", "Inc", "GmbH", "plc", "B.V.", ""))
        with_word, without = f"{base} Holdings {form}".strip(), f"{base} {form}".strip()
        pairs.append((with_word, without) if rng.random() < 0.5 else (without, with_word))
    return pairs


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> dict:
    """The ``org`` and ``worse`` comparators (module docstring), saved once for the module."""
    folder = tmp_path_factory.mktemp("gate-models")
    generated = generate_pairs(n=2500, seed=21)
    pairs, labels = [(a, b) for a, b, _ in generated], [y for *_, y in generated]

    decided = holdings_pairs(seed=1, n=150)
    policy = WordPolicy.learn(decided, [0] * len(decided))
    assert "holding" in policy.rules and not policy.rules["holding"].material  # the policy the test relies on
    org = Comparator.train(pairs + decided, labels + [0] * len(decided), random_state=21, policy=policy)
    org.save(folder / "org.joblib")

    rng = np.random.default_rng(21)
    few = len(pairs) // 3
    flipped = [1 - y if rng.random() < 0.4 else y for y in labels[:few]]
    Comparator.train(pairs[:few], flipped, random_state=21).save(folder / "worse.joblib")
    return {"org": folder / "org.joblib", "worse": folder / "worse.joblib"}


@pytest.fixture(autouse=True)
def _gate_settings(settings):
    """The golden set only; no floor unless a test sets one (the tiny models here sit near the production floor of
    0.95 by chance of their training); every audit decision held out."""
    settings.LEGALNAME_EVALUATION_SETS = {"golden": settings.LEGALNAME_EVALUATION_SETS["golden"]}
    settings.LEGALNAME_PROMOTION_FLOORS = {}
    settings.LEGALNAME_PROMOTION_MARGIN = 0.01
    settings.LEGALNAME_PROMOTION_MIN_DECISIONS = 30
    settings.LEGALNAME_PROMOTION_ALPHA = 0.05
    settings.LEGALNAME_PROMOTION_HOLDOUT_SHARE = 1.0


@pytest.fixture
def plant(analyst):
    """Audit decisions on predictions served by ``version``: ``labels`` 1 material, 0 immaterial."""

    def plant_decisions(version: ModelVersion, pairs: list[tuple[str, str]], labels: list[int]) -> None:
        for (name1, name2), label in zip(pairs, labels, strict=True):
            prediction = PredictionFactory(model_version=version, user=analyst, name1=name1, name2=name2)
            feedback = feedback_create(prediction=prediction, user=analyst, user_correction=bool(label), audit=True)
            assert feedback.holdout

    return plant_decisions


@pytest.fixture
def base_active(register_version, admin_user) -> ModelVersion:
    """The session's base comparator, registered and serving."""
    return model_version_activate(model_version=register_version(), user=admin_user, reason="base")


def _run_for(version: ModelVersion, user) -> TrainingRun:
    run = training_run_create(trigger="schedule", requested_by=user)
    TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.SUCCEEDED, model_version=version)
    run.refresh_from_db()
    return run


@pytest.mark.django_db
class TestModelVersionGate:
    def test_the_first_version_of_a_name_is_activated(self, register_version, admin_user):
        v1 = register_version()

        decision = model_version_gate(candidate=v1, user=admin_user, reason="train_model")

        assert (decision.outcome, decision.active, decision.numbers) == (Outcome.ACTIVATED, None, {})
        assert decision.detail == "activated: no version of legal-name-comparator was active"
        assert PromotionDecision.objects.get() == decision and decision.decided_by == admin_user
        assert ModelVersion.objects.get(is_active=True) == v1 and champion_version() == mlflow_number(v1)
        deployment = ModelDeployment.objects.get()
        assert deployment.to_version == v1 and deployment.reason == decision.detail + " (train_model)"

    def test_better_on_the_held_out_decisions_and_not_worse_on_the_sets_is_activated(
        self, register_version, base_active, trained, plant, admin_user, settings
    ):
        settings.LEGALNAME_PROMOTION_MARGIN = 0.05  # the tiny org model gives up a little golden to its policy
        plant(base_active, holdings_pairs(seed=2, n=40), [0] * 40)
        candidate = register_version(source=trained["org"])
        run = _run_for(candidate, admin_user)

        decision = model_version_gate(candidate=candidate, user=admin_user, training_run=run, reason="nightly")

        assert decision.outcome == Outcome.ACTIVATED, decision.detail
        assert (decision.candidate, decision.active, decision.training_run) == (candidate, base_active, run)
        golden = decision.numbers["sets"]["golden"]
        assert set(golden) >= {"candidate", "active", "delta", "margin", "floor", "n"}
        assert golden["metric"] == "balanced_accuracy" and golden["n"] > 200
        assert golden["delta"] == pytest.approx(golden["candidate"] - golden["active"], abs=1e-3)
        assert (golden["margin"], golden["floor"], golden["worse"], golden["below_floor"]) == (0.05, None, False, False)
        held = decision.numbers["decisions"]
        assert (held["n"], held["only_candidate_right"], held["only_active_right"]) == (40, 40, 0)
        assert held["p_value"] < 1e-6 and held["better"] and held["enough"]
        assert held["candidate"]["accuracy"] == 1.0 and held["active"]["accuracy"] == 0.0
        assert 0.85 < held["candidate"]["low"] < 1.0 == held["candidate"]["high"]
        assert held["active"]["low"] == 0.0 < held["active"]["high"] < 0.15
        assert decision.numbers["candidate"] == f"v{candidate.version}"
        assert decision.numbers["active"] == f"v{base_active.version}"
        assert decision.detail.startswith("activated: not worse on any set (golden balanced_accuracy")
        assert "better on 40 held-out decisions 100.0% vs 0.0% right" in decision.detail

        assert model_version_active_get() == candidate and champion_version() == mlflow_number(candidate)
        deployment = ModelDeployment.objects.latest("created_at")
        assert (deployment.from_version, deployment.to_version, deployment.user) == (base_active, candidate, admin_user)
        assert deployment.reason == f"{decision.detail} (nightly)"
        run.refresh_from_db()
        assert (run.outcome, run.stage, run.progress) == (TrainingRun.Outcome.ACTIVATED, TrainingRun.Stage.DONE, 1.0)
        assert run.promotion == decision.detail

    def test_too_few_held_out_decisions_keep_it_a_challenger(
        self, register_version, base_active, trained, plant, settings
    ):
        settings.LEGALNAME_PROMOTION_MARGIN = 0.05
        plant(base_active, holdings_pairs(seed=3, n=10), [0] * 10)  # all 10 for the candidate, still too few
        candidate = register_version(source=trained["org"])

        decision = model_version_gate(candidate=candidate)

        assert decision.outcome == Outcome.CHALLENGER, decision.detail
        assert "only 10 held-out decisions, fewer than the 30 needed to show it better" in decision.detail
        assert (
            decision.numbers["decisions"]["only_candidate_right"] == 10 and not decision.numbers["decisions"]["better"]
        )
        candidate.refresh_from_db()
        assert candidate.status == ModelVersion.Status.CHALLENGER and not candidate.is_active
        assert model_version_active_get() == base_active and champion_version() == mlflow_number(base_active)
        assert ModelDeployment.objects.latest("created_at").action == ModelDeployment.Action.CHALLENGER

    def test_an_equal_model_is_not_shown_better_and_stays_a_challenger(self, register_version, base_active, plant):
        plant(base_active, holdings_pairs(seed=4, n=35), [0] * 35)
        candidate = register_version()  # the same model again

        decision = model_version_gate(candidate=candidate)

        assert decision.outcome == Outcome.CHALLENGER, decision.detail
        held = decision.numbers["decisions"]
        assert (held["n"], held["only_candidate_right"], held["only_active_right"], held["p_value"]) == (35, 0, 0, 1.0)
        assert decision.numbers["sets"]["golden"]["delta"] == 0.0
        assert "not shown better on 35 held-out decisions" in decision.detail
        assert ModelVersion.objects.get(pk=candidate.pk).status == ModelVersion.Status.CHALLENGER
        assert model_version_active_get() == base_active

    def test_worse_beyond_the_margin_on_a_set_stays_a_challenger_for_a_person_to_decide(
        self, register_version, base_active, trained, plant, admin_user
    ):
        plant(base_active, holdings_pairs(seed=5, n=35), [0] * 35)
        candidate = register_version(source=trained["worse"])
        deployments = ModelDeployment.objects.count()

        decision = model_version_gate(
            candidate=candidate, user=admin_user, training_run=_run_for(candidate, admin_user)
        )

        assert decision.outcome == Outcome.CHALLENGER, decision.detail
        golden = decision.numbers["sets"]["golden"]
        assert golden["worse"] and golden["delta"] < -0.01 and not golden["below_floor"]
        assert decision.detail.startswith("challenger, not activated: golden balanced_accuracy")
        assert "(worse by more than the margin 0.01)" in decision.detail and "a person decides" in decision.detail
        candidate.refresh_from_db()
        assert candidate.status == ModelVersion.Status.CHALLENGER and not candidate.is_active
        assert model_version_active_get() == base_active and champion_version() == mlflow_number(base_active)
        assert ModelDeployment.objects.count() == deployments + 1  # the challenger mark, not a switch
        assert ModelDeployment.objects.latest("created_at").action == ModelDeployment.Action.CHALLENGER
        run = TrainingRun.objects.get()
        assert (run.outcome, run.promotion) == (TrainingRun.Outcome.CHALLENGER, decision.detail)

    def test_under_a_floor_is_rejected_even_when_better_on_the_decisions(
        self, register_version, base_active, trained, plant, settings
    ):
        settings.LEGALNAME_PROMOTION_MARGIN = 0.05
        settings.LEGALNAME_PROMOTION_FLOORS = {"golden": 0.995}
        plant(base_active, holdings_pairs(seed=6, n=40), [0] * 40)
        candidate = register_version(source=trained["org"])

        decision = model_version_gate(candidate=candidate)

        assert decision.outcome == Outcome.REJECTED, decision.detail
        assert decision.numbers["decisions"]["better"]  # would have been activated but for the floor
        assert (
            decision.numbers["sets"]["golden"]["below_floor"] and decision.numbers["sets"]["golden"]["floor"] == 0.995
        )
        assert "is below its floor 0.9950" in decision.detail
        assert ModelVersion.objects.get(pk=candidate.pk).status == ModelVersion.Status.REJECTED
        assert model_version_active_get() == base_active

    def test_an_active_candidate_is_refused(self, base_active):
        with pytest.raises(ApplicationError, match="already active"):
            model_version_gate(candidate=base_active)
        assert not PromotionDecision.objects.exists()

    @pytest.mark.parametrize("status", [ModelVersion.Status.RETIRED, ModelVersion.Status.FAILED])
    def test_a_retired_or_failed_candidate_is_refused(self, register_version, base_active, status):
        candidate = register_version(status=status)

        with pytest.raises(ApplicationError, match="the gate does not take it"):
            model_version_gate(candidate=candidate)

        assert not PromotionDecision.objects.exists() and model_version_active_get() == base_active

    def test_a_challenger_that_stays_a_challenger_is_not_recorded_as_not_switched(
        self, register_version, base_active, plant
    ):
        plant(base_active, holdings_pairs(seed=7, n=35), [0] * 35)
        candidate = register_version()
        model_version_gate(candidate=candidate)

        again = model_version_gate(candidate=candidate)  # e.g. after more decisions came in

        assert again.outcome == Outcome.CHALLENGER, again.detail
        assert ModelVersion.objects.get(pk=candidate.pk).status == ModelVersion.Status.CHALLENGER


@pytest.mark.django_db
def test_a_challenger_rejected_later_loses_its_mlflow_alias(register_version, base_active, settings):
    candidate = register_version()  # the same model again: a challenger
    assert model_version_gate(candidate=candidate).outcome == Outcome.CHALLENGER
    assert mlflow_alias_versions(model_name=candidate.name).get("challenger") == mlflow_number(candidate)
    settings.LEGALNAME_PROMOTION_FLOORS = {"golden": 0.999}  # the policy tightened since

    decision = model_version_gate(candidate=candidate)

    assert decision.outcome == Outcome.REJECTED, decision.detail
    assert ModelVersion.objects.get(pk=candidate.pk).status == ModelVersion.Status.REJECTED
    assert "challenger" not in mlflow_alias_versions(model_name=candidate.name)
    assert champion_version() == mlflow_number(base_active)


def _interleave(table: str, action) -> tuple[list, object]:
    """A database wrapper that runs ``action`` once, at the gate's first query of ``table`` (the held-out
    decisions' read, after both models were loaded and scored on the sets): a real interleaving, not a mock."""
    done: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if not done and table in sql:
            done.append(sql)  # first, so that the action's own queries do not come back here
            action()
        return execute(sql, params, many, context)

    return done, wrapper


@pytest.mark.django_db
class TestTrainingRunGate:
    def test_another_activation_meanwhile_is_recorded_as_not_switched(
        self, register_version, base_active, trained, plant, admin_user, settings
    ):
        settings.LEGALNAME_PROMOTION_MARGIN = 0.05
        plant(base_active, holdings_pairs(seed=8, n=40), [0] * 40)
        candidate, other = register_version(source=trained["org"]), register_version()
        run = _run_for(candidate, admin_user)
        done, wrapper = _interleave(
            "feedback_feedback", lambda: model_version_activate(model_version=other, user=admin_user, reason="other")
        )

        with connection.execute_wrapper(wrapper):
            decision = training_run_gate(training_run=run)

        assert done and decision.outcome == Outcome.NOT_SWITCHED
        assert decision.detail.startswith("activated: ") and "but not switched" in decision.detail
        assert "switched by someone else meanwhile" in decision.detail
        assert model_version_active_get() == other and champion_version() == mlflow_number(other)
        assert not ModelDeployment.objects.filter(to_version=candidate).exists()
        run.refresh_from_db()
        assert run.promotion == decision.detail and run.stage == TrainingRun.Stage.DONE

    def test_an_artifact_broken_after_the_comparison_is_not_switched(
        self, register_version, base_active, trained, plant, admin_user, settings
    ):
        settings.LEGALNAME_PROMOTION_MARGIN = 0.05
        plant(base_active, holdings_pairs(seed=9, n=40), [0] * 40)
        candidate = register_version(source=trained["org"])
        done, wrapper = _interleave("feedback_feedback", lambda: corrupt(candidate))

        with connection.execute_wrapper(wrapper):
            decision = training_run_gate(training_run=_run_for(candidate, admin_user))

        assert done and decision.outcome == Outcome.NOT_SWITCHED, decision.detail
        assert "refused, the active version keeps serving" in decision.detail
        candidate.refresh_from_db()
        assert candidate.status == ModelVersion.Status.FAILED and not candidate.is_active
        assert model_version_active_get() == base_active and champion_version() == mlflow_number(base_active)

    def test_a_candidate_that_does_not_load_is_recorded_on_the_run_not_raised(
        self, register_version, base_active, admin_user
    ):
        candidate = register_version()
        corrupt(candidate)
        run = _run_for(candidate, admin_user)

        assert training_run_gate(training_run=run) is None

        run.refresh_from_db()
        assert run.promotion.startswith("the gate could not decide:") and run.stage == TrainingRun.Stage.DONE
        assert not PromotionDecision.objects.exists() and model_version_active_get() == base_active

    def test_a_failed_run_or_a_run_without_a_version_decides_nothing(self, register_version, admin_user):
        version = register_version()
        failed = training_run_create(trigger="schedule", requested_by=admin_user)
        TrainingRun.objects.filter(pk=failed.pk).update(status=TrainingRun.Status.FAILED, model_version=version)

        assert training_run_gate(training_run=failed) is None

        TrainingRun.objects.filter(pk=failed.pk).update(status=TrainingRun.Status.SUCCEEDED, model_version=None)
        assert training_run_gate(training_run=failed) is None
        assert not PromotionDecision.objects.exists() and not ModelVersion.objects.filter(is_active=True).exists()


@pytest.mark.django_db
@pytest.mark.slow
def test_train_model_prints_the_gates_decision_against_the_active_version(base_active, capsys):
    call_command("train_model", "--n-pairs", "1500", "--seed", "3")

    out = capsys.readouterr().out
    decision = PromotionDecision.objects.get()
    run = TrainingRun.objects.get(model_version=decision.candidate)
    assert decision.active == base_active and decision.training_run == run
    assert f"{decision.candidate}: {decision.detail}" in out
    assert decision.numbers["sets"]["golden"]["n"] > 0 and "decisions" in decision.numbers
