"""Perspective-getting: after the scenario with its analogy, the participant writes what they would ask the
scenario's person; then reads what the person said when someone asked (the scenario's optional "when asked"
text; without one, the step says so); then answers the feelings question once more. That third answer sits
on the scenario's Response (asked_labels, asked_understanding, asked_f1) beside the before and after ones, so
reports can compare imagining with asking (Eyal, Steffel & Epley 2018: getting perspective raised accuracy,
taking it did not). Writes: perspective_services.py."""

from __future__ import annotations

from statistics import mean

from django.utils.translation import gettext_lazy

from workshop.activities.base import Activity, Step
from workshop.activities.kinds import ActivityKind
from workshop.activities.notes import notes_merge
from workshop.activities.stepped import counting_records, record_words, released, words_of
from workshop.debrief.stats import identification_accuracy, target_labels
from workshop.participants.models import ActivityRecord, Response
from workshop.workshops.models import WorkshopActivity

SHOWN_QUESTIONS = 8


def _mean(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return round(mean(found), 3) if found else None


class Perspective(Activity):
    """The projector's ``room_result(activity, k=...)``: None until at least k people have answered a third
    time and been released together; then (changing only when k more have, or when one changes an answer)::

        {"kind": "perspective",
         "people": 6,                                     # people the figures cover (>= k)
         "accuracy": {"before": 0.41, "after": 0.58, "asked": 0.66},   # mean identification F1, 0..1
         "understanding": {"before": 3.8, "after": 4.9, "asked": 5.3},  # mean of 1..7 (None if nobody rated)
         "questions": {"asked": 14,                       # questions written by those who let theirs count
                       "merged": [{"text": "...", "people": 3, "assumptions": 0}, ...],  # at most 8
                       "more": 0}}

    The figures are everyone's answers in the batch; question texts only from people who let theirs count,
    never with a name."""

    kind = ActivityKind.PERSPECTIVE
    label = ActivityKind.PERSPECTIVE.label
    summary = gettext_lazy("After the analogy, write what you would ask the person, read what they said when "
                           "asked, and answer once more.")
    steps = (Step("ask", gettext_lazy("Ask them")), Step("hear", gettext_lazy("What they said")),
             Step("again", gettext_lazy("Answer again")))
    summary_template = "participants/activities/perspective_summary.html"

    def room_result(self, activity: WorkshopActivity, *, k: int) -> dict | None:
        counting = [r for r in counting_records(activity) if r.done_at is not None]
        shown = released(activity=activity, k=k, records=counting)
        if shown is None:
            return None
        people = {r.participant_id for r in shown}
        answers = list(Response.objects.filter(participant_id__in=people, scenario_id=activity.scenario_id).only(
            "participant_id", "pre_labels", "post_labels", "asked_labels", "pre_understanding",
            "post_understanding", "asked_understanding"))
        targets = target_labels(activity.scenario.emotions)
        words = words_of([r for r in shown if r.shared])
        questions = [(q, r.participant_id, False) for r in shown if r.shared
                     for q in words.get(r.id, {}).get("questions") or [] if isinstance(q, str)]
        merged = notes_merge(questions)
        return {
            "kind": self.kind, "people": len(people),
            "accuracy": {when: _mean([identification_accuracy(getattr(a, f"{field}_labels") or [], targets)
                                      for a in answers])
                         for when, field in (("before", "pre"), ("after", "post"), ("asked", "asked"))},
            "understanding": {when: _mean([getattr(a, f"{field}_understanding") for a in answers])
                              for when, field in (("before", "pre"), ("after", "post"), ("asked", "asked"))},
            "questions": {"asked": len(questions), "merged": [m.as_dict() for m in merged[:SHOWN_QUESTIONS]],
                          "more": max(0, len(merged) - SHOWN_QUESTIONS)},
        }

    def summary_data(self, record: ActivityRecord) -> dict:
        """The participant's own questions and their three answers, for their summary page and packet."""
        answer = Response.objects.filter(participant_id=record.participant_id,
                                         scenario_id=record.activity.scenario_id).first()
        targets = target_labels(record.activity.scenario.emotions)

        def score(labels) -> int | None:
            found = identification_accuracy(labels or [], targets)
            return None if found is None else round(100 * found)

        return {"questions": [q for q in record_words(record).get("questions") or [] if isinstance(q, str)],
                "before": score(answer.pre_labels) if answer else None,
                "after": score(answer.post_labels) if answer else None,
                "asked": score(answer.asked_labels) if answer else None,
                "asked_labels": list(answer.asked_labels) if answer else [], "shared": record.shared}
