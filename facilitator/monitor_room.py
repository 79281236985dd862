"""What the live monitor knows about a room, kept up to date at a cost that does not follow the room's size.

Every refresh asks the database one question: a small fingerprint per participant (their step, whether they
started the profile, whether they deleted their data, and the latest change to their analogies, answers and
activity records). Only the people whose fingerprint changed since this process last looked are loaded again
and placed in the flow; everyone else's row is the one this process kept. The counts come from the kept rows,
the chart and the wall from the room snapshot kept for the same answers, and a refresh that names its cursor
(what the screen already shows) gets only the parts and the rows that changed since.

Kept per web process, bounded, and always checked against the fingerprints read in the same refresh, so a
second process or a restart can never show a stale row: at worst it loads the room once.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from workshop.activities.flow import WAITING, Place, place_of, room_facts
from workshop.activities.kinds import ActivityKind
from workshop.activities.registry import activity_for
from workshop.engine.llm import shown_reason
from workshop.participants.models import ActivityRecord, Analogy, Participant, Response
from workshop.scenarios.models import Scenario
from workshop.workshops.models import Workshop, WorkshopActivity

PAGE_SIZE = 50
CURSOR_SECONDS = 120  # a screen that stops polling for longer gets the whole fragment again
ROOMS_KEPT = 32  # rooms per process (a room of 2,000 is about 1 MB here)

# Where a participant is, in the order they go: the analogy's own steps keep their names (and their counts add
# up over the workshop's scenarios), every other activity is one place "a<position>" with its kind's steps in
# the row; the flow (workshop/activities/flow.py) says who is where.
STEPS = {
    "joined": gettext_lazy("Joined"),
    "profile": gettext_lazy("Profile"),
    "before": gettext_lazy("Before the analogy"),
    "analogy": gettext_lazy("Waiting for the analogy"),
    "after": gettext_lazy("Reading it, answering again"),
    WAITING: gettext_lazy("Waiting for the room to move on"),
    "done": gettext_lazy("Finished"),
}


def monitor_steps(activities: list[WorkshopActivity], *, presenter: bool = False) -> list[tuple[str, object]]:
    """The monitor's places for these activities, in order, with their labels ("waiting" only when the
    facilitator paces the room)."""
    places: list[tuple[str, object]] = []
    if any(activity_for(a.kind).needs_profile for a in activities):
        places += [("joined", STEPS["joined"]), ("profile", STEPS["profile"])]
    analogy_added = False
    for a in activities:
        if a.kind == ActivityKind.ANALOGY:
            if not analogy_added:
                places += [(key, STEPS[key]) for key in ("before", "analogy", "after")]
                analogy_added = True
            continue
        places.append((f"a{a.position}", format_lazy("{}. {}", a.position, activity_for(a.kind).label)))
    if presenter:
        places.append((WAITING, STEPS[WAITING]))
    places.append(("done", STEPS["done"]))
    return places


def monitor_key(place: Place) -> str:
    """A participant's place as the monitor counts it."""
    if place.step == WAITING or place.position is None or place.kind == ActivityKind.ANALOGY:
        return place.step
    return f"a{place.position}"


FALLBACK = "fallback"
STATUS_LABELS = {
    Analogy.State.PENDING: gettext_lazy("Queued"),
    Analogy.State.RUNNING: gettext_lazy("Being written"),
    Analogy.State.DONE: gettext_lazy("Done"),
    Analogy.State.FAILED: gettext_lazy("Failed"),
    FALLBACK: gettext_lazy("Answered by the built-in fallback"),
}


@dataclass(frozen=True)
class AnalogyStatus:
    position: int
    scenario_title: str
    state: str  # an Analogy.State, or FALLBACK
    analogy_id: int | None = None
    fallback_reason: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.state])

    @property
    def reason(self) -> str:
        return shown_reason(self.fallback_reason) if self.state == FALLBACK else ""


@dataclass(frozen=True)
class ParticipantRow:
    """One line of the monitor's list. Kept between refreshes: labels are read in the viewer's language."""

    key: str  # the row's id on the page (the participant's public id, never their database id)
    pseudonym: str
    step: str  # monitor_key() of their place
    position: int | None  # the activity they are on
    statuses: tuple[AnalogyStatus, ...] = ()
    deleted: bool = False
    label: object = ""  # lazy: read in the viewer's language
    finished: tuple[int, ...] = ()  # the positions of the activities they have finished

    @property
    def step_label(self) -> str:
        return str(self.label or STEPS.get(self.step, self.step))

    @property
    def needs_attention(self) -> bool:
        return any(s.state == Analogy.State.FAILED for s in self.statuses)


