"""Report exports: the aggregates as CSV and JSON, and an anonymized participant-level CSV.

Spreadsheet safety: a text cell that begins with = + - @ (or a tab or carriage return) would be run as a
formula by Excel or LibreOffice, so it gets a leading apostrophe. Numbers are written as numbers, never
touched (a negative gain stays -0.25).

The participant-level file names no one: no names, pseudonyms or public ids (rows and people get random ids
made for this file only), join dates cut to the month, free text only where the participant chose to share
it, and no domain family (a hobby can point at one person). It is k-anonymous over its quasi-identifiers
(workshop, month, condition): a group of fewer than k people is first merged across workshops ("*"), then
across months, and dropped if it is still smaller than k.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from workshop.reports.filters import ReportFilters
from workshop.reports.queries import month_key, selected_responses, selection_resolve
from workshop.reports.report import Figure, Report, report_as_dict
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Organization

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ANY = "*"


def neutralize(value):
    """A cell safe to open in a spreadsheet: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return out.getvalue()


AGGREGATE_HEADER = ["section", "key", "measure", "value", "people", "suppressed"]


def _figure_row(section: str, key: str, measure: str, figure: Figure) -> list:
    reason = {"": "", "small": "fewer than k", "withheld": "withheld to protect a small group"}[figure.status]
    value = round(figure.value, 4) if isinstance(figure.value, float) else figure.value
    return [section, key, measure, "" if value is None else value, "" if figure.n is None else figure.n, reason]


def aggregate_rows(report: Report) -> list[list]:
    """The report as long-format rows: one figure per row, suppressed figures without a number."""
    rows = [AGGREGATE_HEADER]
    add = rows.append
    add(_figure_row("overview", "all", "workshops", report.workshops))
    add(_figure_row("overview", "all", "participants", report.participants))
    add(_figure_row("overview", "all", "answered_before_and_after", report.answered))
    for measure in ("f1_before", "f1_after", "understanding_before", "understanding_after"):
        add(_figure_row("overview", "all", measure, getattr(report, measure)))
    for row in report.funnel:
        add(_figure_row("funnel", row.key, "people", row.people))
    for c in report.conditions:
        add(_figure_row("condition", c.condition, "people", c.people))
        add(_figure_row("condition", c.condition, "f1_gain_mean", c.f1_gain))
        add(_figure_row("condition", c.condition, "understanding_gain_mean", c.understanding_gain))
    for name, effect in (("f1_gain", report.effect_f1), ("understanding_gain", report.effect_understanding)):
        if effect is not None:
            n = effect.n1 + effect.n2
            for measure, value in (("hedges_g", effect.g), ("ci95_low", effect.ci_low), ("ci95_high", effect.ci_high)):
                add(_figure_row("effect_personalized_vs_generic", name, measure, Figure(value=value, n=n)))
    for section, table in (("resonance_by_source_kind", report.resonance_by_source),
                           ("resonance_by_theme", report.resonance_by_theme),
                           ("resonance_by_domain_family", report.resonance_by_family)):
        for row in table:
            add(_figure_row(section, row.key, "people", row.people))
            add(_figure_row(section, row.key, "resonance_mean", row.mean))
    for m in report.trends:
        for measure in ("workshops", "participants", "f1_before", "f1_after", "understanding_before",
                        "understanding_after"):
            add(_figure_row("monthly", m.month, measure, getattr(m, measure)))
    return rows


def aggregates_csv(report: Report) -> str:
    return _csv(aggregate_rows(report))


def aggregates_json(report: Report) -> str:
    return json.dumps(report_as_dict(report), ensure_ascii=False, indent=2)


PEOPLE_HEADER = ["row", "person", "workshop", "month", "condition", "scenario", "theme", "source_kind",
                 "f1_before", "f1_after", "understanding_before", "understanding_after", "resonance",
                 "shared_reflection"]


@dataclass
class PeopleExport:
    """The rows (a generator: the file is streamed) and what was generalized or left out, for the audit."""

    rows: Iterator[list]
    groups: int = 0
    generalized_workshop: int = 0  # people whose workshop is shown as *
    generalized_month: int = 0  # people whose workshop and month are shown as *
    dropped: int = 0  # people left out: even merged, their group was smaller than k
    summary: dict = field(default_factory=dict)


