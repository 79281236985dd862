"""Unbiased estimates of each strategy's resonance and gain from adaptively assigned analogies, in plain Python:
inverse-propensity weighting with the probability each assignment was drawn with (the Hajek, self-normalized,
form), a 95% interval from its linearized variance, and the comparisons the reports make ("A beats B"). The
comparisons on one page hold at the 95% level together, not each on its own: a page of k strategies makes
k(k - 1)/2 comparisons, and tested one by one some pair "differs" by chance in about 12% of pages with three
strategies and 36% with six, whatever the assignment (bench/learning_sim.py), so the page's comparisons are tested
as one family (Games-Howell, below). The reports (selectors.py) and the simulation (bench/learning_sim.py) call these
same functions."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

LEVEL = 0.05  # the reports' 95%
MIN_OUTCOMES = 2  # an estimate needs a spread
MIN_TO_COMPARE = 10  # "A beats B" is said only when both rest on at least this many outcomes


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float
    n: int  # outcomes it rests on
    df: float = math.inf  # degrees of freedom of its t interval

    def interval(self, low: float | None = None, high: float | None = None, *, level: float = LEVEL
                 ) -> tuple[float, float]:
        """The two-sided (1 - level) interval, clipped to what the measure can be."""
        half = t_quantile(1 - level / 2, self.df) * self.se
        lo, hi = self.value - half, self.value + half
        return (lo if low is None else max(low, lo)), (hi if high is None else min(high, hi))


def t_quantile(p: float, df: float) -> float:
    """Student's t quantile (Cornish-Fisher expansion around the normal one: within 0.003 of the exact 97.5%
    value from 5 degrees of freedom on, 0.03 at 3), so intervals on few or unevenly weighted outcomes are not
    too narrow."""
    z = NormalDist().inv_cdf(p)
    if math.isinf(df):
        return z
    df = max(df, 1.0)
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


@lru_cache(maxsize=32)
def studentized_range(k: int, level: float = LEVEL) -> float:
    """The (1 - level) quantile of the range of k independent standard normals: the q with
    k * integral phi(z) (Phi(z + q) - Phi(z))^(k - 1) dz = 1 - level (Simpson's rule, then bisection). 3.314 for
    three, 2.772 (1.96 * sqrt 2) for two."""
    normal = NormalDist()
    steps, low_z, high_z = 600, -8.0, 8.0
    h = (high_z - low_z) / steps
    zs = [low_z + i * h for i in range(steps + 1)]
    pdf, cdf = [normal.pdf(z) for z in zs], [normal.cdf(z) for z in zs]

    def covered(q: float) -> float:
        total = 0.0
        for i, z in enumerate(zs):
            f = pdf[i] * (normal.cdf(z + q) - cdf[i]) ** (k - 1)
            total += f * (1 if i in (0, steps) else 4 if i % 2 else 2)
        return k * total * h / 3

    lo, hi = 0.0, 10.0
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if covered(mid) < 1 - level else (lo, mid)
    return (lo + hi) / 2


def better_pairs(estimates: Mapping[str, Estimate | None]) -> list[tuple[str, str]]:
    """(better, worse) for each pair of strategies whose estimates differ at the 95% level, the page's
    comparisons taken together (Games-Howell: each pair's t against the studentized range of the strategies
    compared, divided by sqrt 2, at the pair's Welch degrees of freedom). With equal, equally sure strategies the
    chance that the page claims any difference where there is none is 5%; with unequal sample sizes (as the loop
    makes them) at most that (Hayter 1984, proved for equal variances; bench/learning_sim.py measures ours), so an
    uneven split does not make the page's claims less trustworthy than an even one. Only strategies with at least
    MIN_TO_COMPARE outcomes are compared."""
    shown = [(s, e) for s, e in estimates.items() if e is not None and e.n >= MIN_TO_COMPARE]
    if len(shown) < 2:
        return []
    # The range's critical value as a per-comparison level, then at each pair's degrees of freedom.
    per_pair = 2 * (1 - NormalDist().cdf(studentized_range(len(shown)) / math.sqrt(2)))
    out = []
    for i, (a, ea) in enumerate(shown):
        for b, eb in shown[i + 1:]:
            d = difference(ea, eb)
            if d.se > 0 and abs(d.value) / d.se > t_quantile(1 - per_pair / 2, d.df):
                out.append((a, b) if d.value > 0 else (b, a))
    return out
