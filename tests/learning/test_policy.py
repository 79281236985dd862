"""The loop's policy, on its own: probabilities, the floor, pausing, the guard, TS-PostDiff, pooled priors."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from workshop.learning.policy import (
    FLOOR,
    MAX_STRATEGIES,
    Evidence,
    assignment,
    draw_strategy,
    outcome_evidence,
    posterior,
)


def rated(hits: int, n: int, gain: float = 0.1, spread: float = 0.2) -> Evidence:
    """n outcomes, `hits` of them rated 4-5, every gain ``gain`` give or take ``spread``."""
    total = Evidence()
    for i in range(n):
        g = gain + (spread if i % 2 else -spread)
        total = total + outcome_evidence(resonance_hit=i < hits, gain=g)
    return total


def probabilities(evidence: dict[str, Evidence], **kwargs) -> dict[str, float]:
    posteriors = {s: posterior(e) for s, e in evidence.items()}
    return assignment(posteriors, rng=random.Random(7), **kwargs).probabilities


@pytest.mark.parametrize("k", [2, 3, 5, MAX_STRATEGIES])
def test_every_eligible_strategy_keeps_the_floor_and_the_probabilities_sum_to_one(k):
    # One strategy is far better than all the others: they still keep their 10%.
    evidence = {f"s{i}": rated(45 if i == 0 else 5, 50) for i in range(k)}
    chosen = probabilities(evidence)
    assert min(chosen.values()) >= FLOOR - 1e-12
    assert sum(chosen.values()) == pytest.approx(1.0)
    assert max(chosen, key=chosen.get) == "s0"


def test_more_strategies_than_the_floor_allows_are_cut_to_the_first_ones():
    chosen = probabilities({f"s{i}": Evidence() for i in range(MAX_STRATEGIES + 3)})
    assert list(chosen) == [f"s{i}" for i in range(MAX_STRATEGIES)]
    assert min(chosen.values()) >= FLOOR - 1e-12


def test_a_clear_difference_is_exploited_and_a_small_one_is_randomized_evenly():
    clear = assignment({"a": posterior(rated(80, 100)), "b": posterior(rated(40, 100))}, rng=random.Random(1))
    assert clear.uniform_share < 0.05 and clear.probabilities["a"] == pytest.approx(0.9, abs=0.01)
    assert clear.exploiting
    alike = assignment({"a": posterior(rated(51, 100)), "b": posterior(rated(50, 100))}, rng=random.Random(1))
    assert alike.uniform_share > 0.6 and not alike.exploiting
    assert abs(alike.probabilities["a"] - 0.5) < 0.15


def test_paused_is_plain_uniform_whatever_was_learned():
    chosen = assignment({"a": posterior(rated(90, 100)), "b": posterior(rated(10, 100)),
                         "c": posterior(Evidence())}, rng=random.Random(3), paused=True)
    assert chosen.probabilities == {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3} and chosen.mode == "paused"


def test_one_strategy_is_certain():
    chosen = assignment({"own_experience:none:recalled:mixed": posterior(rated(0, 30))}, rng=random.Random(3))
    assert chosen.probabilities == {"own_experience:none:recalled:mixed": 1.0} and chosen.mode == "only"


def test_a_strategy_that_raises_resonance_but_lowers_accuracy_is_not_rewarded():
    harmful = rated(90, 100, gain=-0.15)
    helpful = rated(55, 100, gain=0.10)
    chosen = probabilities({"resonates": harmful, "helps": helpful})
    assert chosen["helps"] > 0.85 and chosen["resonates"] == pytest.approx(FLOOR, abs=0.02)


def test_the_drawn_strategy_follows_the_recorded_probabilities():
    chosen = assignment({"a": posterior(rated(70, 100)), "b": posterior(rated(55, 100)),
                         "c": posterior(rated(50, 100))}, rng=random.Random(5))
    rng = random.Random(11)
    draws = [draw_strategy(chosen, rng) for _ in range(20000)]
    counts = Counter(s for s, _ in draws)
    for strategy, p in chosen.probabilities.items():
        assert counts[strategy] / 20000 == pytest.approx(p, abs=0.015)
    assert all(p == chosen.probabilities[s] for s, p in draws)


def test_the_pooled_prior_weighs_at_most_twenty_outcomes_and_the_organizations_own_data_wins():
    pooled = rated(900, 1000)  # elsewhere: 90% rated it 4-5
    mine = rated(10, 100)  # here: 10%
    assert posterior(Evidence(), pooled).resonance_mean == pytest.approx(19 / 22, abs=0.01)
    assert posterior(mine, pooled).resonance_mean < 0.25
    assert posterior(mine).resonance_mean == pytest.approx(11 / 102)


def test_the_guard_waits_for_credible_harm_and_until_then_the_gains_do_not_move_the_assignment():
    assert not posterior(rated(9, 10, gain=-0.05)).harms_accuracy  # a little below zero, on ten answers
    assert posterior(rated(90, 100, gain=-0.15)).harms_accuracy
    helps_more = {"a": posterior(rated(50, 100, gain=0.30)), "b": posterior(rated(50, 100, gain=0.02))}
    helps_less = {"a": posterior(rated(50, 100, gain=0.02)), "b": posterior(rated(50, 100, gain=0.30))}
    assert (assignment(helps_more, rng=random.Random(4)).probabilities
            == assignment(helps_less, rng=random.Random(4)).probabilities)
