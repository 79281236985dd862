"""The loop's page: its state, each strategy's share and inverse-propensity-weighted estimates with their 95%
intervals, what it is doing now per theme, and the comparisons the intervals support. k-anonymous: a strategy
that covers fewer than the organization's k people shows nothing but that it is small, and enough others are
withheld with it that no small one can be worked out from the rest; an estimate rests on at least k people; what
the loop does now in a theme is read only from strategies at least k people rated there."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from workshop.learning.estimate import MIN_TO_COMPARE, Estimate, better_pairs, ipw_mean, ipw_rate
from workshop.learning.labels import strategy_label
from workshop.learning.models import LoopSettings, LoopState, StrategyAssignment
from workshop.learning.policy import assignment
from workshop.learning.services import loop_settings, strategy_posteriors
from workshop.reports.anonymity import SHOWN, suppress_row
from workshop.scenarios.themes import THEME_LABELS
from workshop.tenancy.models import Organization

MEASURES = ("resonance", "gain")


@dataclass(frozen=True)
class StrategyRow:
    strategy: str
    label: str
    shown: bool  # covers at least k people (and is not withheld to protect a small one)
    assigned: int | None = None  # analogies written by it, in this epoch
    share: float | None = None  # of all analogies the loop assigned
    resonance: Estimate | None = None  # top-two box rate, IPW
    gain: Estimate | None = None  # post_f1 - pre_f1, IPW

    @property
    def share_percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)

    @property
    def resonance_percent(self) -> tuple[int, int, int] | None:
        """The estimate and its 95% interval, in percent."""
        if self.resonance is None:
            return None
        low, high = self.resonance.interval(0.0, 1.0)
        return round(100 * self.resonance.value), round(100 * low), round(100 * high)

    @property
    def gain_interval(self) -> tuple[float, float, float] | None:
        """The estimate and its 95% interval, in F1 (-1..1)."""
        if self.gain is None:
            return None
        return (self.gain.value, *self.gain.interval(-1.0, 1.0))


@dataclass(frozen=True)
class ThemeState:
    theme: str
    label: str
    exploiting: bool
    favourite: str  # the label of the strategy the loop favours now
    probability: float  # ... and its chance for a participant who could have any of the theme's strategies

    @property
    def percent(self) -> int:
        return round(100 * self.probability)


@dataclass(frozen=True)
class Comparison:
    measure: str
    better: str
    worse: str


@dataclass(frozen=True)
class LoopReport:
    settings: LoopSettings
    k: int
    rows: list[StrategyRow]
    themes: list[ThemeState]
    comparisons: list[Comparison]
    assigned: int | None  # all the loop's analogies in this epoch, when they cover at least k people

    @property
    def paused(self) -> bool:
        return self.settings.state == LoopState.PAUSED

    @property
    def min_to_compare(self) -> int:
        return MIN_TO_COMPARE


def _estimate(outcomes: list[tuple[float, float, int]], k: int, measure: str) -> Estimate | None:
    """IPW of (outcome, probability, participant) rows, when they come from at least k people."""
    if len({person for _, _, person in outcomes}) < k:
        return None
    return (ipw_rate if measure == "resonance" else ipw_mean)([(y, p) for y, p, _ in outcomes])


def loop_report(*, organization: Organization) -> LoopReport:
    settings = loop_settings(organization_id=organization.id)
    k = organization.anonymity_k
    assigned: dict[str, int] = defaultdict(int)
    people: dict[str, set[int]] = defaultdict(set)
    outcomes: dict[str, dict[str, list]] = defaultdict(lambda: {m: [] for m in MEASURES})
    rated: dict[tuple[str, str], set[int]] = defaultdict(set)  # (theme, strategy) -> who rated its analogies
    rows = (StrategyAssignment.objects.filter(epoch=settings.epoch)
            .values_list("strategy", "theme", "probability", "resonance_hit", "gain", "analogy__participant_id"))
    for strategy, theme, probability, hit, gain, person in rows:
        assigned[strategy] += 1
        people[strategy].add(person)
        if hit is not None:
            outcomes[strategy]["resonance"].append((1.0 if hit else 0.0, probability, person))
            rated[theme, strategy].add(person)
        if gain is not None:
            outcomes[strategy]["gain"].append((gain, probability, person))
    order = sorted(assigned, key=lambda s: (-assigned[s], s))
    status = suppress_row([len(people[s]) for s in order], k=k)
    total = sum(assigned.values())
    everyone = set().union(*people.values()) if people else set()
    report_rows = []
    for strategy, state in zip(order, status, strict=True):
        if state != SHOWN:
            report_rows.append(StrategyRow(strategy, strategy_label(strategy), shown=False))
            continue
        report_rows.append(StrategyRow(
            strategy, strategy_label(strategy), shown=True, assigned=assigned[strategy],
            share=assigned[strategy] / total, resonance=_estimate(outcomes[strategy]["resonance"], k, "resonance"),
            gain=_estimate(outcomes[strategy]["gain"], k, "gain")))
    return LoopReport(settings=settings, k=k, rows=report_rows, comparisons=_comparisons(report_rows),
                      themes=_themes(settings, rated, k),
                      assigned=total if len(everyone) >= k else None)


def _comparisons(rows: list[StrategyRow]) -> list[Comparison]:
    """What beats what between the strategies whose estimates are shown, the page's comparisons holding at the
    95% level together."""
    labels = {row.strategy: row.label for row in rows}
    return [Comparison(measure, labels[a], labels[b]) for measure in MEASURES
            for a, b in better_pairs({row.strategy: getattr(row, measure) for row in rows})]


def _themes(settings: LoopSettings, rated: dict[tuple[str, str], set[int]], k: int) -> list[ThemeState]:
    """What the loop would do now in each theme, between the strategies at least k people rated there, for a
    participant who could have any of them. A fixed seed keeps the page the same on reload."""
    covered: dict[str, list[str]] = defaultdict(list)
    for (theme, strategy), who in sorted(rated.items()):
        if len(who) >= k:
            covered[theme].append(strategy)
    out = []
    for theme, names in sorted(covered.items()):
        if len(names) < 2:
            continue
        now = assignment(strategy_posteriors(settings=settings, theme=theme, strategies=names),
                         rng=random.Random(0), paused=settings.state == LoopState.PAUSED)
        favourite = max(now.probabilities, key=lambda s: (now.probabilities[s], s))
        out.append(ThemeState(theme, str(THEME_LABELS.get(theme, theme)), now.exploiting,
                              strategy_label(favourite), now.probabilities[favourite]))
    return out
