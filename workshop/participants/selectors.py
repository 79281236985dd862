import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, models
from django.http import Http404, HttpRequest
from django.utils.dateparse import parse_datetime

from workshop.activities.base import ParticipantFacts
from workshop.activities.kinds import ActivityKind
from workshop.participants.models import ActivityRecord, Analogy, Participant, Response
from workshop.tenancy.models import token_hash
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop, WorkshopActivity


def participant_by_token(token: str) -> Participant | None:
    """A participant's token is their only key; it names its organization, so this read is unscoped."""
    if not token or len(token) > 100:
        return None
    with unscoped():
        # Every participant request comes through here: their memories are decrypted only on the pages that
        # read them, their organization is loaded only where it is read (a packet). One row by a unique
        # column: no ORDER BY (`.first()` would sort by the default ordering) and no slice.
        found = list(Participant.objects.select_related("workshop").defer("memories")
                     .filter(token_hash=token_hash(token)).order_by())
    return found[0] if found else None


def participant_for_poll(token: str, *, position: int | None = None) -> Participant | None:
    """The participant behind a phone's poll, with only what a poll reads (their id, organization, workshop and
    language; every other field is deferred). A waiting phone asks every few seconds, so a full room makes this
    lookup hundreds of times a second: it is one SQL statement written out, which costs a tenth of the CPU of
    the same query built by the ORM (docs/benchmarks.md, issue 15). Unscoped like ``participant_by_token``.
    With ``position`` the same statement reads the state ``participant_analogy_state`` answers for it."""
    if not token or len(token) > 100:
        return None
    sql, params = _POLL_PARTICIPANT_SQL, [token_hash(token)]
    if position is not None:
        activity = [position, ActivityKind.ANALOGY.value]
        sql, params = _POLL_PARTICIPANT_AND_STATE_SQL, [*activity, *activity, token_hash(token)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    fields = len(_POLL_PARTICIPANT_FIELDS)
    participant = Participant.from_db(connection.alias, _POLL_PARTICIPANT_FIELDS, row[:fields])
    workshop_id = row[_POLL_PARTICIPANT_FIELDS.index("workshop_id")]
    participant.workshop = Workshop.from_db(connection.alias, ["id", "language"], [workshop_id, row[fields]])
    if position is not None:  # (position, is there such an activity, the state of its analogy)
        participant.poll_state = (position, row[fields + 1] is not None, row[fields + 2])
    return participant


# In the model's field order, as Model.from_db takes them.
_POLL_PARTICIPANT_FIELDS = [f.attname for f in Participant._meta.concrete_fields
                            if f.attname in {"id", "organization_id", "workshop_id", "language", "step"}]
_POLL_COLUMNS = f"{', '.join(f'p.{name}' for name in _POLL_PARTICIPANT_FIELDS)}, w.language"
_POLL_PARTICIPANT_SQL = (
    f"SELECT {_POLL_COLUMNS}"
    f" FROM {Participant._meta.db_table} p JOIN {Workshop._meta.db_table} w ON w.id = p.workshop_id"
    " WHERE p.token_hash = %s")
# The same, with the scenario-with-analogy activity at a position and the participant's current analogy for it
# (one row at most of each: one activity per position, one current analogy per participant and scenario).
# Scalar subqueries, not joins: PostgreSQL plans them in about half the time, and a poll is planned every time.
_POLL_ACTIVITY = (f"FROM {WorkshopActivity._meta.db_table} wa WHERE wa.workshop_id = p.workshop_id"
                  " AND wa.organization_id = p.organization_id AND wa.position = %s AND wa.kind = %s")
_POLL_PARTICIPANT_AND_STATE_SQL = (
    f"SELECT {_POLL_COLUMNS}, (SELECT wa.id {_POLL_ACTIVITY}),"
    f" (SELECT a.state FROM {Analogy._meta.db_table} a WHERE a.participant_id = p.id AND a.is_current"
    f" AND a.organization_id = p.organization_id AND a.scenario_id = (SELECT wa.scenario_id {_POLL_ACTIVITY}))"
    f" FROM {Participant._meta.db_table} p JOIN {Workshop._meta.db_table} w ON w.id = p.workshop_id"
    " WHERE p.token_hash = %s")


def participant_for_place_poll(token: str) -> Participant | None:
    """The participant behind a phone that waits for the room (``/p/next``), with what the flow needs to place
    them, in one SQL statement (as ``participant_for_poll``, and for the same reason: every waiting phone asks
    every few seconds). ``participant.poll_flow`` is (the workshop's activities in order, their
    ParticipantFacts), as ``workshop.activities.flow`` loads them, with only the columns the flow reads; any
    other field (an activity's room state, the profile of someone still in it) loads when first read, so the
    place is the same as the flow's own. Unscoped like ``participant_by_token``; every table is filtered by its
    own ``organization_id``, as the scope would."""
    if not token or len(token) > 100:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_PLACE_POLL_SQL, [token_hash(token)])
        rows = cursor.fetchall()
    found = [row for row in rows if row[0] == "p"]
    if not found:
        return None
    _tag, pid, organization_id, workshop_id, current_position, _n5, language, step, workshop_language, pacing, \
        deleted_at = found[0]
    participant = _built(Participant, id=pid, organization_id=organization_id, workshop_id=workshop_id,
                         language=language, step=step, deleted_at=_moment(deleted_at))
    participant.workshop = _built(Workshop, id=workshop_id, language=workshop_language, pacing=pacing,
                                  current_position=current_position)
    activities, facts = [], ParticipantFacts()
    for tag, n1, n2, n3, n4, n5, t1, t2, t3, _t4, moment in rows:
        if tag == "a":
            activities.append(_built(WorkshopActivity, id=n1, organization_id=organization_id,
                                     workshop_id=workshop_id, position=n2, scenario_id=n3, kind=t1))
        elif tag == "r":
            facts.responses[n2] = _built(Response, id=n1, organization_id=organization_id, participant_id=pid,
                                         scenario_id=n2, pre_understanding=n3, post_understanding=n4,
                                         asked_understanding=n5)
        elif tag == "n":
            facts.analogy_states[n2] = t1
        elif tag == "c":
            facts.records[n2] = _built(ActivityRecord, id=n1, organization_id=organization_id, participant_id=pid,
                                       activity_id=n2, step=t1, facts=json.loads(t2) if t2 else {}, kind=t3,
                                       done_at=_moment(moment))
    activities.sort(key=lambda activity: activity.position)
    participant.poll_flow = (activities, facts)
    return participant


