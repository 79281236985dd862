"""report_build: the organization's report for some filters, with every figure through the k rule.

The database returns groups (per condition and month, per source kind, theme and family); this module only
adds up those few groups and decides what may be shown. The unit of the gains is the participant: each
person's gain is the mean over the scenarios they answered before and after, because the condition
(personalized or generic) is assigned per person, and two answers of one person are not independent.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from workshop.reports.anonymity import SHOWN, SMALL, suppress_funnel, suppress_row
from workshop.reports.cache import cached_report
from workshop.reports.filters import ReportFilters
from workshop.reports.queries import (
    ParticipantGroup,
    ResonanceGroup,
    participant_groups,
    resonance_groups,
    selection_resolve,
    workshops_count,
)
from workshop.reports.report import (
    CONDITIONS,
    FUNNEL_STEPS,
    ConditionRow,
    Figure,
    MonthRow,
    Report,
    Row,
    report_as_dict,
)
from workshop.reports.rollup import rollup_refresh
from workshop.reports.stats import Moments, hedges_g
from workshop.tenancy.models import Organization

__all__ = ["report_as_dict", "report_build"]

SOURCE_KINDS = ("own_experience", "domain", "universal")


def _shown(value, n: int, status: str = SHOWN) -> Figure:
    return Figure(value=value, n=n) if status == SHOWN else Figure.hidden(status)


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


def _sum(groups: list[ParticipantGroup], name: str) -> float:
    return sum(getattr(g, name) for g in groups)


def _funnel(groups: list[ParticipantGroup], k: int) -> list[Row]:
    counts = [int(_sum(groups, step)) for step in FUNNEL_STEPS]
    statuses = suppress_funnel(counts, k=k)
    joined = counts[0]
    return [Row(key=step, people=_shown(n, n, status), mean=_shown(_mean(n, joined), n, status))
            for step, n, status in zip(FUNNEL_STEPS, counts, statuses, strict=True)]


def _conditions(groups: list[ParticipantGroup], k: int):
    by_condition = {c: [g for g in groups if g.condition == c] for c in CONDITIONS}
    answered = [int(_sum(by_condition[c], "answered")) for c in CONDITIONS]
    statuses = suppress_row(answered, k=k)
    rows, moments = [], {}
    for condition, n, status in zip(CONDITIONS, answered, statuses, strict=True):
        mine = by_condition[condition]
        f1 = Moments(n=n, total=_sum(mine, "f1_gain"), squares=_sum(mine, "f1_gain_sq"))
        understanding = Moments(n=n, total=_sum(mine, "u_gain"), squares=_sum(mine, "u_gain_sq"))
        moments[condition] = (f1, understanding) if status == SHOWN and n else None
        rows.append(ConditionRow(
            condition=condition, people=_shown(n, n, status),
            f1_gain=_shown(f1.mean, n, status) if n else _shown(None, 0, status),
            f1_gain_sd=f1.sd if status == SHOWN else None,
            understanding_gain=_shown(understanding.mean, n, status) if n else _shown(None, 0, status),
            understanding_gain_sd=understanding.sd if status == SHOWN else None,
        ))
    effects = (None, None)
    if moments["personalized"] and moments["generic"]:
        (pf1, pu), (gf1, gu) = moments["personalized"], moments["generic"]
        effects = (hedges_g(pf1, gf1), hedges_g(pu, gu))
    return rows, effects


def _months(groups: list[ParticipantGroup], workshops: dict[str, int], k: int) -> list[MonthRow]:
    by_month: dict[str, list[ParticipantGroup]] = defaultdict(list)
    for g in groups:
        by_month[g.month].append(g)
    months = sorted(by_month)
    joined = [int(_sum(by_month[m], "joined")) for m in months]
    answered = [int(_sum(by_month[m], "answered")) for m in months]
    joined_status = suppress_row(joined, k=k)
    answered_status = suppress_row(answered, k=k)
    rows = []
    for month, n, status, paired, paired_status in zip(months, joined, joined_status, answered, answered_status,
                                                        strict=True):
        mine = by_month[month]
        def measure(name: str, _mine=mine, _paired=paired, _status=paired_status) -> Figure:
            return _shown(_mean(_sum(_mine, name), _paired), _paired, _status)

        rows.append(MonthRow(
            month=month, workshops=_shown(workshops.get(month, 0), n, status), participants=_shown(n, n, status),
            f1_before=measure("f1_before"), f1_after=measure("f1_after"),
            understanding_before=measure("u_before"), understanding_after=measure("u_after"),
        ))
    return rows


def _resonance(groups: list[ResonanceGroup], keys: tuple[str, ...] | None, k: int) -> list[Row]:
    found = {g.key: g for g in groups}
    ordered = list(keys) if keys is not None else sorted(found)
    ordered += sorted(set(found) - set(ordered))
    counts = [found[key].people if key in found else 0 for key in ordered]
    statuses = suppress_row(counts, k=k)
    rows = []
    for key, n, status in zip(ordered, counts, statuses, strict=True):
        group = found.get(key)
        mean = _mean(group.total, group.responses) if group else None
        rows.append(Row(key=key or "unknown", people=_shown(n, n, status), mean=_shown(mean, n, status),
                        responses=(group.responses if group else 0) if status == SHOWN else None))
    return rows


def _everything_hidden(report: Report) -> Report:
    hidden = Figure.hidden(SMALL)
    report.workshops = report.answered = hidden
    report.f1_before = report.f1_after = report.understanding_before = report.understanding_after = hidden
    return report


def report_build(*, organization: Organization, filters: ReportFilters, use_cache: bool = True,
                 allow_stale: bool = False) -> Report:
    """The report for ``filters``, in a fixed number of queries. Call it with the organization's scope open.

    A report already built for the same filters, k and data is taken from the cache (see cache.py). With
    ``allow_stale`` (pages, not downloads) a recent build for older data may be returned, marked stale, while
    a worker computes the new one."""
    if use_cache:
        return cached_report(organization=organization, filters=filters, allow_stale=allow_stale,
                             build=lambda: report_build(organization=organization, filters=filters, use_cache=False))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The aggregates hash and sort a few hundred thousand rows: let them do it in memory, for this
            # transaction only (the server's default 4 MB spills them to disk).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
                # JIT compiling these plans costs more (0.15 s measured) than it saves on a few 100k rows.
                cursor.execute("SET LOCAL jit = off")
        return _report_compute(organization=organization, filters=filters)


def _report_compute(*, organization: Organization, filters: ReportFilters) -> Report:
    k = organization.anonymity_k
    selection = selection_resolve(organization=organization, filters=filters)
    if selection.cells is not None:  # the report reads the rollup's cells: bring them up to date first
        rollup_refresh(organization=organization, primary_theme=selection.primary_theme)
    groups = participant_groups(selection=selection)
    joined = int(_sum(groups, "joined"))
    hidden = Figure.hidden(SMALL)
    report = Report(k=k, filters=filters, generated=timezone.now(), workshops=hidden,
                    participants=_shown(joined, joined, SMALL if 0 < joined < k else SHOWN), answered=hidden,
                    f1_before=hidden, f1_after=hidden, understanding_before=hidden, understanding_after=hidden)
    if report.too_small:
        return _everything_hidden(report)
    answered = int(_sum(groups, "answered"))
    answered_status = SMALL if 0 < answered < k else SHOWN
    workshops, workshops_by_month = workshops_count(selection=selection)
    report.workshops = _shown(workshops, joined)
    report.answered = _shown(answered, answered, answered_status)
    for name, column in (("f1_before", "f1_before"), ("f1_after", "f1_after"),
                         ("understanding_before", "u_before"), ("understanding_after", "u_after")):
        setattr(report, name, _shown(_mean(_sum(groups, column), answered), answered, answered_status))
    report.funnel = _funnel(groups, k)
    report.conditions, (report.effect_f1, report.effect_understanding) = _conditions(groups, k)
    report.resonance_by_source = _resonance(resonance_groups(selection=selection, by="source_kind"), SOURCE_KINDS, k)
    report.resonance_by_theme = _resonance(resonance_groups(selection=selection, by="theme"), None, k)
    report.resonance_by_family = _resonance(resonance_groups(selection=selection, by="source_family"), None, k)
    report.trends = _months(groups, workshops_by_month, k)
    return report