def _plan(sizes: dict[tuple, int], k: int) -> tuple[dict[tuple, tuple | None], dict[str, int]]:
    """For each (workshop, month, condition) group, the quasi-identifiers it is shown with, or None to drop."""
    shown: dict[tuple, tuple | None] = {}
    merged: dict[tuple, list[tuple]] = defaultdict(list)
    counts = {"generalized_workshop": 0, "generalized_month": 0, "dropped": 0}
    for key, n in sizes.items():
        if n >= k:
            shown[key] = key
        else:
            merged[(ANY, key[1], key[2])].append(key)
    merged_again: dict[tuple, list[tuple]] = defaultdict(list)
    for general, keys in merged.items():
        if sum(sizes[key] for key in keys) >= k:
            for key in keys:
                shown[key] = general
                counts["generalized_workshop"] += sizes[key]
        else:
            merged_again[(ANY, ANY, general[2])].extend(keys)
    for general, keys in merged_again.items():
        keep = sum(sizes[key] for key in keys) >= k
        for key in keys:
            shown[key] = general if keep else None
            counts["generalized_month" if keep else "dropped"] += sizes[key]
    return shown, counts


def people_export(*, organization: Organization, filters: ReportFilters) -> PeopleExport:
    """The anonymized participant-level rows for ``filters``: one row per answered scenario."""
    k = organization.anonymity_k
    selection = selection_resolve(organization=organization, filters=filters)
    answers = selected_responses(selection).annotate(month=TruncMonth("participant__created"))
    # Group sizes count the people who have a row in this file (not everyone who joined).
    sizes = {(row["participant__workshop_id"], month_key(row["month"]), row["participant__condition"]): row["n"]
             for row in answers.values("participant__workshop_id", "month", "participant__condition")
             .annotate(n=Count("participant_id", distinct=True)).order_by()}
    plan, counts = _plan(sizes, k)
    shared = dict(answers.filter(share_reflection=True).exclude(reflection="").values_list("id", "reflection"))
    slugs = dict(Scenario.objects.filter(Q(organization=organization) | Q(organization__isnull=True))
                 .values_list("id", "slug"))
    rng = secrets.SystemRandom()
    workshop_alias: dict[int, str] = {}
    person_alias: dict[int, str] = {}
    workshop_ids = sorted({key[0] for key in sizes})
    rng.shuffle(workshop_ids)
    for i, wid in enumerate(workshop_ids, 1):
        workshop_alias[wid] = f"workshop-{i:04d}"

    def rows() -> Iterator[list]:
        yield PEOPLE_HEADER
        columns = ("id", "participant_id", "participant__workshop_id", "month", "participant__condition",
                   "scenario_id", "source_kind", "pre_f1", "post_f1", "pre_understanding", "post_understanding",
                   "resonance")
        queryset = (answers.values_list(*columns)
                    .order_by("participant__workshop_id", "participant_id", "scenario_id"))
        for rid, pid, wid, month, condition, sid, kind, pre, post, pre_u, post_u, resonance in queryset.iterator(
                chunk_size=5000):
            shown = plan.get((wid, month_key(month), condition))
            if shown is None:
                continue
            if pid not in person_alias:
                person_alias[pid] = secrets.token_hex(6)
            workshop = workshop_alias[wid] if shown[0] != ANY else ANY
            yield [secrets.token_hex(6), person_alias[pid], workshop, shown[1], shown[2], slugs.get(sid, ""),
                   selection.primary_theme.get(sid, ""), kind, _round(pre), _round(post), pre_u, post_u,
                   resonance, shared.get(rid, "")]

    return PeopleExport(rows=rows(), groups=len(sizes), summary={**counts, "groups": len(sizes), "k": k}, **counts)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def people_csv_chunks(export: PeopleExport) -> Iterator[str]:
    """The streamed file, a few hundred rows per chunk."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, row in enumerate(export.rows):
        writer.writerow([neutralize(cell) for cell in row])
        if i % 500 == 499:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
