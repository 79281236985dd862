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
    df: float = math.inf  # degrees of freedom of its t interval

    def interval(self, low: float | None = None, high: float | None = None) -> tuple[float, float]:
        """The 95% interval, clipped to what the measure can be."""
        half = t95(self.df) * self.se
        lo, hi = self.value - half, self.value + half
        return (lo if low is None else max(low, lo)), (hi if high is None else min(high, hi))


def t95(df: float) -> float:
    """Student's t 97.5% quantile (Cornish-Fisher expansion: within 0.003 of the exact value from 5 degrees of
    freedom on, 0.03 at 3), so intervals on few or unevenly weighted outcomes are not too narrow."""
    if math.isinf(df):
        return Z95
    df = max(df, 1.0)
    z = Z95
    return (z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3))


def _effective_n(weights: list[float]) -> float:
    """Kish's effective sample size of weighted outcomes: (sum w)^2 / sum w^2."""
    return sum(weights) ** 2 / sum(w * w for w in weights)


def ipw_mean(outcomes: Iterable[tuple[float, float]]) -> Estimate | None:
    """The mean outcome had every eligible participant been given this strategy, from (outcome, probability the
    strategy was assigned with) of those who were: sum(y/p) / sum(1/p). Its variance is the linearized one,
    sum(w^2 (y - mean)^2) / (sum w)^2 with w = 1/p, with the small-sample factor n/(n-1); its interval uses
    Student's t at the weights' effective sample size. None below MIN_OUTCOMES."""
    rows = [(y, 1.0 / p) for y, p in outcomes]
    n = len(rows)
    if n < MIN_OUTCOMES:
        return None
    total = sum(w for _, w in rows)
    mean = sum(w * y for y, w in rows) / total
    variance = n / (n - 1) * sum(w * w * (y - mean) ** 2 for y, w in rows) / total ** 2
    return Estimate(mean, math.sqrt(variance), n, df=max(1.0, _effective_n([w for _, w in rows]) - 1))


def ipw_rate(outcomes: Iterable[tuple[float, float]]) -> Estimate | None:
    """ipw_mean of 0/1 outcomes, whose standard error is at least the Agresti-Coull one at the weights'
    effective sample size: all hits (or all misses) then still give an honest interval, not a point."""
    rows = list(outcomes)
    estimate = ipw_mean(rows)
    if estimate is None:
        return None
    n_eff = _effective_n([1.0 / p for _, p in rows])
    shrunk = (estimate.value * n_eff + 2) / (n_eff + 4)
    floor = math.sqrt(shrunk * (1 - shrunk) / (n_eff + 4))
    return Estimate(estimate.value, max(estimate.se, floor), estimate.n, estimate.df)


def difference(a: Estimate, b: Estimate) -> Estimate:
    """a - b, with Welch's degrees of freedom. One assignment gives one strategy, so the two estimates'
    linearized terms never share a row."""
    va, vb = a.se ** 2, b.se ** 2
    spread = va ** 2 / a.df + vb ** 2 / b.df
    df = (va + vb) ** 2 / spread if spread else math.inf
    return Estimate(a.value - b.value, math.sqrt(va + vb), min(a.n, b.n), df)


def beats(a: Estimate | None, b: Estimate | None) -> bool:
    """What the report says: A's estimate is above B's at the 95% level (both on enough outcomes)."""
    if a is None or b is None or min(a.n, b.n) < MIN_TO_COMPARE:
        return False
    return difference(a, b).interval()[0] > 0
