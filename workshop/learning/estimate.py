"""Unbiased estimates of each strategy's resonance and gain from adaptively assigned analogies, in plain Python:
inverse-propensity weighting with the probability each assignment was drawn with (the Hajek, self-normalized,
form), a 95% interval from its linearized variance, and the comparison the reports make ("A beats B"). The
reports (selectors.py) and the simulation (bench/learning_sim.py) call these same functions."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Z95 = 1.959963984540054
MIN_OUTCOMES = 2  # an estimate needs a spread
MIN_TO_COMPARE = 10  # "A beats B" is said only when both rest on at least this many outcomes


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float
    n: int  # outcomes it rests on

    def interval(self, low: float | None = None, high: float | None = None) -> tuple[float, float]:
        """The 95% interval, clipped to what the measure can be."""
        lo, hi = self.value - Z95 * self.se, self.value + Z95 * self.se
        return (lo if low is None else max(low, lo)), (hi if high is None else min(high, hi))


def ipw_mean(outcomes: Iterable[tuple[float, float]]) -> Estimate | None:
    """The mean outcome had every eligible participant been given this strategy, from (outcome, probability the
    strategy was assigned with) of those who were: sum(y/p) / sum(1/p). Its variance is the linearized one,
    sum(w^2 (y - mean)^2) / (sum w)^2 with w = 1/p, with the small-sample factor n/(n-1). None below
    MIN_OUTCOMES."""
    rows = [(y, 1.0 / p) for y, p in outcomes]
    n = len(rows)
    if n < MIN_OUTCOMES:
        return None
    total = sum(w for _, w in rows)
    mean = sum(w * y for y, w in rows) / total
    variance = n / (n - 1) * sum(w * w * (y - mean) ** 2 for y, w in rows) / total ** 2
    return Estimate(mean, math.sqrt(variance), n)


def ipw_rate(outcomes: Iterable[tuple[float, float]]) -> Estimate | None:
    """ipw_mean of 0/1 outcomes, whose standard error is at least the Agresti-Coull one at the weights'
    effective sample size: all hits (or all misses) then still give an honest interval, not a point."""
    rows = list(outcomes)
    estimate = ipw_mean(rows)
    if estimate is None:
        return None
    weights = [1.0 / p for _, p in rows]
    n_eff = sum(weights) ** 2 / sum(w * w for w in weights)
    shrunk = (estimate.value * n_eff + 2) / (n_eff + 4)
    return Estimate(estimate.value, max(estimate.se, math.sqrt(shrunk * (1 - shrunk) / (n_eff + 4))), estimate.n)


def difference(a: Estimate, b: Estimate) -> Estimate:
    """a - b. One assignment gives one strategy, so the two estimates' linearized terms never share a row."""
    return Estimate(a.value - b.value, math.sqrt(a.se ** 2 + b.se ** 2), min(a.n, b.n))


def beats(a: Estimate | None, b: Estimate | None) -> bool:
    """What the report says: A's estimate is above B's at the 95% level (both on enough outcomes)."""
    if a is None or b is None or min(a.n, b.n) < MIN_TO_COMPARE:
        return False
    return difference(a, b).interval()[0] > 0
