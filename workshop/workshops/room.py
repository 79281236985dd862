"""What the room sees of a live workshop: the before/after figures on the monitor and the wall of shared
reflections on the monitor and the projector, each released only in batches that cover at least k people.

A live figure that moves as one named participant answers gives their answer away: read the average, watch
them finish, read it again. A wall that adds reflections one at a time, in order, ties each one to the
person who just finished. So the room is shown a snapshot (RoomRelease), and the snapshot changes only when
a batch is complete:

- Figures, per scenario: answers that are not in the snapshot wait until at least k people have given them;
  then the scenario's figure is computed again over every answer it has (so changed and deleted answers are
  taken into account only together with k new people). The room's figure is made from the scenario
  figures, never from answers the scenarios do not show, so no two figures can be subtracted to single
  someone out.
- The wall, per scenario: shared reflections that are not on it wait until at least k people have shared
  one; then they join the wall together, in a random order. A reflection that is edited, or un-shared and
  shared again, leaves the wall and waits for the next batch. One that is deleted or no longer shared leaves
  at once, as the participant asked.

People who are still waiting in an incomplete batch are never shown; the count of who has answered is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from statistics import mean

from django.db import transaction

from workshop.debrief.stats import identification_accuracy, target_labels
from workshop.participants.models import Response
from workshop.scenarios.models import Scenario
from workshop.workshops.models import RoomRelease, Workshop
from workshop.workshops.selectors import workshop_scenarios

ROOM = "room"
_shuffle = random.SystemRandom().shuffle


@dataclass(frozen=True)
class RoomFigure:
    """The released figure of one scenario, or of the whole room (identification accuracy, F1, 0..1)."""

    people: int
    answered: int
    accuracy_before: float
    accuracy_after: float

    @property
    def accuracy_change(self) -> float:
        return self.accuracy_after - self.accuracy_before


@dataclass
class RoomSnapshot:
    """What may be shown now. ``wall`` holds Response rows (loaded without any name) in the order shown."""

    figures: dict[int, RoomFigure] = field(default_factory=dict)  # scenario id -> its released figure
    room: RoomFigure | None = None
    wall: list[Response] = field(default_factory=list)
    answered: int = 0  # people who answered before and after (a count, not their answers)


def room_snapshot(*, workshop: Workshop, k: int, scenarios: list[Scenario] | None = None,
                  responses: list[Response] | None = None) -> RoomSnapshot:
    """Release whatever batches are complete, then return what the room may see. ``scenarios`` and
    ``responses`` (with their labels) may be passed when the caller has them loaded already."""
    scenarios = workshop_scenarios(workshop=workshop) if scenarios is None else scenarios
    targets = {s.id: target_labels(s.emotions) for s in scenarios}
    release, _ = RoomRelease.objects.get_or_create(workshop=workshop,
                                                   defaults={"organization_id": workshop.organization_id})
    answers = _complete_answers(workshop, targets, responses)
    shared = _shared_reflections(workshop)
    if _figures_due(release, answers, k) or _wall_due(release, shared, k):
        with transaction.atomic():
            release = RoomRelease.objects.select_for_update().get(pk=release.pk)
            answers, shared = _complete_answers(workshop, targets, None), _shared_reflections(workshop)
            _release_figures(release, answers, k)
            _release_wall(release, shared, k)
            release.save(update_fields=["figures", "wall", "updated"])
    return RoomSnapshot(
        figures={int(key): _figure(value) for key, value in release.figures.items() if key.isdigit()},
        room=_figure(release.figures[ROOM]) if ROOM in release.figures else None,
        wall=_wall_shown(release, shared),
        answered=len({r.participant_id for rows in answers.values() for r, _, _ in rows}),
    )


# --- the figures -------------------------------------------------------------------------------------------

Answer = tuple[Response, float, float]  # the response, its accuracy before and after


def _complete_answers(workshop: Workshop, targets: dict[int, list[str]], responses: list[Response] | None
                      ) -> dict[int, list[Answer]]:
    """Per scenario, the answers with both a before and an after identification, oldest row first."""
    if responses is None:
        responses = list(Response.objects.filter(participant__workshop=workshop).only(
            "id", "participant_id", "scenario_id", "pre_labels", "post_labels"))
    answers: dict[int, list[Answer]] = {}
    for r in sorted(responses, key=lambda r: r.id):
        if r.scenario_id not in targets:
            continue
        before = identification_accuracy(r.pre_labels or [], targets[r.scenario_id])
        after = identification_accuracy(r.post_labels or [], targets[r.scenario_id])
        if before is not None and after is not None:
            answers.setdefault(r.scenario_id, []).append((r, before, after))
    return answers


def _waiting(release: RoomRelease, scenario_id: int, rows: list[Answer]) -> set[int]:
    """The people whose answers to this scenario the released figure does not hold yet."""
    shown = set(release.figures.get(str(scenario_id), {}).get("answers", []))
    return {r.participant_id for r, _, _ in rows if r.id not in shown}


def _figures_due(release: RoomRelease, answers: dict[int, list[Answer]], k: int) -> bool:
    return any(len(_waiting(release, sid, rows)) >= k for sid, rows in answers.items())


def _release_figures(release: RoomRelease, answers: dict[int, list[Answer]], k: int) -> None:
    figures = dict(release.figures)
    changed = False
    for sid, rows in answers.items():
        if len(_waiting(release, sid, rows)) >= k:
            figures[str(sid)] = {
                "answers": sorted(r.id for r, _, _ in rows), "answered": len(rows),
                "people": len({r.participant_id for r, _, _ in rows}),
                "before": mean(b for _, b, _ in rows), "after": mean(a for _, _, a in rows),
            }
            changed = True
    if changed:
        scenario_figures = [value for key, value in figures.items() if key.isdigit()]  # not "room", "mood"
        shown = {answer_id for value in scenario_figures for answer_id in value["answers"]}
        answered = sum(value["answered"] for value in scenario_figures)
        figures[ROOM] = {
            "answered": answered,
            "people": len({r.participant_id for rows in answers.values() for r, _, _ in rows if r.id in shown}),
            "before": sum(value["before"] * value["answered"] for value in scenario_figures) / answered,
            "after": sum(value["after"] * value["answered"] for value in scenario_figures) / answered,
        }
        release.figures = figures


def _figure(value: dict) -> RoomFigure:
    return RoomFigure(people=value["people"], answered=value["answered"], accuracy_before=value["before"],
                      accuracy_after=value["after"])


# --- the wall ----------------------------------------------------------------------------------------------

def _shared_reflections(workshop: Workshop) -> dict[int, Response]:
    """Reflections their writers chose to share, by response id. The rows carry no name."""
    rows = (Response.objects.filter(participant__workshop=workshop, share_reflection=True,
                                    participant__deleted_at__isnull=True)
            .exclude(reflection="").only("id", "participant_id", "scenario_id", "reflection", "hidden_from_wall",
                                         "updated"))
    return {r.id: r for r in rows if r.reflection.strip()}


def _stamp(response: Response) -> str:
    return response.updated.isoformat()


def _live(release: RoomRelease, shared: dict[int, Response]) -> list[dict]:
    """The wall's entries that still stand: still shared, not changed since they were released."""
    return [entry for entry in release.wall
            if entry["id"] in shared and _stamp(shared[entry["id"]]) == entry["updated"]]


def _pending(release: RoomRelease, shared: dict[int, Response]) -> dict[int, list[Response]]:
    """Per scenario, the shared reflections not on the wall (new, or changed since)."""
    live = {entry["id"] for entry in _live(release, shared)}
    pending: dict[int, list[Response]] = {}
    for r in shared.values():
        if r.id not in live:
            pending.setdefault(r.scenario_id, []).append(r)
    return pending


def _wall_due(release: RoomRelease, shared: dict[int, Response], k: int) -> bool:
    return any(len({r.participant_id for r in rows}) >= k for rows in _pending(release, shared).values())


def _release_wall(release: RoomRelease, shared: dict[int, Response], k: int) -> None:
    wall = _live(release, shared)
    for rows in _pending(release, shared).values():
        if len({r.participant_id for r in rows}) >= k:
            _shuffle(rows)
            wall += [{"id": r.id, "updated": _stamp(r)} for r in rows]
    release.wall = wall


def _wall_shown(release: RoomRelease, shared: dict[int, Response]) -> list[Response]:
    return [shared[entry["id"]] for entry in _live(release, shared)]
