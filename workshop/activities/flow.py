"""The participant's flow, declared once: join, the profile (when an activity needs it), then the
workshop's activities in order, each with its steps, then done. The phone pages, the live monitor, the
API's `step` and the reports all ask this module where someone is.

Presenter pacing: the facilitator moves the room to an activity (Workshop.current_position). Nobody is
sent past it; those behind can still finish what they were doing.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workshop.activities.base import ParticipantFacts
from workshop.activities.kinds import Pacing
from workshop.activities.registry import activity_for
from workshop.participants.models import ActivityRecord, Analogy, Participant, Response
from workshop.workshops.models import Workshop, WorkshopActivity

# Steps outside any activity, with the activity steps between "profile" and "done".
JOINED, PROFILE, WAITING, DONE = "joined", "profile", "waiting", "done"


@dataclass(frozen=True)
class Place:
    """Where a participant is. `step` is "joined"/"profile" before the activities, an activity's step name
    inside one (with its `position` from 1 and `kind`), "waiting" when presenter pacing holds them before
    `position`, and "done" at the end."""

    step: str
    position: int | None = None
    kind: str | None = None

    @property
    def in_activity(self) -> bool:
        return self.position is not None and self.step != WAITING


def workshop_activities(*, workshop: Workshop) -> list[WorkshopActivity]:
    return list(WorkshopActivity.objects.filter(workshop_id=workshop.pk).select_related("scenario")
                .order_by("position"))


def needs_profile(activities: Iterable[WorkshopActivity]) -> bool:
    return any(activity_for(a.kind).needs_profile for a in activities)


def room_facts(participant_ids: list[int], *, activities: list[WorkshopActivity],
               with_records: bool = True) -> dict[int, ParticipantFacts]:
    """Facts for many participants in at most three queries."""
    facts = {pid: ParticipantFacts() for pid in participant_ids}
    if not participant_ids:
        return facts
    for r in Response.objects.filter(participant_id__in=participant_ids).only(
            "participant_id", "scenario_id", "pre_understanding", "post_understanding", "asked_understanding"):
        facts[r.participant_id].responses[r.scenario_id] = r
    for pid, scenario_id, state in Analogy.objects.filter(participant_id__in=participant_ids, is_current=True
                                                          ).values_list("participant_id", "scenario_id", "state"):
        facts[pid].analogy_states[scenario_id] = state
    if with_records and any(a.kind != "analogy" for a in activities):
        for record in ActivityRecord.objects.filter(participant_id__in=participant_ids).defer("content"):
            facts[record.participant_id].records[record.activity_id] = record
    return facts


def place_of(participant: Participant, *, workshop: Workshop, activities: list[WorkshopActivity],
             facts: ParticipantFacts) -> Place:
    """Where one participant is, from facts already loaded."""
    if participant.deleted_at is not None:  # their answers are gone: only how far they got is kept
        return Place(DONE) if participant.step == Participant.Step.DONE else Place(JOINED)
    if participant.step == Participant.Step.PROFILE and needs_profile(activities):
        return Place(PROFILE if participant.personality_answers or participant.profile else JOINED)
    for activity in activities:
        step = activity_for(activity.kind).step(activity, facts)
        if step is None:
            continue
        if (workshop.pacing == Pacing.PRESENTER and activity.position > workshop.current_position
                and not _started(activity, step, facts)):
            return Place(WAITING, activity.position, activity.kind)
        return Place(step, activity.position, activity.kind)
    return Place(DONE)


def _started(activity: WorkshopActivity, step: str, facts: ParticipantFacts) -> bool:
    # Someone who already began an activity (before the facilitator moved the room back) may finish it.
    first = activity_for(activity.kind).steps[0].name
    return step != first or activity.id in facts.records


def participant_place(participant: Participant, *, activities: list[WorkshopActivity] | None = None) -> Place:
    workshop = participant.workshop
    activities = workshop_activities(workshop=workshop) if activities is None else activities
    facts = room_facts([participant.id], activities=activities)[participant.id]
    return place_of(participant, workshop=workshop, activities=activities, facts=facts)


def room_places(*, workshop: Workshop, participants: list[Participant]) -> dict[int, Place]:
    """Where everyone in a room is, in a few queries whatever its size."""
    activities = workshop_activities(workshop=workshop)
    facts = room_facts([p.id for p in participants], activities=activities)
    return {p.id: place_of(p, workshop=workshop, activities=activities, facts=facts[p.id]) for p in participants}


def step_choices(activities: list[WorkshopActivity]) -> list[tuple[str, str, int | None]]:
    """Every place a participant of these activities can be, in order: (step, label, position) — the monitor's
    columns."""
    from django.utils.translation import gettext_lazy

    places: list[tuple[str, str, int | None]] = []
    if needs_profile(activities):
        places += [(JOINED, gettext_lazy("Joined"), None), (PROFILE, gettext_lazy("Profile"), None)]
    for a in activities:
        declared = activity_for(a.kind)
        places += [(s.name, s.label, a.position) for s in declared.steps]
    places.append((DONE, gettext_lazy("Done"), None))
    return places


def participant_settle(participant: Participant) -> Place:
    """After a participant saved something: where they are now, and Participant.step set to done once every
    activity counts as done (reports and the API count finished people by it)."""
    place = participant_place(participant)
    if place.step == DONE and participant.step != Participant.Step.DONE:
        Participant.objects.filter(pk=participant.pk).update(step=Participant.Step.DONE)
        participant.step = Participant.Step.DONE
    return place