def _built(model: type[models.Model], **values) -> models.Model:
    """A row read by hand as the ORM would build it; the fields not given are deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _moment(value: datetime | str | None) -> datetime | None:
    """A date-time column as the ORM gives it: SQLite hands back text, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is not None and value.tzinfo is None and settings.USE_TZ:
            value = value.replace(tzinfo=UTC)
    return value


# One statement, one row per thing the flow reads, all of one shape: (tag, five numbers, four texts, a moment).
# "p" the participant and their workshop, "a" the workshop's activities, "r" their answers, "n" their current
# analogies' states, "c" their activity records (without their words). The first row names every column's type
# (PostgreSQL takes a union's types from it).
_PLACE_POLL_SQL = (
    f"WITH p AS (SELECT id, organization_id, workshop_id, language, step, deleted_at"
    f" FROM {Participant._meta.db_table} WHERE token_hash = %s)"
    f" SELECT 'p', p.id, p.organization_id, p.workshop_id, w.current_position, CAST(NULL AS INTEGER),"
    " p.language, p.step, w.language, w.pacing, p.deleted_at"
    f" FROM p JOIN {Workshop._meta.db_table} w ON w.id = p.workshop_id AND w.organization_id = p.organization_id"
    " UNION ALL"
    " SELECT 'a', wa.id, wa.position, wa.scenario_id, NULL, NULL, wa.kind, NULL, NULL, NULL, NULL"
    f" FROM {WorkshopActivity._meta.db_table} wa JOIN p ON wa.workshop_id = p.workshop_id"
    " AND wa.organization_id = p.organization_id"
    " UNION ALL"
    " SELECT 'r', r.id, r.scenario_id, r.pre_understanding, r.post_understanding, r.asked_understanding,"
    " NULL, NULL, NULL, NULL, NULL"
    f" FROM {Response._meta.db_table} r JOIN p ON r.participant_id = p.id AND r.organization_id = p.organization_id"
    " UNION ALL"
    " SELECT 'n', NULL, a.scenario_id, NULL, NULL, NULL, a.state, NULL, NULL, NULL, NULL"
    f" FROM {Analogy._meta.db_table} a JOIN p ON a.participant_id = p.id AND a.organization_id = p.organization_id"
    " AND a.is_current"
    " UNION ALL"
    " SELECT 'c', c.id, c.activity_id, NULL, NULL, NULL, c.step, CAST(c.facts AS TEXT), c.kind, NULL, c.done_at"
    f" FROM {ActivityRecord._meta.db_table} c JOIN p ON c.participant_id = p.id"
    " AND c.organization_id = p.organization_id")


