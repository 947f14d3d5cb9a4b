"""The label-free estimate (models_registry.monitoring.estimate): the expected confusion matrix from calibrated
probabilities, stored per version and window, and how close it comes to the realised metrics.

The stated tolerance: with n = 5,000 predictions whose labels are drawn from their own calibrated p, every estimated
metric lies within 0.03 of the realised one (the sampling sd of accuracy is about 0.006 here, so 0.03 is ~5 sd; over
seeds 0-4 the largest gap seen was 0.0074). When calibration is broken (labels drawn from p - 0.3), the same estimate
misses by more than the tolerance on every metric: the estimate is only as good as the calibration it assumes."""

import datetime as dt

import numpy as np
import pytest
import time_machine

from comparisons.models import Prediction
from models_registry.models import ModelMetric
from models_registry.monitoring.estimate import (
    ExpectedConfusion,
    expected_confusion,
    expected_metrics,
    performance_estimate_compute,
)
from models_registry.monitoring.performance import confusion_rates
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.factories import ModelVersionFactory

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
IN_DAY = dt.datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
IN_HOUR = dt.datetime(2026, 3, 5, 13, 20, tzinfo=UTC)
DAY = (dt.datetime(2026, 3, 4, tzinfo=UTC), dt.datetime(2026, 3, 5, tzinfo=UTC))
HOUR = (dt.datetime(2026, 3, 5, 13, tzinfo=UTC), dt.datetime(2026, 3, 5, 14, tzinfo=UTC))
TOLERANCE = 0.03
N = 5000


