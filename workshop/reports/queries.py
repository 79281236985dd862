"""The report's database work: a fixed handful of aggregate queries, whatever the number of workshops and
participants. Nothing here returns individual rows; every result is a group of people.

The scoped managers build the subqueries, so the organization filter is always inside the SQL. The only raw
SQL is the per-person query (Django cannot group an aggregate of aggregates): it joins two ORM-built
subqueries and looks up a finished analogy in a correlated subquery that names its organization itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import Avg, Case, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from workshop.participants.models import Analogy, Participant, Response
from workshop.reports.filters import ReportFilters
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Membership, Organization
from workshop.workshops.models import Workshop, WorkshopScenario

NOTHING = -1  # an id no row has: a filter that names something unknown matches nobody (fail closed)


@dataclass(frozen=True)
class Selection:
    """The filters resolved to ids, and what the report needs to know about scenarios."""

    organization_id: int
    participants: Q  # on Participant: the organization and the filters
    narrowed: Q | None  # the filters alone (None: everyone in the organization), to reach through a relation
    scenario_ids: list[int] | None  # None: every scenario
    primary_theme: dict[int, str]  # scenario id -> its first theme
    # The same filters on the rollup's cells (workshop/reports/models.py), or None when they cannot be read
    # there: a scenario or theme filter changes each person's means, which the cells hold over all scenarios.
    cells: Q | None = None


def _bound(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def selection_resolve(*, organization: Organization, filters: ReportFilters) -> Selection:
    """Two small queries at most (scenarios; the facilitator or workshop), however big the organization."""
    scenarios = list(Scenario.objects.filter(Q(organization=organization) | Q(organization__isnull=True))
                     .values_list("id", "slug", "themes"))
    primary_theme = {sid: (themes[0] if themes and isinstance(themes[0], str) else "") for sid, _, themes in scenarios}
    scenario_ids = None
    if filters.scenario or filters.theme:
        scenario_ids = [sid for sid, slug, themes in scenarios
                        if (not filters.scenario or slug == filters.scenario)
                        and (not filters.theme or filters.theme in (themes or []))] or [NOTHING]
    q, cells = Q(), Q(organization_id=organization.id)
    if filters.date_from:
        q &= Q(created__gte=_bound(filters.date_from))
        cells &= Q(day__gte=_day(_bound(filters.date_from)))
    if filters.date_to:
        q &= Q(created__lt=_bound(filters.date_to + timedelta(days=1)))
        cells &= Q(day__lt=_day(_bound(filters.date_to + timedelta(days=1))))
    if filters.workshop:
        workshop_id = Workshop.objects.filter(organization=organization, public_id=filters.workshop).values_list(
            "id", flat=True).first()
        q &= Q(workshop_id=workshop_id or NOTHING)
        cells &= Q(workshop_id=workshop_id or NOTHING)
    if filters.facilitator:
        user_id = Membership.objects.filter(organization=organization, user__username=filters.facilitator
                                            ).values_list("user_id", flat=True).first()
        q &= Q(workshop__owner_id=user_id or NOTHING)
        cells &= Q(workshop__owner_id=user_id or NOTHING)
    if scenario_ids is not None:
        q &= Q(workshop_id__in=WorkshopScenario.objects.filter(
            organization=organization, scenario_id__in=scenario_ids).values("workshop_id"))
    return Selection(organization_id=organization.id, participants=Q(organization_id=organization.id) & q,
                     narrowed=q if q else None, scenario_ids=scenario_ids, primary_theme=primary_theme,
                     cells=cells if scenario_ids is None else None)


def _day(moment: datetime) -> date:
    """The rollup's day of a moment: its date in UTC, as the cells are cut (a date filter's bound is midnight
    in the site's time zone, which is UTC)."""
    return moment.astimezone(UTC).date()


def selected_responses(selection: Selection):
    """The responses of the selected people (to the selected scenarios). With no filter on people the
    responses' own organization column is enough: no join to participants."""
    answers = Response.objects.filter(organization_id=selection.organization_id).order_by()
    if selection.narrowed is not None:
        answers = answers.filter(via_participant(selection.narrowed, "participant"))
    if selection.scenario_ids is not None:
        answers = answers.filter(scenario_id__in=selection.scenario_ids)
    return answers


