"""The workshop's activities as the facilitator composes them on the console: rows of an activity kind and its
scenario, added, removed and moved up or down by plain submit buttons, so it works without JavaScript. The rows
travel in the form (act-count, act-<i>-kind, act-<i>-scenario); nothing is saved until the workshop is."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workshop.activities.kinds import ActivityKind
from workshop.activities.registry import ACTIVITIES, activity_for
from workshop.scenarios.models import Scenario
from workshop.workshops.activities import MAX_ACTIVITIES, ActivityPlan, ActivityPlanError, plan_check

PREFIX = "act"


@dataclass
class Row:
    kind: str = ""
    scenario: str = ""  # the scenario's id as the form sends it


class ActivityComposer:
    def __init__(self, data: QueryDict | None = None, *, plan: list[ActivityPlan] | None = None,
                 extra_scenarios: list[Scenario] = ()):
        self.rows: list[Row] = []
        self.error = ""
        if data is not None:
            count = _int(data.get(f"{PREFIX}-count"), limit=MAX_ACTIVITIES + 1)
            self.rows = [Row(kind=data.get(f"{PREFIX}-{i}-kind", "")[:40],
                             scenario=data.get(f"{PREFIX}-{i}-scenario", "")[:20]) for i in range(count)]
        elif plan:
            self.rows = [Row(kind=item.kind, scenario=str(item.scenario.id) if item.scenario else "") for item in plan]
        current = list(Scenario.objects.filter(is_current=True).order_by("title"))
        # A draft made before a scenario was edited keeps the version it chose: it stays in the list.
        self.scenarios = current + [s for s in extra_scenarios if s.id not in {c.id for c in current}]
        self._by_id = {str(s.id): s for s in self.scenarios}

    # --- editing (the submit buttons: add, fill, up-<i>, down-<i>, remove-<i>) ---------------------------

    def apply(self, edit: str, *, ticked: list[Scenario]) -> None:
        """One edit. "fill" (and "add" on an empty composer) starts from the scenarios ticked above: one scenario
        with analogy each, the usual workshop."""
        action, _sep, number = edit.partition("-")
        if action in ("fill", "add"):
            if action == "fill" or not self.rows:
                self.rows = [Row(kind=ActivityKind.ANALOGY, scenario=str(s.id)) for s in ticked] or self.rows
            if action == "add" and len(self.rows) >= MAX_ACTIVITIES:
                self.error = _("A workshop can have at most %(n)d activities.") % {"n": MAX_ACTIVITIES}
            elif action == "add":
                self.rows.append(Row(scenario=self.rows[-1].scenario if self.rows else ""))
            return
        index = int(number) if number.isascii() and number.isdigit() and len(number) < 4 else -1
        if not 0 <= index < len(self.rows):
            return
        if action == "remove":
            del self.rows[index]
        elif action == "up" and index > 0:
            self.rows[index - 1], self.rows[index] = self.rows[index], self.rows[index - 1]
        elif action == "down" and index < len(self.rows) - 1:
            self.rows[index + 1], self.rows[index] = self.rows[index], self.rows[index + 1]

    # --- reading -------------------------------------------------------------------------------------------

    def plan(self) -> list[ActivityPlan]:
        """The rows as a plan the flow can run; ActivityPlanError with the facilitator's message otherwise."""
        plan = []
        for number, row in enumerate(self.rows, 1):
            scenario = self._by_id.get(row.scenario) if row.scenario else None
            if row.scenario and scenario is None:
                raise ActivityPlanError(_("Activity %(n)d: choose a scenario from the list.") % {"n": number})
            kind = row.kind if row.kind in ACTIVITIES else ""
            if kind and not activity_for(kind).needs_scenario:
                scenario = None
            plan.append(ActivityPlan(kind, scenario))
        plan_check(plan)
        return plan

    def kinds(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label in ActivityKind.choices if value in ACTIVITIES]

    language: str | None = None  # a draft's rows name its scenarios in the workshop's language

    def scenario_choices(self) -> list[tuple[str, str]]:
        language = self.language or get_language()
        return [(str(s.id), s.localized(language).title) for s in self.scenarios]

    def shown_rows(self) -> list[dict]:
        """What the template draws: each row with its position, its choices marked, and its neighbours."""
        kinds, scenarios = self.kinds(), self.scenario_choices()
        return [{"index": i, "number": i + 1, "kind": row.kind, "scenario": row.scenario, "first": i == 0,
                 "last": i == len(self.rows) - 1, "kinds": kinds, "scenarios": scenarios,
                 "needs_scenario": activity_for(row.kind).needs_scenario if row.kind in ACTIVITIES else True}
                for i, row in enumerate(self.rows)]

    def summaries(self) -> list[tuple[str, str]]:
        """Each kind the facilitator can add, with its one-line description."""
        return [(label, str(activity_for(value).summary)) for value, label in self.kinds()]


def _int(value: str | None, *, limit: int) -> int:
    if not value or not value.isascii() or not value.isdigit() or len(value) > 6:
        return 0
    return min(int(value), limit)
