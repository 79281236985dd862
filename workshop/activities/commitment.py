"""Commitment and follow-up: at the end, one concrete thing the participant will do differently, written as an
implementation intention ("When ..., I will ..."), chosen or adapted from the scenario's discussion prompts;
it goes into their packet. After the workshop's follow-up days their personal link offers a two-minute
check-in: did they try it, and one short new vignette without an analogy, answered with the same feelings
question. Writes and reads: commitment_services.py."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from workshop.activities.base import Activity, ParticipantFacts, Step
from workshop.activities.batches import batched_result
from workshop.activities.kinds import ActivityKind
from workshop.participants.models import ActivityRecord

RELEASED = "released"


class Tried(models.TextChoices):
    """The check-in's first question: did they try what they committed to?"""

    YES = "yes", gettext_lazy("Yes")
    PARTLY = "partly", gettext_lazy("Partly")
    NOT_YET = "not_yet", gettext_lazy("Not yet")


def followup_due(facts: dict) -> datetime | None:
    due = (facts or {}).get("followup_due")
    return datetime.fromisoformat(due) if due else None


class Commitment(Activity):
    """The projector's ``room_result(activity, k=...)``, None until at least k people have committed, then
    (changing only when k more have)::

        {"kind": "commitment",
         "people": 8,                  # people who wrote a commitment (>= k)
         "from_prompt": 0.62,          # share of them who started from one of the discussion prompts
         "prompts": [{"prompt": 2, "people": 3}, ...]}   # prompt index (in the activity's prompt list) chosen,
                                                          # most chosen first; only prompts someone chose

    Nobody's commitment text is in it."""

    kind = ActivityKind.COMMITMENT
    label = ActivityKind.COMMITMENT.label
    summary = gettext_lazy("Each person writes one concrete thing they will do differently; a week later their "
                           "link offers a two-minute check-in.")
    steps = (Step("commit", gettext_lazy("Commitment")), Step("followup", gettext_lazy("Follow-up check-in")))
    needs_scenario = False
    summary_template = "participants/activities/commitment_summary.html"

    def step(self, activity, facts: ParticipantFacts) -> str | None:
        """Committing until the commitment is written; then done, except once the follow-up is due and not
        yet answered."""
        record = facts.records.get(activity.id)
        if record is None or record.done_at is None:
            return "commit"
        if (record.facts or {}).get("followup_at"):
            return None
        due = followup_due(record.facts)
        return "followup" if due is not None and timezone.now() >= due else None

    def summary_data(self, record: ActivityRecord) -> dict:
        """For the participant's own summary and packet: their commitment, the prompt it started from, when the
        check-in opens and what they answered there."""
        from django.utils.translation import get_language

        from workshop.activities.commitment_services import commitment_prompts
        from workshop.activities.records import record_content

        words, facts = record_content(record), record.facts or {}
        prompts = commitment_prompts(activity=record.activity, language=get_language())
        index = facts.get("prompt")
        return {"situation": words.get("when", ""), "action": words.get("will", ""),
                "prompt": prompts[index] if isinstance(index, int) and 0 <= index < len(prompts) else "",
                "due": followup_due(facts), "tried": dict(Tried.choices).get(facts.get("tried"), "")}

    def room_result(self, activity, *, k: int) -> dict | None:
        committed = {str(pid): (facts or {}).get("prompt") for pid, facts in ActivityRecord.objects.filter(
            activity_id=activity.pk, done_at__isnull=False, participant__deleted_at__isnull=True
        ).values_list("participant_id", "facts")}
        if not committed:
            return None

        def compute(keys: list[str]) -> dict:
            chosen = [committed[key] for key in keys if key in committed]
            counts: dict[int, int] = {}
            for prompt in chosen:
                if isinstance(prompt, int):
                    counts[prompt] = counts.get(prompt, 0) + 1
            return {"kind": self.kind,
                    "from_prompt": round(sum(counts.values()) / len(chosen), 2) if chosen else 0.0,
                    "prompts": [{"prompt": p, "people": n}
                                for p, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]}

        result = batched_result(activity=activity, k=k, slot=RELEASED, compute=compute,
                                contributions={key: int(key) for key in committed})
        if result is None:
            return None
        from django.utils.translation import get_language

        from workshop.activities.commitment_services import commitment_prompts

        # The prompts' words in the reader's language, for the projector (additive to the shape above).
        texts = commitment_prompts(activity=activity, language=get_language())
        return {**result, "prompts": [{**p, "text": texts[p["prompt"]] if 0 <= p["prompt"] < len(texts) else ""}
                                      for p in result["prompts"]]}