def traffic(version, user, at, probabilities: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Store one prediction per probability at ``at`` (verdict: p >= threshold); returns the verdicts."""
    predicted = probabilities >= threshold
    with time_machine.travel(at, tick=False):
        Prediction.objects.bulk_create(
            PredictionFactory.build(
                model_version=version,
                user=user,
                material=bool(given),
                probability_material=float(p),
                confidence=float(max(p, 1 - p)),
            )
            for p, given in zip(probabilities, predicted, strict=True)
        )
    return predicted


def realised(predicted: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    return confusion_rates(
        tp=int((predicted & labels).sum()),
        fp=int((predicted & ~labels).sum()),
        fn=int((~predicted & labels).sum()),
        tn=int((~predicted & ~labels).sum()),
    )


def stored(version, window) -> dict[str, float]:
    return dict(
        ModelMetric.objects.filter(
            model_version=version, dataset="estimate", window_start=window[0], window_end=window[1]
        ).values_list("metric_name", "metric_value")
    )


class TestExpectedConfusion:
    def test_sums_of_p_and_one_minus_p_by_verdict(self):
        confusion = expected_confusion(probabilities=np.array([0.9, 0.6, 0.2]), predicted=np.array([True, True, False]))
        assert confusion == pytest.approx(ExpectedConfusion(tp=1.5, fp=0.5, fn=0.2, tn=0.8, correct_variance=0.49))
        metrics = expected_metrics(confusion)
        assert metrics["accuracy"] == pytest.approx(2.3 / 3)
        assert metrics["precision"] == pytest.approx(0.75)
        assert metrics["recall"] == pytest.approx(1.5 / 1.7)
        assert metrics["f1"] == pytest.approx(3 / 3.7)
        assert metrics["accuracy_sd"] == pytest.approx(0.7 / 3)

    def test_refuses_what_is_not_a_probability(self):
        with pytest.raises(ValueError):
            expected_confusion(probabilities=np.array([1.2]), predicted=np.array([True]))
        with pytest.raises(ValueError):
            expected_confusion(probabilities=np.array([0.5, 0.5]), predicted=np.array([True]))


@pytest.mark.django_db
class TestPerformanceEstimateCompute:
    def test_within_tolerance_of_the_realised_metrics_when_calibration_holds(self, analyst):
        rng = np.random.default_rng(10)
        version = ModelVersionFactory()
        probabilities = rng.beta(0.7, 0.7, N)
        predicted = traffic(version, analyst, IN_DAY, probabilities)
        labels = rng.random(N) < probabilities  # calibrated: MATERIAL with probability p

        with time_machine.travel(NOW, tick=False):
            performance_estimate_compute(now=NOW)

        estimate = stored(version, DAY)
        truth = realised(predicted, labels)
        assert estimate["n"] == N
        for metric in ("accuracy", "precision", "recall", "f1"):
            assert abs(estimate[metric] - truth[metric]) < TOLERANCE, metric
        # the stored sd is the sampling spread: the realised accuracy sits within a few of them
        assert abs(estimate["accuracy"] - truth["accuracy"]) < 4 * estimate["accuracy_sd"]
        # the SQL aggregate and the numpy reference agree
        reference = expected_metrics(expected_confusion(probabilities=probabilities, predicted=predicted))
        assert {k: estimate[k] for k in reference} == pytest.approx(reference, rel=1e-9)

    def test_off_when_calibration_is_broken(self, analyst):
        """The assumption made visible: the same probabilities, but the world is less MATERIAL than the model
        believes (labels drawn from p - 0.3). The estimate does not move; the realised metrics do."""
        rng = np.random.default_rng(10)
        version = ModelVersionFactory()
        probabilities = rng.beta(0.7, 0.7, N)
        predicted = traffic(version, analyst, IN_DAY, probabilities)
        labels = rng.random(N) < np.clip(probabilities - 0.3, 0, 1)

        performance_estimate_compute(now=NOW)

        estimate = stored(version, DAY)
        truth = realised(predicted, labels)
        for metric in ("accuracy", "precision", "recall", "f1"):
            assert abs(estimate[metric] - truth[metric]) > TOLERANCE, metric
        assert estimate["precision"] - truth["precision"] > 0.2  # it overstates precision badly

    def test_windows_rows_and_idempotence(self, analyst, django_assert_max_num_queries):
        version = ModelVersionFactory()
        traffic(version, analyst, IN_HOUR, np.array([0.9, 0.6, 0.2]))
        traffic(version, analyst, IN_DAY - dt.timedelta(days=1), np.array([0.7]))  # in no window

        with django_assert_max_num_queries(7):
            rows = performance_estimate_compute(now=NOW)

        hour = stored(version, HOUR)
        assert set(hour) == {"n", "tp", "fp", "fn", "tn", "accuracy", "accuracy_sd", "precision", "recall", "f1"}
        assert hour["n"] == 3 and hour["tp"] == pytest.approx(1.5) and hour["tn"] == pytest.approx(0.8)
        assert stored(version, DAY) == {}
        assert len(rows) == ModelMetric.objects.count() == len(hour)

        before = sorted(ModelMetric.objects.values_list("metric_name", "metric_value", "window_start", "dataset"))
        performance_estimate_compute(now=NOW + dt.timedelta(minutes=20))
        after = sorted(ModelMetric.objects.values_list("metric_name", "metric_value", "window_start", "dataset"))
        assert after == before

    def test_only_the_named_model_and_never_the_labelled_rows(self, analyst):
        version = ModelVersionFactory()
        other = ModelVersionFactory(name="other-comparator")
        traffic(version, analyst, IN_HOUR, np.array([0.9]))
        traffic(other, analyst, IN_HOUR, np.array([0.9]))
        labelled = ModelMetric.objects.create(
            model_version=version,
            dataset="audit",
            metric_name="n",
            metric_value=1,
            window_start=HOUR[0],
            window_end=HOUR[1],
            recorded_at=NOW,
        )
        performance_estimate_compute(now=NOW, model_name="legal-name-comparator")
        assert ModelMetric.objects.filter(pk=labelled.pk).exists()
        assert not ModelMetric.objects.filter(model_version=other).exists()
        assert stored(version, HOUR)["precision"] == pytest.approx(0.9)
