"""What the projector shows: the join screen, the room's current activity, its result (only what at least k people
made, as workshop/workshops/room.py and each activity's room_result release it), or the wall of shared
reflections. The facilitator switches; the projector page polls and follows.

Switching to the wall and away from it is the wall's reveal and conceal (services.workshop_wall_set), with their
audit rows: that is when people's words reach the room. The other switches are not audited: they show the join
link, instructions and k-safe figures, nothing the organization must be able to trace, and a facilitator flips
them many times a session."""
from __future__ import annotations

from collections import Counter

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.activities.flow import Place
from workshop.activities.kinds import Pacing
from workshop.workshops.models import Workshop, WorkshopActivity
from workshop.workshops.services import WorkshopStateError, workshop_wall_set


class ProjectorMode(models.TextChoices):
    JOIN = "join", gettext_lazy("Join screen")
    ACTIVITY = "activity", gettext_lazy("Current activity")
    RESULT = "result", gettext_lazy("The room's result")
    WALL = "wall", gettext_lazy("Wall of reflections")


def projector_mode_shown(workshop: Workshop) -> str:
    """The mode the projector is in. A revealed wall is on it whatever was chosen before (the monitor's "reveal"
    button puts it there); a wall that is not revealed, or not allowed in this workshop, never is."""
    if workshop.wall_revealed and workshop.show_reflections:
        return ProjectorMode.WALL
    if workshop.projector_mode in (ProjectorMode.ACTIVITY, ProjectorMode.RESULT):
        return workshop.projector_mode
    return ProjectorMode.JOIN


def workshop_projector_set(*, workshop: Workshop, mode: str, actor) -> Workshop:
    """Put the projector in ``mode``. The wall only where the workshop shows reflections to the room."""
    if mode not in ProjectorMode.values:
        raise WorkshopStateError(_("Choose what the projector shows."))
    if mode == ProjectorMode.WALL:
        workshop = workshop_wall_set(workshop=workshop, revealed=True, actor=actor)
    elif workshop.wall_revealed:
        workshop = workshop_wall_set(workshop=workshop, revealed=False, actor=actor)
    Workshop.objects.filter(pk=workshop.pk).update(projector_mode=mode)
    workshop.projector_mode = mode
    return workshop


def room_activity(*, workshop: Workshop, activities: list[WorkshopActivity], places: dict[int, Place]
                  ) -> WorkshopActivity | None:
    """The room's current activity: where the facilitator moved the room (presenter pacing), else the one most
    people are in (the earlier on a tie; the first before anyone started)."""
    if not activities:
        return None
    by_position = {a.position: a for a in activities}
    if workshop.pacing == Pacing.PRESENTER:
        return by_position.get(workshop.current_position, activities[0])
    counts = Counter(p.position for p in places.values() if p.in_activity)
    if not counts:
        return activities[0]
    position = min(counts, key=lambda pos: (-counts[pos], pos))
    return by_position.get(position, activities[0])
