"""Scenario with analogy: read the scenario, say what the person feels (before), read the analogy written
for you, answer again (after), reflect and rate. Kept in the Response and Analogy rows."""
from django.utils.translation import gettext_lazy

from workshop.activities.base import Activity, ParticipantFacts, Step
from workshop.activities.kinds import ActivityKind


class ScenarioAnalogy(Activity):
    kind = ActivityKind.ANALOGY
    label = ActivityKind.ANALOGY.label
    summary = gettext_lazy("Read the scenario, say what the person feels, then again after an analogy written "
                           "for you from your own life.")
    steps = (Step("before", gettext_lazy("Before")), Step("analogy", gettext_lazy("Analogy")),
             Step("after", gettext_lazy("After")))
    needs_profile = True
    url_name = "participants:scenario"

    def step(self, activity, facts: ParticipantFacts) -> str | None:
        answer = facts.responses.get(activity.scenario_id)
        if answer is None or answer.pre_understanding is None:
            return "before"
        if answer.post_understanding is None:
            return "after" if facts.analogy_states.get(activity.scenario_id) == "done" else "analogy"
        return None