@dataclass
class RoomRows:
    """One process's copy of a room: each participant's fingerprint and row, in the list's order."""

    fingerprints: dict[int, tuple] = field(default_factory=dict)
    rows: dict[int, ParticipantRow] = field(default_factory=dict)

    def counts(self, places: list[tuple[str, object]]) -> tuple[dict[str, int], int]:
        """People at each of ``places`` (those who deleted their data too), and how many deleted their data."""
        counts = dict.fromkeys((key for key, _label in places), 0)
        counts.update(Counter(row.step for row in self.rows.values()))
        return counts, sum(1 for row in self.rows.values() if row.deleted)

    def progress(self, activities: list[WorkshopActivity]) -> list[dict]:
        """Each activity's progress: how many are in it now and how many have finished it."""
        return [{"position": a.position, "label": activity_for(a.kind).label, "activity": a,
                 "in_it": sum(1 for row in self.rows.values() if row.position == a.position and row.step != WAITING),
                 "finished": sum(1 for row in self.rows.values() if a.position in row.finished)}
                for a in activities]

    def listed(self) -> list[ParticipantRow]:
        """Everyone who did not delete their data: those whose analogy failed first (the facilitator can retry
        it), then in the order they joined."""
        shown = [row for row in self.rows.values() if not row.deleted]
        return [row for row in shown if row.needs_attention] + [row for row in shown if not row.needs_attention]


_rooms: OrderedDict[tuple, RoomRows] = OrderedDict()
_lock = threading.Lock()


_STATE_WEIGHTS = Case(  # distinct per state, so a change of state always changes the sum
    *(When(state=state, then=Value(weight)) for state, weight in
      ((Analogy.State.PENDING, 1), (Analogy.State.RUNNING, 8), (Analogy.State.DONE, 64), (Analogy.State.FAILED, 512))),
    default=Value(0), output_field=IntegerField())
_FALLBACK_WEIGHT = Case(When(~Q(fallback_reason=""), then=Value(4096)), default=Value(0), output_field=IntegerField())


def _flag(condition: Q, weight: int = 1) -> Case:
    return Case(When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField())


def room_fingerprints(*, workshop: Workshop) -> dict[int, tuple]:
    """Participant id -> what their row depends on, for the whole room (in the order they joined): their step,
    whether they started the profile or deleted their data, their current analogies' states and ids, which
    answers they gave and their activity records' steps. Small integers only, in four grouped queries (a
    timestamp costs a few microseconds each to read back)."""
    people = (Participant.objects.filter(workshop=workshop).order_by("created", "id")
              .annotate(started=_flag(~(Q(profile={}) & Q(personality_answers={}))),
                        deleted=_flag(Q(deleted_at__isnull=False)))
              .values_list("id", "step", "started", "deleted"))
    analogies = _grouped(Analogy.objects.filter(participant__workshop=workshop, is_current=True),
                         Sum(_STATE_WEIGHTS + _FALLBACK_WEIGHT), Sum("id"))
    answers = _grouped(Response.objects.filter(participant__workshop=workshop),
                       Sum(_flag(Q(pre_understanding__isnull=False)) + _flag(Q(post_understanding__isnull=False), 64)
                           + _flag(Q(asked_understanding__isnull=False), 4096)), Count("id"))
    records = _grouped(ActivityRecord.objects.filter(participant__workshop=workshop),
                       Sum(_flag(Q(done_at__isnull=False))), Max("updated"), Count("id"))
    return {pid: (step, started, deleted, analogies.get(pid), answers.get(pid), records.get(pid))
            for pid, step, started, deleted in people}


def _grouped(rows, *aggregates) -> dict[int, tuple]:
    """Per participant, the aggregates of their rows."""
    names = {f"v{i}": aggregate for i, aggregate in enumerate(aggregates)}
    return {row[0]: row[1:] for row in rows.order_by().values("participant_id").annotate(**names)
            .values_list("participant_id", *names)}


def answers_version(*, workshop: Workshop, fingerprints: dict[int, tuple]) -> tuple:
    """Changes whenever an answer, a shared reflection, a hidden flag or a deletion changes: what the room's
    snapshot (the chart and the wall) depends on. One aggregate over the room's answers."""
    # Hiding a reflection from the wall does not touch `updated`: the sum of the hidden ones' ids does change.
    version = Response.objects.filter(participant__workshop=workshop).order_by().aggregate(
        n=Count("id"), changed=Max("updated"), hidden=Sum(_flag(Q(hidden_from_wall=True)) * F("id")),
        shared=Sum(_flag(Q(share_reflection=True))))
    deleted = tuple(pid for pid, fp in fingerprints.items() if fp[2])
    return tuple(version.values()) + (hash(deleted),)