def participant_language(participant: Participant) -> str:
    """The language the participant reads: the one they chose, else their workshop's."""
    return participant.language or participant.workshop.language or settings.LANGUAGE_CODE


def participant_analogies(*, participant: Participant) -> dict[int, Analogy]:
    """Current analogy per scenario id."""
    return {a.scenario_id: a for a in participant.analogies.filter(is_current=True)}


def analogy_mapping_shown(*, analogy: Analogy | None, after_saved: bool) -> list[dict]:
    """The mapping pairs a participant may see: until their "after" answers are saved, none that names one of the
    scenario's target feelings (the next question asks for them)."""
    from workshop.engine.vocabulary import emotion_named

    if analogy is None or analogy.state != Analogy.State.DONE:
        return []
    pairs = [p for p in analogy.mapping or [] if isinstance(p, dict)]
    if after_saved:
        return pairs
    labels = [e for e in analogy.emotions or [] if isinstance(e, str)]
    return [p for p in pairs if not any(emotion_named(f"{p.get('scenario', '')} {p.get('analogy', '')}", label)
                                        for label in labels if label)]


def participant_or_404(request: HttpRequest) -> Participant:
    """The participant the middleware found for this request (cookie or personal link), or 'not found'."""
    if request.participant is None:
        raise Http404("No participant")
    return request.participant


def participant_step(*, participant: Participant, scenario_ids: Sequence[int], answers: Mapping[int, Response],
                     analogy_states: Mapping[int, str]) -> tuple[str, int | None]:
    """Where a participant is, as the live monitor and the API say it: joined, profile, before, analogy, after
    or done, with the scenario's position (from 1) for the per-scenario steps. ``answers`` and
    ``analogy_states`` are keyed by scenario id (their current analogy's state)."""
    if participant.step == Participant.Step.PROFILE:
        return ("profile" if participant.personality_answers or participant.profile else "joined"), None
    if participant.step == Participant.Step.SCENARIOS:
        for position, scenario_id in enumerate(scenario_ids, 1):
            answer = answers.get(scenario_id)
            if answer is None or answer.pre_understanding is None:
                return "before", position
            if answer.post_understanding is None:
                done = analogy_states.get(scenario_id) == Analogy.State.DONE
                return ("after" if done else "analogy"), position
    return "done", None


def participant_analogy_state(*, participant: Participant, position: int) -> str | None:
    """The state of the participant's current analogy for the scenario-with-analogy activity at ``position``
    (from 1), in one query: what a waiting phone polls. Raises Http404 for a position that is not such an
    activity; None when there is no analogy yet. Written out in SQL for the same reason as
    ``participant_for_poll``; both tables are filtered by their own ``organization_id``, as the scope would.
    When the poll's lookup read it already (``participant_for_poll`` with this position), no query."""
    known = getattr(participant, "poll_state", None)
    if known is not None and known[0] == position:
        if not known[1]:
            raise Http404("No such scenario")
        return known[2]
    with connection.cursor() as cursor:
        cursor.execute(_POLL_STATE_SQL, [participant.id, participant.organization_id, participant.workshop_id,
                                         participant.organization_id, position, ActivityKind.ANALOGY.value])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such scenario")
    return row[0]


_POLL_STATE_SQL = (
    f"SELECT (SELECT a.state FROM {Analogy._meta.db_table} a WHERE a.participant_id = %s"
    " AND a.scenario_id = wa.scenario_id AND a.is_current AND a.organization_id = %s)"
    f" FROM {WorkshopActivity._meta.db_table} wa WHERE wa.workshop_id = %s AND wa.organization_id = %s"
    " AND wa.position = %s AND wa.kind = %s")
