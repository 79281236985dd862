"""Inverse-propensity-weighted estimates: unbiased where the plain mean is not, and honest intervals."""

from __future__ import annotations

import random
import statistics

import pytest

from workshop.learning.estimate import (
    MIN_TO_COMPARE,
    Estimate,
    better_pairs,
    difference,
    ipw_mean,
    ipw_rate,
    studentized_range,
)


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
    assert better_pairs({"strong": strong, "weak": weak}) == [("strong", "weak")]
    assert better_pairs({"weak": weak, "strong": strong}) == [("strong", "weak")]
    assert better_pairs({"strong": Estimate(0.9, 0.01, MIN_TO_COMPARE - 1), "weak": weak}) == []
    assert better_pairs({"strong": strong, "weak": None}) == []
    assert difference(strong, weak).se == pytest.approx(0.01 * 2 ** 0.5)


def test_the_studentized_range_matches_the_published_table():
    # Harter (1960): the 95% point of the range of k standard normals.
    assert [round(studentized_range(k), 2) for k in (2, 3, 4, 5, 10)] == [2.77, 3.31, 3.63, 3.86, 4.47]


def test_two_strategies_are_compared_at_the_plain_95_level_and_more_need_a_larger_difference():
    # z = 2.2: past 1.96, so one comparison says it; not past 3.31 / sqrt 2 = 2.34, so with a third strategy
    # on the page (three comparisons) it is not said.
    a, b = Estimate(0.60, 0.05, 200), Estimate(0.60 - 2.2 * 0.05 * 2 ** 0.5, 0.05, 200)
    assert better_pairs({"a": a, "b": b}) == [("a", "b")]
    assert better_pairs({"a": a, "b": b, "c": Estimate(0.55, 0.05, 200)}) == []


def test_the_pages_comparisons_together_claim_a_false_difference_in_about_5_percent_of_null_rooms():
    """Three strategies with the same true rate, 60 outcomes each: the page claims some difference in about 5% of
    rooms (any of its three comparisons), where three separate 95% tests would in about 12%."""
    rng = random.Random(3)
    claimed = separately = 0
    for _ in range(1500):
        estimates = {s: ipw_rate([(float(rng.random() < 0.5), 0.5) for _ in range(60)]) for s in "abc"}
        claimed += bool(better_pairs(estimates))
        separately += any(difference(estimates[x], estimates[y]).interval()[0] > 0
                          or difference(estimates[x], estimates[y]).interval()[1] < 0
                          for x, y in (("a", "b"), ("a", "c"), ("b", "c")))
    assert 0.03 <= claimed / 1500 <= 0.07
    assert separately / 1500 > 0.09


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
