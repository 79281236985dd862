"""Bystander rehearsal (role-play): the scenario replayed from the seat of someone who was there (the scenario's
"witness" text, or a colleague who saw it); at the moment it happens the participant writes what they would
say or do, with the five bystander options as a guide (direct, distract, delegate, delay, document: the
"5Ds" of bystander intervention training, as Right To Be teaches them); then pairs act the moment out aloud,
one playing the scenario's person. Practising the response, not only understanding it, is what training needs
to change behaviour.

The room sees its responses grouped by option once k people have answered (batches of k, stepped.py), with a
few example responses from people who let theirs be shown; the facilitator packet's discussion guide uses the
same groups (bystander_discussion)."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.activities.base import Activity, Step
from workshop.activities.kinds import ActivityKind
from workshop.activities.stepped import counting_records, record_words, released, words_of
from workshop.participants.models import ActivityRecord
from workshop.scenarios.languages import ScenarioText
from workshop.workshops.models import Workshop, WorkshopActivity

MAX_RESPONSE_CHARS = 600
EXAMPLES_PER_OPTION = 2


class BystanderOption(models.TextChoices):
    DIRECT = "direct", gettext_lazy("Direct")
    DISTRACT = "distract", gettext_lazy("Distract")
    DELEGATE = "delegate", gettext_lazy("Delegate")
    DELAY = "delay", gettext_lazy("Delay")
    DOCUMENT = "document", gettext_lazy("Document")


# One line each, shown beside the option on the phone, the projector and in the packet.
OPTION_HINTS = {
    BystanderOption.DIRECT: gettext_lazy("Name it there and then, calmly: say what you saw and that it is not OK."),
    BystanderOption.DISTRACT: gettext_lazy("Interrupt the moment: a question, a task, a change of subject."),
    BystanderOption.DELEGATE: gettext_lazy("Bring in someone who can act: a manager, HR, someone they trust."),
    BystanderOption.DELAY: gettext_lazy("Check in with them afterwards: how are they, what would they want?"),
    BystanderOption.DOCUMENT: gettext_lazy("Note what happened, when and who was there, and give it to them."),
}


def witness_seat(text: ScenarioText) -> str:
    """Where the participant sits: the scenario's witness text in the reader's language, else a colleague."""
    return text.witness or _("You were there: a colleague of %(name)s's who saw it happen.") % {
        "name": text.perspective_name}


def _example_order(activity: WorkshopActivity, record: ActivityRecord) -> str:
    # Not the order people answered in (that would tie an example to whoever just finished), but stable.
    return hashlib.sha256(f"{activity.pk}:{record.pk}".encode()).hexdigest()


class BystanderRehearsal(Activity):
    """The projector's ``room_result(activity, k=...)``: None until at least k people's responses have been
    released together; then (changing only when k more have answered, or when one changes theirs)::

        {"kind": "bystander",
         "people": 9,                          # people who answered (>= k)
         "options": [                          # all five, in BystanderOption order
           {"key": "direct", "label": "Direct",          # label and hint in the language active when called
            "hint": "Name it there and then, calmly: ...",
            "people": 3,                       # people who chose it
            "examples": ["I'd say: ...", ...]},          # at most 2, only from people who let theirs be shown
           ...]}

    Never a name; the counts cover everyone who answered, the examples only those who chose to share."""

    kind = ActivityKind.BYSTANDER
    label = ActivityKind.BYSTANDER.label
    summary = gettext_lazy("Replay the scenario from the seat of someone who was there, write what you would say "
                           "or do, then act it out in pairs.")
    steps = (Step("seat", gettext_lazy("Where you are")), Step("respond", gettext_lazy("What you do")),
             Step("rehearse", gettext_lazy("Act it out")))
    summary_template = "participants/activities/bystander_summary.html"

    def room_result(self, activity: WorkshopActivity, *, k: int) -> dict | None:
        counting = [r for r in counting_records(activity) if (r.facts or {}).get("option") in BystanderOption.values]
        shown = released(activity=activity, k=k, records=counting)
        if shown is None:
            return None
        words = words_of([r for r in shown if r.shared])
        options = []
        for option in BystanderOption:
            chose = [r for r in shown if r.facts["option"] == option.value]
            examples = [words[r.id].get("response") for r in sorted(chose, key=lambda r: _example_order(activity, r))
                        if r.shared and isinstance(words.get(r.id, {}).get("response"), str)]
            options.append({"key": option.value, "label": str(option.label), "hint": str(OPTION_HINTS[option]),
                            "people": len({r.participant_id for r in chose}),
                            "examples": examples[:EXAMPLES_PER_OPTION]})
        return {"kind": self.kind, "people": len({r.participant_id for r in shown}), "options": options}

    def summary_data(self, record: ActivityRecord) -> dict:
        """The participant's own response, for their summary page and packet (theirs alone)."""
        option = (record.facts or {}).get("option")
        return {"option": BystanderOption(option).label if option in BystanderOption.values else "",
                "hint": OPTION_HINTS.get(option, ""), "response": record_words(record).get("response", ""),
                "rehearsed": (record.facts or {}).get("rehearsed"), "shared": record.shared}


def bystander_discussion(*, workshop: Workshop, k: int) -> list[dict]:
    """For the facilitator packet's discussion guide: each bystander rehearsal of the workshop, in order, with the
    room's responses grouped by option (the projector's result; None while fewer than k people answered)."""
    found = (WorkshopActivity.objects.filter(workshop_id=workshop.pk, kind=ActivityKind.BYSTANDER)
             .select_related("scenario").order_by("position"))
    declared = BystanderRehearsal()
    return [{"position": activity.position, "scenario": activity.scenario,
             "text": activity.scenario.localized(workshop.language),
             "result": declared.room_result(activity, k=k)} for activity in found]
