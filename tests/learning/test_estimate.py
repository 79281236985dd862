"""Inverse-propensity-weighted estimates: unbiased where the plain mean is not, and honest intervals."""

from __future__ import annotations

import random
import statistics

import pytest

from workshop.learning.estimate import MIN_TO_COMPARE, Estimate, beats, difference, ipw_mean, ipw_rate


def room(rng: random.Random, n: int = 400) -> list[tuple[float, float]]:
    """Strategy A's outcomes in a room where it was given more often to people who rate everything higher:
    half the people rate 4-5 with 80%, the others with 20% (so A's true rate is 50%); A went to the first half
    with probability 0.8, to the others with 0.2."""
    out = []
    for _ in range(n):
        keen = rng.random() < 0.5
        p = 0.8 if keen else 0.2
        if rng.random() < p:
            out.append((1.0 if rng.random() < (0.8 if keen else 0.2) else 0.0, p))
    return out


def test_the_weighted_estimate_is_unbiased_where_the_plain_mean_is_not():
    rng = random.Random(1)
    rooms = [room(rng) for _ in range(300)]
    weighted = statistics.mean(ipw_mean(r).value for r in rooms)
    plain = statistics.mean(statistics.mean(y for y, _ in r) for r in rooms)
    assert weighted == pytest.approx(0.5, abs=0.01)
    assert plain == pytest.approx(0.68, abs=0.02)


def test_the_95_percent_interval_covers_the_true_rate_about_95_times_in_100():
    rng = random.Random(2)
    covered = 0
    for _ in range(500):
        low, high = ipw_mean(room(rng)).interval()
        covered += low <= 0.5 <= high
    assert 0.92 <= covered / 500 <= 0.98


def test_an_estimate_needs_two_outcomes_and_a_comparison_needs_enough_on_both_sides():
    assert ipw_mean([(1.0, 0.5)]) is None
    strong = Estimate(0.9, 0.01, MIN_TO_COMPARE)
    weak = Estimate(0.1, 0.01, MIN_TO_COMPARE)
    assert beats(strong, weak) and not beats(weak, strong)
    assert not beats(Estimate(0.9, 0.01, MIN_TO_COMPARE - 1), weak)
    assert not beats(strong, None)
    assert difference(strong, weak).se == pytest.approx(0.01 * 2 ** 0.5)


def test_all_hits_still_give_an_interval_not_a_point():
    estimate = ipw_rate([(1.0, 0.5)] * 12)
    low, high = estimate.interval(0.0, 1.0)
    assert estimate.value == 1.0 and high == 1.0 and 0.6 < low < 0.9
    assert ipw_mean([(1.0, 0.5)] * 12).se == 0.0


def test_few_or_unevenly_weighted_outcomes_get_a_wider_interval_than_the_normal_one():
    even = ipw_mean([(float(i % 2), 0.5) for i in range(12)])
    uneven = ipw_mean([(float(i % 2), 0.1 if i < 2 else 0.9) for i in range(12)])
    assert even.df == pytest.approx(11) and uneven.df < 5
    low, high = even.interval()
    assert high - low == pytest.approx(2 * 2.201 * even.se, abs=0.01 * even.se)  # t with 11 degrees of freedom