def via_participant(q: Q, prefix: str) -> Q:
    """The same conditions seen from a table that points at Participant through ``prefix``."""
    clone = Q(*[via_participant(c, prefix) if isinstance(c, Q) else (f"{prefix}__{c[0]}", c[1]) for c in q.children],
              _connector=q.connector, _negated=q.negated)
    return clone


def _paired() -> Q:
    return Q(pre_f1__isnull=False, post_f1__isnull=False, pre_understanding__isnull=False,
             post_understanding__isnull=False)


def _flag(condition: Q) -> Max:
    return Max(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


@dataclass(frozen=True)
class ParticipantGroup:
    """Sums over the participants of one (condition, month) group."""

    condition: str
    month: str
    joined: int
    profile: int
    before: int
    analogy: int
    after: int
    reflection: int
    answered: int  # participants with at least one paired answer; the n of everything below
    f1_before: float
    f1_after: float
    f1_gain: float
    f1_gain_sq: float
    u_before: float
    u_after: float
    u_gain: float
    u_gain_sq: float


# Per person: their steps (nested: each needs the ones before) and mean answers; then summed per condition
# and month. "Received the analogy" is proven by an answer given after it; only for people who answered
# before and not after is their finished analogy looked up (one index lookup each, in a CASE branch that
# everyone who went on never reaches).
# The sums over a group of people; the same ones ReportCell keeps.
SUMS = """COUNT(*), SUM(profile), SUM(profile * answered_before),
  SUM(profile * answered_before * analogy), SUM(profile * answered_before * analogy * answered_after),
  SUM(profile * answered_before * analogy * answered_after * reflection),
  COUNT(f1_gain), COALESCE(SUM(f1_before), 0), COALESCE(SUM(f1_after), 0),
  COALESCE(SUM(f1_gain), 0), COALESCE(SUM(f1_gain * f1_gain), 0),
  COALESCE(SUM(u_before), 0), COALESCE(SUM(u_after), 0),
  COALESCE(SUM(u_gain), 0), COALESCE(SUM(u_gain * u_gain), 0)"""
PER_PERSON = """
  SELECT p.condition, p.month, p.day, p.workshop_id, CASE WHEN p.step <> 'profile' THEN 1 ELSE 0 END AS profile,
    COALESCE(r.any_before, 0) AS answered_before, COALESCE(r.any_after, 0) AS answered_after,
    COALESCE(r.any_reflection, 0) AS reflection,
    CASE WHEN r.any_after = 1 THEN 1 WHEN r.any_before = 1 AND EXISTS ({analogies}) THEN 1 ELSE 0 END AS analogy,
    r.f1_before, r.f1_after, r.f1_gain, r.u_before, r.u_after, r.u_gain
  FROM ({participants}) p
  LEFT JOIN ({responses}) r ON r.pid = p.pid
"""
_OUTER = f"SELECT condition, month, {SUMS} FROM ({PER_PERSON}) per_person GROUP BY condition, month"


def month_key(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:7]
    return value.strftime("%Y-%m")


def participant_groups(*, selection: Selection) -> list[ParticipantGroup]:
    """Per participant their furthest step and mean gains, summed per (condition, month): from the rollup's
    cells when the filters allow it (a few thousand rows), else in one query over every person."""
    if selection.cells is not None:
        from workshop.reports.rollup import cell_groups

        return cell_groups(cells=selection.cells)
    return _per_person_groups(selection=selection, outer=_OUTER)


def per_person_sql(*, selection: Selection, outer: str) -> tuple[str, list]:
    """`outer` (a SELECT ... FROM ({per person}) GROUP BY ...) around the per-person subquery, and its
    parameters. The per-person rows have: condition, month, day, workshop_id, their steps and means."""
    # order_by(): the models' default orderings would add sorts and joins to every subquery.
    people = (Participant.objects.filter(selection.participants)
              .annotate(month=TruncMonth("created"), day=TruncDate("created"))
              .values("condition", "step", "workshop_id", "month", "day", pid=F("id")).order_by())
    answers = selected_responses(selection)
    # Correlated with the outer person, so written here; it names its organization like every subquery.
    finished = (f"SELECT 1 FROM {Analogy._meta.db_table} a WHERE a.participant_id = p.pid "
                "AND a.organization_id = %s AND a.is_current = %s AND a.state = %s")
    finished_params: list = [selection.organization_id, True, Analogy.State.DONE.value]
    if selection.scenario_ids is not None:
        finished += f" AND a.scenario_id IN ({', '.join(['%s'] * len(selection.scenario_ids))})"
        finished_params += selection.scenario_ids
    paired = _paired()
    per_person = answers.values(pid=F("participant_id")).annotate(
        any_before=_flag(Q(pre_understanding__isnull=False)),
        any_after=_flag(Q(post_understanding__isnull=False)),
        any_reflection=_flag(~Q(reflection="")),
        f1_before=Avg("pre_f1", filter=paired), f1_after=Avg("post_f1", filter=paired),
        f1_gain=Avg(F("post_f1") - F("pre_f1"), filter=paired),
        u_before=Avg("pre_understanding", filter=paired), u_after=Avg("post_understanding", filter=paired),
        u_gain=Avg(F("post_understanding") - F("pre_understanding"), filter=paired),
    )
    parts = {"analogies": finished}
    params: list = list(finished_params)
    # In the order the subqueries appear in the SQL text, which is the order of their parameters.
    for name, qs in (("participants", people), ("responses", per_person)):
        sql, qs_params = qs.query.sql_with_params()
        parts[name] = sql
        params.extend(qs_params)
    return outer.format(**parts), params


def _per_person_groups(*, selection: Selection, outer: str) -> list[ParticipantGroup]:
    sql, params = per_person_sql(selection=selection, outer=outer)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [ParticipantGroup(condition=row[0], month=month_key(row[1]), joined=row[2], profile=row[3] or 0,
                             before=row[4] or 0, analogy=row[5] or 0, after=row[6] or 0, reflection=row[7] or 0,
                             answered=row[8], f1_before=row[9], f1_after=row[10], f1_gain=row[11],
                             f1_gain_sq=row[12], u_before=float(row[13]), u_after=float(row[14]),
                             u_gain=float(row[15]), u_gain_sq=float(row[16]))
            for row in rows]


def workshops_count(*, selection: Selection) -> tuple[int, dict[str, int]]:
    """Workshops in which at least one selected person joined: in all, and per month people joined."""
    if selection.cells is not None:
        from workshop.reports.rollup import cell_workshops

        return cell_workshops(cells=selection.cells)
    people = Participant.objects.filter(selection.participants).order_by()
    total = people.aggregate(n=Count("workshop_id", distinct=True))["n"]
    per_month = people.annotate(month=TruncMonth("created")).values("month").annotate(
        n=Count("workshop_id", distinct=True)).order_by()
    return total, {month_key(row["month"]): row["n"] for row in per_month}


@dataclass(frozen=True)
class ResonanceGroup:
    key: str
    people: int
    responses: int
    total: int


def resonance_groups(*, selection: Selection, by: str) -> list[ResonanceGroup]:
    """Resonance ratings grouped by 'source_kind', 'source_family' or 'theme' (the scenario's first theme),
    with the distinct people in each group (the figure the k rule counts)."""
    if selection.cells is not None:
        from workshop.reports.rollup import cell_resonance

        return [ResonanceGroup(**g) for g in cell_resonance(cells=selection.cells, dimension=by)]
    rated = selected_responses(selection).filter(resonance__isnull=False)
    if by == "theme":
        by_theme: dict[str, list[int]] = {}
        for sid, theme in selection.primary_theme.items():
            by_theme.setdefault(theme, []).append(sid)
        key = Case(*[When(scenario_id__in=ids, then=Value(theme)) for theme, ids in sorted(by_theme.items())],
                   default=Value(""))
    else:
        key = F(by)
    groups = rated.annotate(key=key).values("key").annotate(
        people=Count("participant_id", distinct=True), responses=Count("id"), total=Sum("resonance"))
    return [ResonanceGroup(key=g["key"] or "", people=g["people"], responses=g["responses"], total=g["total"])
            for g in groups.order_by("key")]
