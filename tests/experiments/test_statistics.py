import numpy as np
import pytest

from experiments.statistics import (
    mcnemar_exact_p_value,
    minimum_sample_size_per_arm,
    newcombe_difference_interval,
    sample_ratio_p_value,
    two_proportion_p_value,
)
from models_registry.monitoring.performance import wilson_interval


def _paired_p_value(rng: np.random.Generator, n: int, accuracy_a: float, accuracy_b: float) -> float:
    """One simulated experiment: each of ``n`` reviewed pairs is right or wrong in each arm, independently."""
    a_right = rng.random(n) < accuracy_a
    b_right = rng.random(n) < accuracy_b
    p = mcnemar_exact_p_value(int(np.sum(a_right & ~b_right)), int(np.sum(b_right & ~a_right)))
    return 1.0 if p is None else p


class TestMcNemar:
    def test_detects_a_planted_difference_at_its_size(self):
        """Arm B right on 92% of reviewed pairs, A on 85%: found at alpha 0.05 in nearly every one of 300 runs."""
        p_values = [_paired_p_value(np.random.default_rng(seed), 500, 0.85, 0.92) for seed in range(300)]
        assert np.mean(np.array(p_values) < 0.05) > 0.9

    def test_false_positive_rate_is_near_nominal_under_the_null(self):
        """Both arms 88% right: over 2000 runs the share of p < 0.05 stays at or under 5% (the exact test is
        conservative), and far from zero (it still has its size)."""
        p_values = np.array([_paired_p_value(np.random.default_rng(seed), 400, 0.88, 0.88) for seed in range(2000)])
        rate = np.mean(p_values < 0.05)
        assert 0.02 < rate < 0.065, rate

    def test_no_discordant_pair_is_no_test(self):
        assert mcnemar_exact_p_value(0, 0) is None
        assert mcnemar_exact_p_value(5, 5) == pytest.approx(1.0)
        assert mcnemar_exact_p_value(0, 10) == pytest.approx(2 * 0.5**10)


class TestNewcombe:
    def test_matches_newcombes_published_example(self):
        """Newcombe (1998), table II, example (a): 56/70 against 48/80, difference 0.2, interval 0.0524 to 0.3339
        (here B - A, so the signs flip)."""
        low, high = newcombe_difference_interval(56, 70, 48, 80, (wilson_interval(56, 70), wilson_interval(48, 80)))
        assert (low, high) == (pytest.approx(-0.3339, abs=5e-4), pytest.approx(-0.0524, abs=5e-4))

    def test_an_empty_arm_says_nothing(self):
        assert newcombe_difference_interval(0, 0, 5, 10, ((0, 1), wilson_interval(5, 10))) == (-1.0, 1.0)


class TestTwoProportions:
    def test_p_value(self):
        assert two_proportion_p_value(90, 100, 80, 100) == pytest.approx(0.0477, abs=1e-3)
        assert two_proportion_p_value(100, 100, 100, 100) == 1.0
        assert two_proportion_p_value(0, 0, 3, 4) is None


class TestSampleRatio:
    def test_an_honest_split_passes_and_a_broken_one_is_flagged(self):
        assert sample_ratio_p_value(150, 350, 0.7) == pytest.approx(1.0)
        assert sample_ratio_p_value(250, 250, 0.7) < 0.001
        assert sample_ratio_p_value(0, 0, 0.5) is None


class TestMinimumSampleSize:
    def test_the_textbook_value_and_its_scaling(self):
        # (1.96 + 0.8416)^2 * 2 * 0.25 / 0.05^2 = 1570 (to rounding), the worst case at 0.5
        assert minimum_sample_size_per_arm(0.05) == pytest.approx(1569, abs=2)
        assert minimum_sample_size_per_arm(0.10) < minimum_sample_size_per_arm(0.05) / 3.5
        assert minimum_sample_size_per_arm(0.05, baseline=0.9) < minimum_sample_size_per_arm(0.05)
