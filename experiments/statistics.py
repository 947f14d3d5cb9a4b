"""The tests an experiment's results use: pure functions of counts (no Django), so they are tested on their own.

Decisions recorded here:

- **Difference of two accuracies** (B - A, independent arms): Newcombe's hybrid score interval (his method 10, 1998),
  built from the two Wilson intervals. Chosen over Wald's ``d +- z * se`` because Wald undercovers at the small n and
  the rates near 1 that a good comparator lives at, and can leave [-1, 1].
- **Two-proportion test**: the pooled z-test, two-sided.
- **Paired data** (both arms scored the same reviewed pair, thanks to shadow scoring): McNemar's exact test, i.e. a
  two-sided binomial test of the discordant pairs against 1/2 (``scipy.stats.binomtest``). Exact, so it holds at the
  few discordant pairs two similar models produce, where the chi-square version does not.
- **Sample-ratio mismatch**: a chi-square goodness-of-fit test of the subjects per arm against the split, flagged
  at p < 0.001 (a strict level: it is checked on every look, and a true flag means the assignment is broken).
- **Minimum sample size per arm**: the two-proportion z-test's classic formula at alpha 0.05 (two-sided), power 0.8,
  for a difference ``mdd`` centred on an accuracy of 0.5, the worst case (largest variance): computed before any
  data, with no assumption on how good either model is.
"""

from __future__ import annotations

import math

from scipy import stats

SRM_ALPHA = 0.001
ALPHA = 0.05
POWER = 0.8


def newcombe_difference_interval(
    x_a: int, n_a: int, x_b: int, n_b: int, wilson: tuple[tuple[float, float], tuple[float, float]]
) -> tuple[float, float]:
    """Newcombe's interval of ``x_b/n_b - x_a/n_a`` from the two arms' Wilson intervals ``(low_a, high_a), (low_b,
    high_b)``."""
    if n_a <= 0 or n_b <= 0:
        return -1.0, 1.0
    p_a, p_b = x_a / n_a, x_b / n_b
    (low_a, high_a), (low_b, high_b) = wilson
    d = p_b - p_a
    lower = d - math.sqrt((p_b - low_b) ** 2 + (high_a - p_a) ** 2)
    upper = d + math.sqrt((high_b - p_b) ** 2 + (p_a - low_a) ** 2)
    return max(-1.0, lower), min(1.0, upper)


def two_proportion_p_value(x_a: int, n_a: int, x_b: int, n_b: int) -> float | None:
    """Two-sided p-value of the pooled z-test that the two proportions are equal; None without data in both arms."""
    if n_a <= 0 or n_b <= 0:
        return None
    pooled = (x_a + x_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 1.0  # both arms all right (or all wrong): no evidence of a difference
    z = (x_b / n_b - x_a / n_a) / se
    return float(2 * stats.norm.sf(abs(z)))


def mcnemar_exact_p_value(a_only_right: int, b_only_right: int) -> float | None:
    """Two-sided exact McNemar p-value from the discordant pairs; None when there is none (nothing to test)."""
    discordant = a_only_right + b_only_right
    if discordant == 0:
        return None
    return float(stats.binomtest(b_only_right, discordant, 0.5).pvalue)


def sample_ratio_p_value(n_a: int, n_b: int, traffic_split: float) -> float | None:
    """Chi-square goodness-of-fit p-value of the subjects per arm against the expected split (share to B)."""
    total = n_a + n_b
    if total == 0:
        return None
    expected = [total * (1 - traffic_split), total * traffic_split]
    return float(stats.chisquare([n_a, n_b], f_exp=expected).pvalue)


def minimum_sample_size_per_arm(mdd: float, alpha: float = ALPHA, power: float = POWER, baseline: float = 0.5) -> int:
    """Reviewed items needed per arm for the two-sided two-proportion z-test to detect a difference ``mdd`` with the
    given power, around ``baseline`` (default the worst case, 0.5)."""
    p1, p2 = baseline - mdd / 2, baseline + mdd / 2
    p_bar = (p1 + p2) / 2
    z_alpha, z_beta = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    root = z_alpha * math.sqrt(2 * p_bar * (1 - p_bar)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(root**2 / mdd**2)
