"""Bystander rehearsal's writes: having taken the seat, the response at the moment it happens, the rehearsal."""

from __future__ import annotations

from workshop.activities.bystander import BystanderOption
from workshop.activities.stepped import step_save
from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity

# A response is shown to the room as an example only when its writer chose so: private until they do.
SHARED_BY_DEFAULT = False


def bystander_seat_save(*, participant: Participant, activity: WorkshopActivity) -> ActivityRecord:
    return step_save(participant=participant, activity=activity, step="seat", shared_default=SHARED_BY_DEFAULT)


def bystander_response_save(*, participant: Participant, activity: WorkshopActivity, option: str, response: str,
                            shared: bool) -> ActivityRecord:
    if option not in BystanderOption.values:
        raise ValueError(f"not a bystander option: {option!r}")
    return step_save(participant=participant, activity=activity, step="respond", words={"response": response},
                     facts={"option": option}, shared=shared, shared_default=SHARED_BY_DEFAULT)


def bystander_rehearsal_save(*, participant: Participant, activity: WorkshopActivity,
                             rehearsed: bool) -> ActivityRecord:
    """The pair acted it out ("we did it") or skipped it: counted for reports, never shown to the room."""
    return step_save(participant=participant, activity=activity, step="rehearse", facts={"rehearsed": rehearsed},
                     uncounted=("rehearsed",), shared_default=SHARED_BY_DEFAULT)
