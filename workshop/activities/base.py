"""What an activity kind is: its steps in order, what counts as done, and the room's result.

Each kind is one module beside this one (analogy.py, empathy_map.py, ...) with one `Activity` subclass,
registered in registry.py. The flow (flow.py), the phone pages, the monitor, the API's `step` and the
reports all read these declarations; adding an activity means adding one module and its templates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from workshop.workshops.models import WorkshopActivity


@dataclass(frozen=True)
class Step:
    name: str  # stable: the API's `step` and the monitor's columns use it
    label: Promise | str


@dataclass
class ParticipantFacts:
    """What the flow needs to know about one participant, loaded for a whole room at once (flow.py):
    their answers and current analogy state per scenario id, and their record per activity id."""

    responses: dict = field(default_factory=dict)  # scenario id -> Response
    analogy_states: dict = field(default_factory=dict)  # scenario id -> Analogy.State value
    records: dict = field(default_factory=dict)  # activity id -> ActivityRecord


class Activity:
    kind: ClassVar[str]
    label: ClassVar[Promise | str]
    # One sentence for the facilitator composing a workshop (and docs/activities.md says more).
    summary: ClassVar[Promise | str] = ""
    steps: ClassVar[tuple[Step, ...]]
    needs_scenario: ClassVar[bool] = True
    needs_profile: ClassVar[bool] = False  # the participant's profile comes before the first such activity
    url_name: ClassVar[str] = "participants:activity"  # the phone page (argument: the activity's position)
    # What the participant's summary page (and packet) shows of it: a template given `item` (with `record`).
    summary_template: ClassVar[str | None] = None

    def step(self, activity: WorkshopActivity, facts: ParticipantFacts) -> str | None:
        """The step the participant is on in this activity, or None once it counts as done. By default an
        activity is kept in the participant's ActivityRecord: its `step`, done when `done_at` is set."""
        record = facts.records.get(activity.id)
        if record is None:
            return self.steps[0].name
        if record.done_at is not None:
            return None
        return record.step if record.step in self.step_names() else self.steps[0].name

    def step_names(self) -> list[str]:
        return [s.name for s in self.steps]

    def step_label(self, name: str):
        return next((s.label for s in self.steps if s.name == name), name)

    def room_result(self, activity: WorkshopActivity, *, k: int) -> dict | None:
        """What the projector may show of this activity: None until at least k people contributed."""
        return None
