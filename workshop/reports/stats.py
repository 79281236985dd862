"""Summary statistics from sums the database computed: means, standard deviations and Hedges' g.

The report never fetches individual gains. Each group arrives as (n, sum, sum of squares), which is all a
mean, a variance and a standardized difference need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile


@dataclass(frozen=True)
class Moments:
    """n values summarized by their sum and sum of squares."""

    n: int
    total: float
    squares: float

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def variance(self) -> float | None:
        """The sample variance (n - 1 in the denominator); None below two values."""
        if self.n < 2:
            return None
        return max(0.0, (self.squares - self.total * self.total / self.n) / (self.n - 1))

    @property
    def sd(self) -> float | None:
        variance = self.variance
        return math.sqrt(variance) if variance is not None else None


@dataclass(frozen=True)
class EffectSize:
    g: float
    ci_low: float
    ci_high: float
    n1: int
    n2: int
    difference: float  # mean of group 1 minus mean of group 2, in the measure's own unit


def hedges_g(group1: Moments, group2: Moments) -> EffectSize | None:
    """Hedges' g of group 1 against group 2, with its 95% confidence interval.

    The difference of the means is divided by the *pooled* standard deviation (both groups' variances
    weighted by their degrees of freedom, as Hedges defined g; not Welch's unpooled one), then multiplied by
    the small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9), which removes the upward bias of Cohen's d in
    small groups. The interval is g +/- 1.96 SE, with the large-sample variance of Hedges and Olkin (1985):
    SE^2 = J^2 ((n1 + n2) / (n1 n2) + d^2 / (2 (n1 + n2))).

    None when a group has fewer than two values or when every value is the same (no spread to scale by).
    """
    n1, n2 = group1.n, group2.n
    if n1 < 2 or n2 < 2:
        return None
    pooled = ((n1 - 1) * group1.variance + (n2 - 1) * group2.variance) / (n1 + n2 - 2)
    if pooled <= 0:
        return None
    difference = group1.mean - group2.mean
    d = difference / math.sqrt(pooled)
    j = 1 - 3 / (4 * (n1 + n2) - 9)
    se = j * math.sqrt((n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2)))
    g = j * d
    return EffectSize(g=g, ci_low=g - Z_95 * se, ci_high=g + Z_95 * se, n1=n1, n2=n2, difference=difference)


def effect_words(effect: EffectSize | None) -> str:
    """Cohen's rough labels for |g|, in plain words for the page."""
    if effect is None:
        return ""
    size = abs(effect.g)
    if size < 0.2:
        return "negligible"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "medium"
    return "large"
