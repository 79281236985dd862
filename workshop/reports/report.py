"""The report as plain data, already through the k rule: what the page, the exports, the PDF and the API show.

A suppressed figure keeps no number at all (value and n are None), only why it is hidden, so nothing
downstream can leak it by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workshop.reports.anonymity import SHOWN, SMALL, WITHHELD
from workshop.reports.filters import ReportFilters
from workshop.reports.stats import EffectSize

FUNNEL_STEPS = ("joined", "profile", "before", "analogy", "after", "reflection")
CONDITIONS = ("personalized", "generic")


@dataclass(frozen=True)
class Figure:
    """One number and how many participants it covers; both None when the k rule hides it."""

    value: float | int | None
    n: int | None
    status: str = SHOWN  # SHOWN, SMALL (fewer than k) or WITHHELD (protects a small one)

    @property
    def suppressed(self) -> bool:
        return self.status != SHOWN

    @classmethod
    def hidden(cls, status: str) -> Figure:
        return cls(value=None, n=None, status=status)


@dataclass(frozen=True)
class Row:
    """A cell of a breakdown (a funnel step, a source kind, a theme, a domain family)."""

    key: str
    people: Figure  # distinct participants in the cell
    mean: Figure  # the cell's mean (resonance 1..5), or for the funnel the share of everyone who joined
    responses: int | None = None  # answers behind the mean (a person may give several); None when hidden


@dataclass(frozen=True)
class ConditionRow:
    """One condition's gains: one gain per participant (the mean over their scenarios) is the unit."""

    condition: str
    people: Figure
    f1_gain: Figure  # mean gain in identification F1, after minus before, 0..1 scale
    f1_gain_sd: float | None
    understanding_gain: Figure  # mean gain in perceived understanding, 1..7 scale points
    understanding_gain_sd: float | None


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM, the month people joined
    workshops: Figure
    participants: Figure
    f1_before: Figure
    f1_after: Figure
    understanding_before: Figure
    understanding_after: Figure


@dataclass
class Report:
    k: int
    filters: ReportFilters
    generated: datetime
    workshops: Figure
    participants: Figure
    answered: Figure  # participants with at least one scenario answered before and after
    f1_before: Figure
    f1_after: Figure
    understanding_before: Figure
    understanding_after: Figure
    funnel: list[Row] = field(default_factory=list)
    conditions: list[ConditionRow] = field(default_factory=list)
    effect_f1: EffectSize | None = None  # personalized against generic; None when a group is below k
    effect_understanding: EffectSize | None = None
    resonance_by_source: list[Row] = field(default_factory=list)
    resonance_by_theme: list[Row] = field(default_factory=list)
    resonance_by_family: list[Row] = field(default_factory=list)
    trends: list[MonthRow] = field(default_factory=list)
    cache_key: str = ""  # set when the report went through the cache: what derived views (charts) key on
    stale: bool = False  # served from the last build while a newer one is being computed in the background

    @property
    def too_small(self) -> bool:
        """The whole selection covers fewer than k people: nothing but that fact is shown."""
        return self.participants.suppressed

    @property
    def empty(self) -> bool:
        """No one matches the filters."""
        return self.participants.value == 0


def _figure(figure: Figure, digits: int = 4) -> dict:
    value = figure.value
    if isinstance(value, float):
        value = round(value, digits)
    return {"value": value, "n": figure.n, "suppressed": _reason(figure.status)}


def _reason(status: str) -> str | None:
    return {SHOWN: None, SMALL: "fewer_than_k", WITHHELD: "withheld_to_protect_a_small_group"}[status]


def _row(row: Row) -> dict:
    return {"key": row.key, "people": _figure(row.people), "mean": _figure(row.mean), "responses": row.responses}


def _effect(effect: EffectSize | None) -> dict | None:
    if effect is None:
        return None
    return {"hedges_g": round(effect.g, 4), "ci95_low": round(effect.ci_low, 4), "ci95_high": round(effect.ci_high, 4),
            "n_personalized": effect.n1, "n_generic": effect.n2, "mean_difference": round(effect.difference, 4)}


def report_as_dict(report: Report) -> dict:
    """The report as JSON-safe data (the JSON export and the API's body). Hidden figures are null with a
    reason; nothing below k is present in any form."""
    return {
        "anonymity_k": report.k,
        "filters": report.filters.as_query(),
        "generated": report.generated.isoformat(),
        "stale": report.stale,  # a recent build served while the newer one is computed (REPORT_STALE_SECONDS)
        "too_small": report.too_small,
        "workshops": _figure(report.workshops),
        "participants": _figure(report.participants),
        "answered_before_and_after": _figure(report.answered),
        "identification_f1": {"before": _figure(report.f1_before), "after": _figure(report.f1_after)},
        "perceived_understanding": {"before": _figure(report.understanding_before),
                                    "after": _figure(report.understanding_after)},
        "funnel": [_row(row) for row in report.funnel],
        "conditions": [{
            "condition": c.condition, "people": _figure(c.people), "f1_gain": _figure(c.f1_gain),
            "f1_gain_sd": None if c.f1_gain_sd is None else round(c.f1_gain_sd, 4),
            "understanding_gain": _figure(c.understanding_gain),
            "understanding_gain_sd": None if c.understanding_gain_sd is None else round(c.understanding_gain_sd, 4),
        } for c in report.conditions],
        "effect_f1_gain": _effect(report.effect_f1),
        "effect_understanding_gain": _effect(report.effect_understanding),
        "resonance_by_source_kind": [_row(r) for r in report.resonance_by_source],
        "resonance_by_theme": [_row(r) for r in report.resonance_by_theme],
        "resonance_by_domain_family": [_row(r) for r in report.resonance_by_family],
        "monthly": [{
            "month": m.month, "workshops": _figure(m.workshops), "participants": _figure(m.participants),
            "f1_before": _figure(m.f1_before), "f1_after": _figure(m.f1_after),
            "understanding_before": _figure(m.understanding_before),
            "understanding_after": _figure(m.understanding_after),
        } for m in report.trends],
    }
