import numpy as np
import pytest

from comparisons.models import Prediction
from experiments.selectors import NOT_ENOUGH_DATA, experiment_list, experiment_results
from feedback.models import Feedback
from tests.comparisons.factories import PredictionFactory
from tests.experiments.factories import ExperimentFactory


def _plant(experiment, user, *, n: int, accuracy_a: float, accuracy_b: float, seed: int, audit: bool = True) -> None:
    """``n`` reviewed pairs scored by both arms (served by one, the other in shadow), each arm right with its
    accuracy; subjects alternate between arms in the split's proportion. The truth is MATERIAL on half the pairs."""
    rng = np.random.default_rng(seed)
    truth = rng.random(n) < 0.5
    a_right, b_right = rng.random(n) < accuracy_a, rng.random(n) < accuracy_b
    served_b = rng.random(n) < experiment.traffic_split
    predictions = []
    for i in range(n):
        a_says, b_says = bool(truth[i] == a_right[i]), bool(truth[i] == b_right[i])
        variant = "B" if served_b[i] else "A"
        predictions.append(
            PredictionFactory.build(
                user=user,
                model_version=experiment.model_b if served_b[i] else experiment.model_a,
                experiment=experiment,
                variant=variant,
                experiment_subject=f"subject-{i}",
                material=b_says if served_b[i] else a_says,
                shadow_material=a_says if served_b[i] else b_says,
                shadow_probability=0.5,
                latency_ms=float(i % 100) + (10 if served_b[i] else 0),
            )
        )
    Prediction.objects.bulk_create(predictions)
    Feedback.objects.bulk_create(
        Feedback(prediction=p, user=user, user_correction=bool(t), audit=audit)
        for p, t in zip(predictions, truth, strict=True)
    )


@pytest.mark.django_db
class TestExperimentResults:
    def test_a_planted_effect_is_found_by_mcnemar(self, analyst, django_assert_max_num_queries):
        experiment = ExperimentFactory(running=True, shadow=True, minimum_detectable_difference=0.2)
        _plant(experiment, analyst, n=600, accuracy_a=0.80, accuracy_b=0.90, seed=1)
        with django_assert_max_num_queries(6):  # counts, 2 latency ranks per arm, one aggregate: not one per row
            results = experiment_results(experiment=experiment)
        assert results.minimum_sample_size_per_arm < 300
        assert results.verdict == "B is better" and results.verdict_test.startswith("McNemar")
        audit = results.populations["audit"]
        assert audit.paired.n == 600 and audit.paired.b_only_right > audit.paired.a_only_right
        assert audit.paired.mcnemar_p_value < 0.001 and results.verdict_p_value == audit.paired.mcnemar_p_value
        a, b = audit.arms
        assert a.n_reviewed + b.n_reviewed == 600
        assert a.accuracy.low < a.accuracy.value < a.accuracy.high and b.accuracy.value > a.accuracy.value
        assert audit.accuracy_difference_low < audit.accuracy_difference < audit.accuracy_difference_high
        assert a.precision.n > 0 and a.recall.n > 0
        # agreement: both right or both wrong
        assert audit.paired.agreement.successes == audit.paired.both_right + audit.paired.both_wrong
        served = {arm.variant: arm for arm in results.serving}
        assert served["A"].n_served == a.n_reviewed and served["B"].n_subjects == b.n_reviewed
        assert served["A"].latency_p50_ms < served["A"].latency_p95_ms
        assert served["B"].latency_p50_ms > served["A"].latency_p50_ms  # B is planted 10 ms slower
        assert not results.sample_ratio.flagged

    def test_a_null_scenario_is_not_significant(self, analyst):
        experiment = ExperimentFactory(running=True, shadow=True, minimum_detectable_difference=0.2)
        _plant(experiment, analyst, n=600, accuracy_a=0.85, accuracy_b=0.85, seed=3)
        results = experiment_results(experiment=experiment)
        assert results.verdict == "no significant difference", results.populations["audit"].paired

    def test_not_enough_data_yet_is_a_result(self, analyst):
        experiment = ExperimentFactory(running=True, shadow=True)  # mdd 0.05: about 1570 reviewed per arm
        _plant(experiment, analyst, n=200, accuracy_a=0.6, accuracy_b=0.95, seed=1)
        results = experiment_results(experiment=experiment)
        assert results.verdict == NOT_ENOUGH_DATA and results.verdict_p_value is None
        assert results.populations["audit"].paired.mcnemar_p_value < 0.05  # shown, but no verdict rests on it

    def test_reviews_outside_the_audit_count_apart_and_decide_nothing(self, analyst):
        experiment = ExperimentFactory(running=True, minimum_detectable_difference=0.2)
        _plant(experiment, analyst, n=400, accuracy_a=0.6, accuracy_b=0.95, seed=2, audit=False)
        results = experiment_results(experiment=experiment)
        assert sum(arm.n_reviewed for arm in results.populations["all_reviews"].arms) == 400
        assert sum(arm.n_reviewed for arm in results.populations["audit"].arms) == 0
        assert results.verdict == NOT_ENOUGH_DATA

    def test_the_decision_in_force_is_the_label(self, analyst):
        experiment = ExperimentFactory(running=True)
        prediction = PredictionFactory(user=analyst, experiment=experiment, variant="A", material=True)
        Feedback.objects.create(prediction=prediction, user=analyst, user_correction=False, audit=True)
        Feedback.objects.create(prediction=prediction, user=analyst, user_correction=True, audit=True)  # in force
        audit = experiment_results(experiment=experiment).populations["audit"]
        assert audit.arms[0].n_reviewed == 1 and audit.arms[0].accuracy.successes == 1

    def test_an_experiment_without_traffic(self):
        results = experiment_results(experiment=ExperimentFactory())
        assert results.verdict == NOT_ENOUGH_DATA and results.sample_ratio.p_value is None
        assert [arm.latency_p50_ms for arm in results.serving] == [None, None]
        assert results.populations["audit"].accuracy_difference is None
        assert results.as_dict()["populations"]["audit"]["arms"][0]["accuracy"]["value"] is None


@pytest.mark.django_db
def test_experiment_list_is_newest_first_with_its_versions(django_assert_num_queries):
    first, second = ExperimentFactory(), ExperimentFactory()
    with django_assert_num_queries(1):
        rows = list(experiment_list())
        assert [r.pk for r in rows] == [second.pk, first.pk] and rows[0].model_a.name
