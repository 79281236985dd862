"""Keeping the report's cells (workshop/reports/models.py) up to date, and reading reports from them.

Before a report is computed, the cells of every workshop in which something changed since the last refresh are
built again: a workshop whose people joined, answered, got an analogy or deleted their data. Each of those
changes stamps a column the reports migration indexes (Participant.created and deleted_at, Response.updated,
Analogy.updated), the same four the report cache's data version reads, so finding them is four index range
scans; a workshop's cells are a few dozen people to add up again. The first refresh of an organization, or one
after its scenarios' themes changed, builds every cell (as long as one cold report before).

A change is looked for from a little before the last refresh (MARGIN), so a transaction that stamped its rows
just before the last refresh but committed after it is still seen.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from workshop.participants.models import Analogy, Participant, Response
from workshop.reports.models import ReportCell, ReportResonanceCell, ReportRollup
from workshop.reports.queries import PER_PERSON, SUMS, ParticipantGroup, Selection, month_key, per_person_sql
from workshop.tenancy.models import Organization

MARGIN = timedelta(minutes=2)
CHANGED_AT_MOST = 500  # workshops changed since the last refresh; past that, every cell is built again
DIMENSIONS = ("source_kind", "source_family", "theme")
_CELL_SUMS = ("joined", "profile", "before", "analogy", "after", "reflection", "answered", "f1_before", "f1_after",
              "f1_gain", "f1_gain_sq", "u_before", "u_after", "u_gain", "u_gain_sq")
_BY_CELL = (f"SELECT workshop_id, day, condition, {SUMS} FROM ({PER_PERSON}) per_person "
            "GROUP BY workshop_id, day, condition")


def rollup_refresh(*, organization: Organization, primary_theme: dict[int, str]) -> int:
    """Bring the organization's cells up to date; returns how many workshops were added up again (-1: all).
    Two refreshes of one organization wait for each other (the rollup row is locked)."""
    themes = hashlib.sha256(repr(sorted(primary_theme.items())).encode()).hexdigest()
    with transaction.atomic():
        state, _ = ReportRollup.objects.select_for_update().get_or_create(organization=organization)
        started = timezone.now()
        workshops = None
        if state.through is not None and state.themes == themes:
            workshops = _changed_workshops(organization, since=state.through - MARGIN)
            if workshops is not None and not workshops:
                ReportRollup.objects.filter(pk=state.pk).update(through=started)
                return 0
        _rebuild(organization, workshops, primary_theme)
        ReportRollup.objects.filter(pk=state.pk).update(through=started, themes=themes)
    return -1 if workshops is None else len(workshops)


def _changed_workshops(organization: Organization, *, since) -> set[int] | None:
    """Workshops in which anything a report counts changed since `since`; None when there are too many."""
    people = set(Participant.objects.filter(organization=organization, created__gte=since).order_by()
                 .values_list("id", flat=True))
    people |= set(Participant.objects.filter(organization=organization, deleted_at__gte=since).order_by()
                  .values_list("id", flat=True))
    for model in (Response, Analogy):
        people |= set(model.objects.filter(organization=organization, updated__gte=since).order_by()
                      .values_list("participant_id", flat=True))
    if len(people) > 50 * CHANGED_AT_MOST:
        return None
    workshops = set(Participant.objects.filter(organization=organization, pk__in=people).order_by()
                    .values_list("workshop_id", flat=True).distinct()) if people else set()
    return None if len(workshops) > CHANGED_AT_MOST else workshops


def _rebuild(organization: Organization, workshops: set[int] | None, primary_theme: dict[int, str]) -> None:
    """Add up again the cells of these workshops (None: every workshop of the organization)."""
    people = Q(organization_id=organization.id)
    old = ReportCell.objects.filter(organization=organization)
    old_resonance = ReportResonanceCell.objects.filter(organization=organization)
    if workshops is not None:
        people &= Q(workshop_id__in=workshops)
        old, old_resonance = old.filter(workshop_id__in=workshops), old_resonance.filter(workshop_id__in=workshops)
    old.delete()
    old_resonance.delete()
    selection = Selection(organization_id=organization.id, participants=people,
                          narrowed=Q(workshop_id__in=workshops) if workshops is not None else None,
                          scenario_ids=None, primary_theme=primary_theme)
    sql, params = per_person_sql(selection=selection, outer=_BY_CELL)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ReportCell.objects.bulk_create([
        ReportCell(organization=organization, workshop_id=workshop_id, day=_date(day), condition=condition,
                   **dict(zip(_CELL_SUMS, (int(v or 0) if i < 7 else float(v or 0) for i, v in enumerate(sums)),
                              strict=True)))
        for workshop_id, day, condition, *sums in rows], batch_size=2000)
    rated = Response.objects.filter(organization_id=organization.id, resonance__isnull=False).order_by()
    if workshops is not None:
        rated = rated.filter(participant__workshop_id__in=workshops)
    cells = []
    for dimension in DIMENSIONS:
        groups = (rated.annotate(key=_key(dimension, primary_theme), day=TruncDate("participant__created"))
                  .values("participant__workshop_id", "day", "key")
                  .annotate(people=Count("participant_id", distinct=True), responses=Count("id"),
                            total=Sum("resonance")))
        cells += [ReportResonanceCell(organization=organization, workshop_id=g["participant__workshop_id"],
                                      day=_date(g["day"]), dimension=dimension, key=g["key"] or "",
                                      people=g["people"], responses=g["responses"], total=g["total"])
                  for g in groups]
    ReportResonanceCell.objects.bulk_create(cells, batch_size=2000)


def _key(dimension: str, primary_theme: dict[int, str]):
    from django.db.models import Case, Value, When

    if dimension != "theme":
        return F(dimension)
    by_theme: dict[str, list[int]] = {}
    for sid, theme in primary_theme.items():
        by_theme.setdefault(theme, []).append(sid)
    return Case(*[When(scenario_id__in=ids, then=Value(theme)) for theme, ids in sorted(by_theme.items())],
                default=Value(""))


def _date(value):
    """SQLite hands the day back as text."""
    from datetime import date

    return date.fromisoformat(value) if isinstance(value, str) else value


# --- reading a report from the cells ---------------------------------------------------------------------

def cell_groups(*, cells: Q) -> list[ParticipantGroup]:
    """queries.participant_groups, from the cells: the same sums per (condition, month)."""
    rows = (ReportCell.objects.filter(cells).annotate(month=TruncMonth("day")).values("condition", "month")
            .annotate(**{f"s_{name}": Sum(name) for name in _CELL_SUMS}).order_by())
    return [ParticipantGroup(condition=row["condition"], month=month_key(row["month"]),
                             **{name: row[f"s_{name}"] for name in _CELL_SUMS}) for row in rows]


def cell_workshops(*, cells: Q) -> tuple[int, dict[str, int]]:
    """queries.workshops_count, from the cells."""
    joined = ReportCell.objects.filter(cells).filter(joined__gt=0).order_by()
    total = joined.aggregate(n=Count("workshop_id", distinct=True))["n"]
    per_month = joined.annotate(month=TruncMonth("day")).values("month").annotate(
        n=Count("workshop_id", distinct=True))
    return total, {month_key(row["month"]): row["n"] for row in per_month}


def cell_resonance(*, cells: Q, dimension: str) -> list[dict]:
    """queries.resonance_groups, from the cells: per key, distinct people (each person is in one cell), ratings
    and their sum."""
    rows = (ReportResonanceCell.objects.filter(cells, dimension=dimension).values("key")
            .annotate(people=Sum("people"), responses=Sum("responses"), total=Sum("total")).order_by("key"))
    return [{"key": row["key"], "people": row["people"], "responses": row["responses"], "total": row["total"]}
            for row in rows]
