"""Empathy map: for one scenario's person, each participant fills a one-person map on the phone, in the order of
Dave Gray's updated canvas (2017): the goal (what they need), then what they see, say, do and hear, then what
they think and feel with their pains and gains. Each note is marked "in the scenario" or "my assumption", and
an "ask, don't assume" lane collects the questions the participant would ask the person. About five minutes.

The room's combined map merges near-duplicate notes with counts (notes.py) from the maps whose authors let
them count, released in batches of at least k people (stepped.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from workshop.activities.base import Activity, Step
from workshop.activities.kinds import ActivityKind
from workshop.activities.notes import notes_merge
from workshop.activities.stepped import counting_records, record_words, released, words_of
from workshop.participants.models import ActivityRecord
from workshop.workshops.models import WorkshopActivity

NOTE_SLOTS = 2  # note fields per part of the map on the phone
QUESTION_SLOTS = 3
MAX_NOTE_CHARS = 200
MAX_QUESTION_CHARS = 300
SHOWN_PER_PART = 8  # merged notes per part on the projector; the rest are counted as "more"


class MapPart(models.TextChoices):
    """The parts of the map, in the order the participant fills them."""

    GOAL = "goal", gettext_lazy("What they need")
    SEE = "see", gettext_lazy("What they see")
    SAY = "say", gettext_lazy("What they say")
    DO = "do", gettext_lazy("What they do")
    HEAR = "hear", gettext_lazy("What they hear")
    THINK_FEEL = "think_feel", gettext_lazy("What they think and feel")
    PAINS = "pains", gettext_lazy("Pains: fears, frustrations, obstacles")
    GAINS = "gains", gettext_lazy("Gains: wishes, needs, hopes")


class NoteSource(models.TextChoices):
    SCENARIO = "scenario", gettext_lazy("In the scenario")
    ASSUMPTION = "assumption", gettext_lazy("My assumption")


# The steps of the map and the parts each one fills; the last step is the "ask, don't assume" lane.
STEP_PARTS: dict[str, tuple[MapPart, ...]] = {
    "goal": (MapPart.GOAL,),
    "observe": (MapPart.SEE, MapPart.SAY, MapPart.DO, MapPart.HEAR),
    "inside": (MapPart.THINK_FEEL, MapPart.PAINS, MapPart.GAINS),
    "ask": (),
}


def map_notes(words: dict) -> dict[str, list[dict]]:
    """The participant's notes by part, each {"text", "source"}, as saved (only well-formed ones)."""
    notes = words.get("notes") if isinstance(words.get("notes"), dict) else {}
    return {part: [n for n in notes.get(part) or [] if isinstance(n, dict) and isinstance(n.get("text"), str)
                   and n.get("source") in NoteSource.values]
            for part in MapPart.values}


def map_questions(words: dict) -> list[str]:
    return [q for q in words.get("questions") or [] if isinstance(q, str) and q]


class EmpathyMap(Activity):
    """The projector's ``room_result(activity, k=...)``: None until the maps of at least k people who let theirs
    count have been released together; then (changing only when k more have, or when one leaves)::

        {"kind": "empathy_map",
         "people": 7,                        # people whose maps the result is made from (>= k)
         "parts": [                          # every part, in MapPart order (goal, see, say, do, hear,
           {"key": "goal",                   #   think_feel, pains, gains)
            "label": "What they need",       # in the language active when called
            "notes": 9,                      # notes written in this part
            "assumptions": 4,                # ... of which marked "my assumption"
            "assumption_share": 0.44,        # assumptions / notes, 2 decimals (None when no notes)
            "merged": [{"text": "...", "people": 3, "assumptions": 1}, ...],  # most written first, at most 8
            "more": 0},                      # merged notes left out of "merged"
           ...],
         "questions": {"label": "Ask, don't assume", "asked": 12,   # questions written
                       "merged": [{"text": "...", "people": 2, "assumptions": 0}, ...], "more": 0}}

    Texts are participants' own words from maps their authors let count, never with a name; a merged note
    shows the wording most of its writers used."""

    kind = ActivityKind.EMPATHY_MAP
    label = ActivityKind.EMPATHY_MAP.label
    summary = gettext_lazy("Map what the scenario's person needs, sees, says, does, hears, thinks and feels, mark "
                           "what is in the story and what you assume, and write what you would ask them.")
    steps = (Step("goal", gettext_lazy("Their goal")), Step("observe", gettext_lazy("See, say, do, hear")),
             Step("inside", gettext_lazy("Think and feel")), Step("ask", gettext_lazy("Ask, don't assume")))
    summary_template = "participants/activities/empathy_map_summary.html"

    def room_result(self, activity: WorkshopActivity, *, k: int) -> dict | None:
        counting = [r for r in counting_records(activity) if r.done_at is not None and r.shared]
        shown = released(activity=activity, k=k, records=counting)
        if shown is None:
            return None
        words = words_of(shown)
        parts = []
        for part in MapPart:
            notes = [(n["text"], r.participant_id, n["source"] == NoteSource.ASSUMPTION)
                     for r in shown for n in map_notes(words.get(r.id, {}))[part.value]]
            merged = notes_merge(notes)
            assumed = sum(1 for _text, _who, mine in notes if mine)
            parts.append({"key": part.value, "label": str(part.label), "notes": len(notes), "assumptions": assumed,
                          "assumption_share": round(assumed / len(notes), 2) if notes else None,
                          "merged": [m.as_dict() for m in merged[:SHOWN_PER_PART]],
                          "more": max(0, len(merged) - SHOWN_PER_PART)})
        questions = [(q, r.participant_id, False) for r in shown for q in map_questions(words.get(r.id, {}))]
        merged = notes_merge(questions)
        return {"kind": self.kind, "people": len({r.participant_id for r in shown}), "parts": parts,
                "questions": {"label": str(self.step_label("ask")), "asked": len(questions),
                              "merged": [m.as_dict() for m in merged[:SHOWN_PER_PART]],
                              "more": max(0, len(merged) - SHOWN_PER_PART)}}

    def summary_data(self, record: ActivityRecord) -> dict:
        """The participant's own map, for their summary page and packet (theirs alone)."""
        words = record_words(record)
        notes = map_notes(words)
        return {"parts": [{"key": part.value, "label": part.label,
                           "notes": [{"text": n["text"], "assumption": n["source"] == NoteSource.ASSUMPTION}
                                     for n in notes[part.value]]} for part in MapPart],
                "questions": map_questions(words), "shared": record.shared}
