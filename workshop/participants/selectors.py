from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest

from workshop.activities.kinds import ActivityKind
from workshop.participants.models import Analogy, Participant, Response
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
