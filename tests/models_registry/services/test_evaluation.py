import logging

import numpy as np
import pytest

from comparisons.engine import Comparator
from feedback.models import Feedback
from feedback.services import feedback_create
from models_registry.services.evaluation import (
    comparator_evaluate,
    comparator_verdicts,
    evaluation_sets,
    held_out_decisions,
)
from tests.comparisons.factories import PredictionFactory

PAIRS = [
    ("Acme Ltd", "Acme Inc"),
    ("Acme Ltd", "ACME Limited"),
    ("Borealis Holdings GmbH", "Borealis GmbH"),
    ("Kestrel Bank plc", "Kestrel plc"),
    ("Northwind Traders Ltd", "Northwind Traders Limited"),
    ("Zenith S.A.", "Zenith SA"),
]


@pytest.fixture(scope="module")
def comparator(small_comparator_path) -> Comparator:
    return Comparator.load(small_comparator_path)


class TestEvaluationSets:
    def test_a_configured_set_without_its_file_is_skipped_with_a_warning(self, settings, tmp_path, caplog):
        present = tmp_path / "dev.csv"
        present.write_text("name1,name2,label\nAcme Ltd,Acme Inc,1\n")
        settings.LEGALNAME_EVALUATION_SETS = {"dev": str(present), "missing": str(tmp_path / "nowhere.csv")}

        with caplog.at_level(logging.WARNING, logger="models_registry.services.evaluation"):
            sets = evaluation_sets()

        assert sets == {"dev": present}
        assert "'missing' skipped" in caplog.text and "nowhere.csv" in caplog.text

    def test_each_set_is_scored_at_the_comparators_own_threshold(self, settings, tmp_path, comparator):
        path = tmp_path / "small.csv"
        path.write_text("name1,name2,label\n" + "".join(f"{a},{b},{i % 2}\n" for i, (a, b) in enumerate(PAIRS)))
        settings.LEGALNAME_EVALUATION_SETS = {"small": str(path), "gone": str(tmp_path / "gone.csv")}

        results = comparator_evaluate(comparator=comparator)

        assert set(results) == {"small"}
        verdicts = comparator_verdicts(comparator=comparator, pairs=PAIRS)
        labels = np.arange(len(PAIRS)) % 2
        assert results["small"]["n"] == len(PAIRS)
        assert results["small"]["accuracy"] == pytest.approx(float((verdicts == labels).mean()))


class TestComparatorVerdicts:
    def test_verdicts_follow_the_comparators_own_threshold(self, comparator):
        probs = comparator.predict_proba(PAIRS)
        assert len(set(np.round(probs, 6))) > 2  # the pairs spread, so a threshold between them splits them
        middle = float(np.sort(probs)[len(probs) // 2])

        original, comparator.threshold = comparator.threshold, middle
        try:
            verdicts = comparator_verdicts(comparator=comparator, pairs=PAIRS)
        finally:
            comparator.threshold = original

        assert verdicts.dtype.kind == "i" and verdicts.tolist() == (probs >= middle).astype(int).tolist()
        assert 0 < verdicts.sum() < len(PAIRS)

    def test_no_pairs_no_verdicts(self, comparator):
        assert comparator_verdicts(comparator=comparator, pairs=[]).shape == (0,)


@pytest.mark.django_db
class TestHeldOutDecisions:
    def test_only_the_decisive_decision_in_force_on_held_out_predictions(self, analyst, manager, model_version):
        def prediction(name1: str, name2: str):
            return PredictionFactory(model_version=model_version, user=analyst, name1=name1, name2=name2)

        def decide(p, material: bool, **kwargs):
            return feedback_create(prediction=p, user=analyst, user_correction=material, **kwargs)

        held = prediction("Held Ltd", "Held Inc")
        decide(held, True, audit=True)
        superseded = prediction("Changed Holdings Ltd", "Changed Ltd")
        decide(superseded, True, audit=True)
        feedback_create(prediction=superseded, user=manager, user_correction=False, audit=True)  # in force
        unsure = prediction("Unsure Ltd", "Unsure plc")
        decide(unsure, False, audit=True, confidence_score=0.2)  # below the decisive line (0.6)
        not_audit = prediction("Queue Ltd", "Queue GmbH")
        decide(not_audit, True)  # from the review queue, not the audit slice: trained on, never held out

        # Which predictions are held out is a hash of their id: mark every audit decision held out (what
        # feedback_create does for the held-out share), so the test knows which rows should count.
        Feedback.objects.filter(audit=True).update(holdout=True)
        assert not Feedback.objects.get(prediction=not_audit).holdout

        decisions = held_out_decisions()

        assert decisions.pairs == [("Held Ltd", "Held Inc"), ("Changed Holdings Ltd", "Changed Ltd")]
        assert decisions.labels.tolist() == [1, 0] and decisions.labels.dtype.kind == "i"

    def test_audit_decisions_are_held_out_by_the_share_setting(self, analyst, model_version, settings):
        settings.LEGALNAME_PROMOTION_HOLDOUT_SHARE = 0.0
        first = PredictionFactory(model_version=model_version, user=analyst, name1="A Ltd", name2="A Inc")
        feedback_create(prediction=first, user=analyst, user_correction=True, audit=True)
        assert held_out_decisions().pairs == []

        settings.LEGALNAME_PROMOTION_HOLDOUT_SHARE = 1.0
        second = PredictionFactory(model_version=model_version, user=analyst, name1="B Ltd", name2="B Inc")
        feedback_create(prediction=second, user=analyst, user_correction=False, audit=True)
        assert held_out_decisions().pairs == [("B Ltd", "B Inc")]

    def test_none_held_out(self, db):
        decisions = held_out_decisions()
        assert decisions.pairs == [] and decisions.labels.shape == (0,)