def _statuses(analogies: dict[int, Analogy], scenarios: list[Scenario], titles: dict[int, str]
              ) -> tuple[AnalogyStatus, ...]:
    found = []
    for position, scenario in enumerate(scenarios, 1):
        analogy = analogies.get(scenario.id)
        if analogy is None:
            continue
        state = FALLBACK if analogy.state == Analogy.State.DONE and analogy.fallback_reason else analogy.state
        found.append(AnalogyStatus(position=position, scenario_title=titles[scenario.id], state=state,
                                   analogy_id=analogy.id, fallback_reason=analogy.fallback_reason))
    return tuple(found)


def _rows_for(*, workshop: Workshop, scenarios: list[Scenario], activities: list[WorkshopActivity],
              ids: list[int] | None) -> dict[int, ParticipantRow]:
    """The rows of these participants (all of them when `ids` is None), in a fixed number of queries."""
    many = ids is None or len(ids) > 500  # past that, one pass over the room beats a long IN list
    people = workshop.participants.only(  # 'workshop': the related manager sets it on each row
        "id", "workshop", "public_id", "pseudonym", "step", "profile", "personality_answers", "deleted_at", "created")
    analogies_qs = Analogy.objects.filter(participant__workshop=workshop, is_current=True)
    if not many:
        people, analogies_qs = people.filter(pk__in=ids), analogies_qs.filter(participant_id__in=ids)
    people = list(people.order_by())
    analogies: dict[int, dict[int, Analogy]] = {}
    for a in analogies_qs.order_by().only("id", "participant_id", "scenario_id", "state", "fallback_reason"):
        analogies.setdefault(a.participant_id, {})[a.scenario_id] = a
    facts = room_facts([p.id for p in people], activities=activities)
    titles = {s.id: s.localized(workshop.language).title for s in scenarios}  # as the workshop shows them
    rows = {}
    for p in people:
        place = place_of(p, workshop=workshop, activities=activities, facts=facts[p.id])
        key = monitor_key(place)
        label = STEPS.get(key)
        if label is None:  # inside an activity other than the analogy: its kind, then its step
            declared = activity_for(place.kind)
            label = format_lazy("{}. {} · {}", place.position, declared.label, declared.step_label(place.step))
        finished = tuple(a.position for a in activities if activity_for(a.kind).step(a, facts[p.id]) is None)
        rows[p.id] = ParticipantRow(key=p.public_id, pseudonym=p.pseudonym, step=key, position=place.position,
                                    statuses=_statuses(analogies.get(p.id, {}), scenarios, titles),
                                    deleted=p.deleted_at is not None, label=label, finished=finished)
    return rows


def room_rows(*, workshop: Workshop, scenarios: list[Scenario], activities: list[WorkshopActivity]
              ) -> tuple[RoomRows, dict[int, tuple]]:
    """This process's rows of the room, brought up to date: returns them and the fingerprints just read."""
    key = (workshop.public_id, workshop.language, workshop.pacing, workshop.current_position,
           tuple(s.id for s in scenarios), tuple((a.id, a.kind) for a in activities))
    fingerprints = room_fingerprints(workshop=workshop)
    with _lock:
        kept = _rooms.get(key)
        if kept is not None:
            _rooms.move_to_end(key)
    if kept is None:
        changed = None
    else:
        changed = [pid for pid, fp in fingerprints.items() if kept.fingerprints.get(pid) != fp]
    fresh = (_rows_for(workshop=workshop, scenarios=scenarios, activities=activities, ids=changed)
             if changed != [] else {})
    old_rows = kept.rows if kept is not None else {}
    rows = {pid: fresh.get(pid) or old_rows[pid] for pid in fingerprints if pid in fresh or pid in old_rows}
    updated = RoomRows(fingerprints={pid: fp for pid, fp in fingerprints.items() if pid in rows}, rows=rows)
    with _lock:
        _rooms[key] = updated
        _rooms.move_to_end(key)
        while len(_rooms) > ROOMS_KEPT:
            _rooms.popitem(last=False)
    return updated, fingerprints


# --- what a screen already shows -------------------------------------------------------------------------

@dataclass
class Shown:
    """What one screen showed after its last refresh: the parts' versions and the rows of its page."""

    workshop_id: int
    page: int
    parts: dict[str, object]
    rows: dict[str, tuple]  # row key -> fingerprint


def shown_load(cursor: str, *, workshop: Workshop, page: int) -> Shown | None:
    if not cursor or len(cursor) > 64:
        return None
    shown = cache.get(f"monitor-cursor:{cursor}")
    if not isinstance(shown, Shown) or shown.workshop_id != workshop.pk or shown.page != page:
        return None
    return shown


def shown_save(shown: Shown) -> str:
    cursor = secrets.token_urlsafe(16)
    cache.set(f"monitor-cursor:{cursor}", shown, CURSOR_SECONDS)
    return cursor


def page_of(rows: list[ParticipantRow], page: int) -> tuple[list[ParticipantRow], int, int]:
    """The page's rows, the page number (clamped) and the number of pages."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], page, pages

