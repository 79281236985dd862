"""The loop's policy, in plain Python (no Django, no database): each strategy's posterior from the sums of its
outcomes, and the probabilities to draw a strategy with, by Thompson sampling mixed with uniform assignment the
TS-PostDiff way and a floor per strategy. The product (services.py) and the simulation (bench/learning_sim.py)
call these same functions. Method and sources: docs/learning.md."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass

FLOOR = 0.10  # every eligible strategy keeps at least this chance, so every one is still learned about
MAX_STRATEGIES = round(1 / FLOOR)  # more than this and the floor could not hold: the participant's first ones
SMALL_DIFFERENCE = 0.10  # TS-PostDiff's c: top-two resonance rates closer than this count as alike
DRAWS = 500  # posterior draws behind one assignment's probabilities (about 2 ms for three strategies)
POOL_WEIGHT = 20.0  # the other organizations' outcomes weigh at most as much as this many of our own
GAIN_PRIOR_N = 2.0  # the gain's prior: mean 0 worth two outcomes, ...
GAIN_PRIOR_VAR = 0.1  # ... with a spread of about 0.3 in F1 between people
GUARD_CONFIDENCE = 0.95  # a strategy harms accuracy once its mean gain is below zero with this posterior chance


@dataclass(frozen=True)
class Evidence:
    """Sums of one strategy's outcomes. A resonance outcome is a hit (rated 4-5 of 5) or a miss (rated lower, or
    replaced by "try another analogy"); a gain is post_f1 - pre_f1 (-1..1)."""
    resonance_n: float = 0.0
    resonance_hits: float = 0.0
    gain_n: float = 0.0
    gain_sum: float = 0.0
    gain_sumsq: float = 0.0

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(self.resonance_n + other.resonance_n, self.resonance_hits + other.resonance_hits,
                        self.gain_n + other.gain_n, self.gain_sum + other.gain_sum,
                        self.gain_sumsq + other.gain_sumsq)

    def capped(self, weight: float) -> Evidence:
        """The same evidence counted as at most ``weight`` outcomes of each kind (a pooled prior)."""
        r = min(1.0, weight / self.resonance_n) if self.resonance_n else 1.0
        g = min(1.0, weight / self.gain_n) if self.gain_n else 1.0
        return Evidence(self.resonance_n * r, self.resonance_hits * r, self.gain_n * g, self.gain_sum * g,
                        self.gain_sumsq * g)


def outcome_evidence(*, resonance_hit: bool | None, gain: float | None) -> Evidence:
    """One analogy's outcome as evidence (nothing for what was not answered)."""
    return Evidence(resonance_n=0.0 if resonance_hit is None else 1.0, resonance_hits=1.0 if resonance_hit else 0.0,
                    gain_n=0.0 if gain is None else 1.0, gain_sum=gain or 0.0, gain_sumsq=(gain or 0.0) ** 2)


@dataclass(frozen=True)
class Posterior:
    """Beta posterior of the resonance rate; normal posterior of the mean gain."""
    alpha: float
    beta: float
    gain_mean: float
    gain_sd: float

    @property
    def resonance_mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def harms_accuracy(self) -> bool:
        """The gain in naming the feelings is credibly below zero: the strategy makes it worse."""
        return 0.5 * math.erfc(self.gain_mean / (self.gain_sd * math.sqrt(2))) >= GUARD_CONFIDENCE

    def draw(self, rng: random.Random) -> float:
        """One Thompson draw of the guarded reward: the resonance rate, unless the strategy harms accuracy. Then
        it ranks below every strategy that does not, whatever its resonance (among such, the less harmful
        first): a strategy that raises resonance but lowers accuracy is not rewarded. The guard reads the
        posterior, not each draw, so while the gains look fine the assignment depends on resonance alone."""
        if self.harms_accuracy:
            return rng.gauss(self.gain_mean, self.gain_sd) - 1.0
        return rng.betavariate(self.alpha, self.beta)


def posterior(own: Evidence, pooled: Evidence | None = None) -> Posterior:
    """The organization's posterior: a flat prior, plus the other organizations' outcomes (counted as at most
    POOL_WEIGHT outcomes), plus its own."""
    evidence = own + pooled.capped(POOL_WEIGHT) if pooled is not None else own
    n = GAIN_PRIOR_N + evidence.gain_n
    spread = evidence.gain_sumsq - (evidence.gain_sum ** 2 / evidence.gain_n if evidence.gain_n else 0.0)
    variance = (GAIN_PRIOR_N * GAIN_PRIOR_VAR + max(0.0, spread)) / n
    return Posterior(alpha=1.0 + evidence.resonance_hits,
                     beta=1.0 + evidence.resonance_n - evidence.resonance_hits,
                     gain_mean=evidence.gain_sum / n, gain_sd=math.sqrt(variance / n))


@dataclass(frozen=True)
class Assignment:
    """The probabilities to draw one participant's strategy with, and how they came about."""
    probabilities: dict[str, float]
    uniform_share: float  # the chance of a uniform draw among alike strategies (1.0 paused or nothing to choose)
    mode: str  # adaptive | paused | only (the AssignmentMode values)

    @property
    def exploiting(self) -> bool:
        """The favourite has moved more than halfway from its uniform share to the most the floor allows."""
        k = len(self.probabilities)
        if self.mode != "adaptive" or k < 2:
            return False
        most = 1.0 - (k - 1) * FLOOR
        return max(self.probabilities.values()) >= 1 / k + 0.5 * (most - 1 / k)


def assignment(posteriors: Mapping[str, Posterior], *, rng: random.Random, paused: bool = False,
               draws: int = DRAWS) -> Assignment:
    """TS-PostDiff (Li, ..., Williams): with the posterior probability that the best strategies differ by less
    than SMALL_DIFFERENCE, assign uniformly among them; otherwise by Thompson sampling. With two strategies this
    is their algorithm as published; with more, each posterior draw shares its chance equally among the
    strategies within SMALL_DIFFERENCE of the draw's best (a clearly worse or guarded one is not among them).
    Then every strategy gets at least FLOOR. Paused: plain uniform. The probabilities are estimated from
    ``draws`` posterior draws; the strategy is then drawn from exactly these, so the one recorded is the true
    chance of the assignment."""
    strategies = list(posteriors)[:MAX_STRATEGIES]
    k = len(strategies)
    if k == 0:
        raise ValueError("no strategy to choose from")
    if k == 1:
        return Assignment({strategies[0]: 1.0}, 1.0, "only")
    if paused:
        return Assignment(dict.fromkeys(strategies, 1.0 / k), 1.0, "paused")
    shares = [0.0] * k
    alike = 0
    chosen = [posteriors[s] for s in strategies]
    for _ in range(draws):
        scores = [p.draw(rng) for p in chosen]
        best = max(scores)
        close = [i for i in range(k) if best - scores[i] < SMALL_DIFFERENCE]
        alike += len(close) > 1
        for i in close:
            shares[i] += 1.0 / len(close)
    probabilities = {s: FLOOR + (1 - k * FLOOR) * shares[i] / draws for i, s in enumerate(strategies)}
    return Assignment(probabilities, alike / draws, "adaptive")


def draw_strategy(chosen: Assignment, rng: random.Random) -> tuple[str, float]:
    """One strategy drawn with the assignment's probabilities, and its probability."""
    point = rng.random()
    items = list(chosen.probabilities.items())
    for strategy, probability in items[:-1]:
        point -= probability
        if point < 0:
            return strategy, probability
    return items[-1]
