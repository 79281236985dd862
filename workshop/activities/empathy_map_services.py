"""The empathy map's writes: one step's notes (each with where it comes from), then the questions."""

from __future__ import annotations

from workshop.activities.empathy_map import STEP_PARTS, NoteSource, map_notes
from workshop.activities.stepped import step_save
from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity


def map_notes_save(*, participant: Participant, activity: WorkshopActivity, step: str,
                   notes: dict[str, list[dict]]) -> ActivityRecord:
    """Save the notes of one step's parts (``notes``: part -> [{"text", "source"}]); the other parts keep
    what was saved before."""
    parts = STEP_PARTS.get(step)
    if not parts:
        raise ValueError(f"the empathy map step {step!r} holds no notes")
    if any(n.get("source") not in NoteSource.values for part in notes.values() for n in part):
        raise ValueError("each note is in the scenario or an assumption")

    def update(words: dict) -> tuple[dict, dict]:
        saved = map_notes(words)
        saved.update({part.value: list(notes.get(part.value, [])) for part in parts})
        counts = {part: {source: sum(n["source"] == source for n in saved[part]) for source in NoteSource.values}
                  for part in saved}
        return {"notes": saved}, {"notes": counts}

    return step_save(participant=participant, activity=activity, step=step, update=update)


def map_questions_save(*, participant: Participant, activity: WorkshopActivity, questions: list[str],
                       shared: bool) -> ActivityRecord:
    """The "ask, don't assume" lane, and whether the map counts in the room's combined one. The last step."""
    return step_save(participant=participant, activity=activity, step="ask", words={"questions": questions},
                     facts={"questions": len(questions)}, shared=shared)
