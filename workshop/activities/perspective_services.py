"""Perspective-getting's writes: the questions, having read what the person said, and the third answer."""

from __future__ import annotations

from django.db import transaction

from workshop.activities.stepped import step_save
from workshop.participants.answers import identification_f1, response_for
from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity


def perspective_questions_save(*, participant: Participant, activity: WorkshopActivity, questions: list[str],
                               shared: bool) -> ActivityRecord:
    return step_save(participant=participant, activity=activity, step="ask", words={"questions": questions},
                     facts={"questions": len(questions)}, shared=shared)


def perspective_heard_save(*, participant: Participant, activity: WorkshopActivity, shown: bool) -> ActivityRecord:
    """The participant read what the person said (``shown``), or the scenario had nothing to show."""
    return step_save(participant=participant, activity=activity, step="hear", facts={"heard": shown},
                     uncounted=("heard",))


def perspective_answer_save(*, participant: Participant, activity: WorkshopActivity, labels: list[str],
                            intensity: int, understanding: int) -> ActivityRecord:
    """The feelings question once more, after asking: on the scenario's Response beside the before and after
    answers, scored the same way. Idempotent."""
    scenario = activity.scenario
    f1 = identification_f1(labels, [str(e.get("label", "")) for e in scenario.emotions])
    with transaction.atomic():
        response = response_for(participant=participant, scenario=scenario)
        response.asked_labels, response.asked_understanding, response.asked_f1 = labels, understanding, f1
        response.save(update_fields=["asked_labels", "asked_understanding", "asked_f1", "updated"])
        return step_save(participant=participant, activity=activity, step="again",
                         facts={"asked_f1": f1, "asked_understanding": understanding, "asked_intensity": intensity},
                         uncounted=("asked_intensity",))
