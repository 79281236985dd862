"""Active-listening lab: in groups of three (speaker, listener, observer) over three rounds, the roles rotating.
The speaker talks aloud about a prompt drawn from the workshop's themes; the listener writes back a paraphrase,
the feeling they heard and one open question, and gets offline feedback on EPITOME's three mechanisms; the
observer rates the same three and may flag one moment. Groups and rounds: listening_groups.py; writes and
what each person may see: listening_services.py; the rules: listening_feedback.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from workshop.activities.base import Activity, ParticipantFacts, Step
from workshop.activities.batches import batched_result
from workshop.activities.kinds import ActivityKind
from workshop.activities.listening_feedback import Grade, Mechanism
from workshop.activities.listening_groups import ROUNDS, LabState, active_members, lab_round, person_done, seat_of
from workshop.participants.models import ActivityRecord

RELEASED = "released"  # the room_state slot of the projector's released skill levels


class ListeningLab(Activity):
    """The projector's ``room_result(activity, k=...)``, None until the listeners' reflections it covers come
    from at least k people, then (changing only when k more people have reflected)::

        {"kind": "listening",
         "people": 6,                 # listeners the figures cover (>= k)
         "reflections": 7,            # their reflections (a person may listen in more than one round)
         "round": 2,                  # the room's round now: 0 gathering, 1..3, 4 once done
         "skills": {"emotional_reactions": {"none": 0.14, "weak": 0.29, "strong": 0.57},
                    "interpretations": {...}, "explorations": {...}}}

    ``skills`` are the shares of the reflections at each grade of the offline rules, per EPITOME mechanism
    (Mechanism and Grade values); nobody's grade, words or observers' ratings are in it."""

    kind = ActivityKind.LISTENING
    label = ActivityKind.LISTENING.label
    summary = gettext_lazy("In threes, one speaks, one listens and reflects back, one observes: three rounds, so "
                           "everyone listens.")
    steps = (Step("group", gettext_lazy("Finding a group")), Step("round_1", gettext_lazy("Round 1")),
             Step("round_2", gettext_lazy("Round 2")), Step("round_3", gettext_lazy("Round 3")))
    needs_scenario = False
    summary_template = "participants/activities/listening_summary.html"

    def step(self, activity, facts: ParticipantFacts) -> str | None:
        state = activity.room_state or {}
        record = facts.records.get(activity.id)
        if state.get("state") == LabState.DONE:
            return None
        if record is None:  # not arrived yet
            return self.steps[0].name
        person = record.participant_id
        if person_done(state, person):
            return None
        found = seat_of(state, person)
        if found is None or person not in active_members(found[1], found[1]["round"]):
            return self.steps[0].name
        return f"round_{found[1]['round']}"

    def summary_data(self, record: ActivityRecord) -> dict:
        """For the participant's own summary and packet: how many rounds they took part in, and their feedback
        from the rounds they listened (listening_services guards that it is theirs)."""
        from workshop.activities.listening_services import feedback_rows, listening_feedback

        feedback = listening_feedback(participant=record.participant, activity=record.activity)
        return {"rounds": len((record.facts or {}).get("rounds") or {}), "feedback": feedback_rows(feedback)}

    def room_result(self, activity, *, k: int) -> dict | None:
        grades = _listener_grades(activity)
        if not grades:
            return None

        def compute(keys: list[str]) -> dict:
            covered = [grades[key] for key in keys if key in grades]
            return {"kind": self.kind, "reflections": len(covered), "skills": {
                mechanism: {grade: round(sum(g.get(mechanism) == grade for g in covered) / len(covered), 2)
                            for grade in Grade.values}
                for mechanism in Mechanism.values}}

        result = batched_result(activity=activity, k=k, slot=RELEASED, compute=compute,
                                contributions={key: int(key.split(":")[0]) for key in grades})
        if result is None:
            return None
        state = activity.room_state or {}
        now = 0 if state.get("state") == LabState.GATHERING else (
            ROUNDS + 1 if state.get("state") == LabState.DONE else lab_round(state))
        # Rows with the labels in the reader's language, for the projector (additive to the shape above).
        rows = [{"mechanism": str(label), **{grade: result["skills"][value][grade] for grade in Grade.values}}
                for value, label in Mechanism.choices]
        return {**result, "round": now, "rows": rows}


def _listener_grades(activity) -> dict[str, dict]:
    """Every listener's rule grades in this lab, keyed "participant:round" (people who deleted their data are
    left out)."""
    found = {}
    for pid, facts in (ActivityRecord.objects.filter(activity_id=activity.pk, participant__deleted_at__isnull=True)
                       .values_list("participant_id", "facts")):
        for number, entry in ((facts or {}).get("rounds") or {}).items():
            if isinstance(entry, dict) and entry.get("grades"):
                found[f"{pid}:{number}"] = entry["grades"]
    return found
