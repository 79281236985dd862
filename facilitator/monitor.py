"""The live monitor: where everyone is, their analogies, the room's before/after shift, and the wall of
shared reflections. The page polls a fragment of itself; both read a fixed number of queries however many
people joined (rows are grouped in Python, never fetched per participant)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from workshop.debrief import charts
from workshop.engine.llm import shown_reason
from workshop.learning.room_mood import room_mood_panel
from workshop.participants.models import Analogy, Response
from workshop.participants.selectors import participant_step
from workshop.participants.services import analogy_retry
from workshop.scenarios.models import Scenario
from workshop.security import svg_data_uri
from workshop.tenancy.access import STAFF_ROLES, member_required
from workshop.workshops.models import Workshop
from workshop.workshops.room import RoomFigure, RoomSnapshot, room_snapshot
from workshop.workshops.selectors import workshop_scenarios
from workshop.workshops.services import WorkshopStateError, workshop_wall_set
from workshop.workshops.wall import reflection_wall_set

POLL_SECONDS = 4

# Where a participant is, in the order they go. Derived from Participant.step and their Response rows.
STEPS = {
    "joined": gettext_lazy("Joined"),
    "profile": gettext_lazy("Profile"),
    "before": gettext_lazy("Before the analogy"),
    "analogy": gettext_lazy("Waiting for the analogy"),
    "after": gettext_lazy("Reading it, answering again"),
    "done": gettext_lazy("Finished"),
}
FALLBACK = "fallback"
STATUS_LABELS = {
    Analogy.State.PENDING: gettext_lazy("Queued"),
    Analogy.State.RUNNING: gettext_lazy("Being written"),
    Analogy.State.DONE: gettext_lazy("Done"),
    Analogy.State.FAILED: gettext_lazy("Failed"),
    FALLBACK: gettext_lazy("Answered by the built-in fallback"),
}


@dataclass
class AnalogyStatus:
    position: int
    scenario_title: str
    state: str  # an Analogy.State, or FALLBACK
    label: str
    analogy_id: int | None = None
    reason: str = ""


@dataclass
class ParticipantRow:
    pseudonym: str
    step: str
    step_label: str
    position: int | None  # the scenario they are on
    statuses: list[AnalogyStatus] = field(default_factory=list)


# --- selectors ---------------------------------------------------------------------------------------------

def _status(analogy: Analogy | None, position: int, title: str) -> AnalogyStatus | None:
    if analogy is None:
        return None
    state = FALLBACK if analogy.state == Analogy.State.DONE and analogy.fallback_reason else analogy.state
    return AnalogyStatus(position=position, scenario_title=title, state=state,
                         label=str(STATUS_LABELS[state]), analogy_id=analogy.id,
                         reason=shown_reason(analogy.fallback_reason) if state == FALLBACK else "")


def monitor_rows(*, workshop: Workshop, scenarios: list[Scenario], responses: list[Response]
                 ) -> tuple[list[ParticipantRow], dict[str, int], int]:
    """Per participant (by pseudonym) their step and analogy statuses; the count at each step; and how many
    deleted their data (counted in the steps, not listed)."""
    participants = list(workshop.participants.only(  # 'workshop': the related manager sets it on each row
        "id", "workshop", "pseudonym", "step", "profile", "personality_answers", "deleted_at", "created",
    ).order_by("created", "id"))
    analogies: dict[int, dict[int, Analogy]] = {}
    for a in Analogy.objects.filter(participant__workshop=workshop, is_current=True).only(
            "id", "participant_id", "scenario_id", "state", "fallback_reason"):
        analogies.setdefault(a.participant_id, {})[a.scenario_id] = a
    answers: dict[int, dict[int, Response]] = {}
    for r in responses:
        answers.setdefault(r.participant_id, {})[r.scenario_id] = r
    counts = dict.fromkeys(STEPS, 0)
    rows, deleted = [], 0
    scenario_ids = [s.id for s in scenarios]
    titles = {s.id: s.localized(workshop.language).title for s in scenarios}  # as the workshop shows them
    for p in participants:
        mine = analogies.get(p.id, {})
        step, position = participant_step(participant=p, scenario_ids=scenario_ids,
                                          answers=answers.get(p.id, {}),
                                          analogy_states={sid: a.state for sid, a in mine.items()})
        counts[step] += 1
        if p.deleted_at:
            deleted += 1
            continue
        statuses = [_status(mine.get(s.id), i, titles[s.id]) for i, s in enumerate(scenarios, 1)]
        rows.append(ParticipantRow(pseudonym=p.pseudonym, step=step, step_label=str(STEPS[step]), position=position,
                                   statuses=[s for s in statuses if s is not None]))
    return rows, counts, deleted


def understanding_shift(*, scenarios: list[Scenario], room: RoomSnapshot, language: str = "") -> dict:
    """The room's mean identification accuracy (F1 against the scenario's feelings) before and after, as a
    chart, per scenario too when there are several. Only released figures (workshop/workshops/room.py): they
    appear once k people answered a scenario and change only when k more have."""
    if room.room is None:
        return {"room": None, "answered": room.answered, "chart": None, "groups": []}
    groups: list[tuple[str, RoomFigure]] = [(_("The whole room"), room.room)]
    if len(scenarios) > 1:
        groups += [(f"{position}. {scenario.localized(language).title}", room.figures[scenario.id])
                   for position, scenario in enumerate(scenarios, 1) if scenario.id in room.figures]
    labels, figures = zip(*groups, strict=True)
    chart = charts.before_after_bars(labels=list(labels), before=[g.accuracy_before for g in figures],
                                     after=[g.accuracy_after for g in figures], percent=True, range_max=1)
    return {"room": room.room, "answered": room.answered, "chart": chart, "chart_src": svg_data_uri(chart),
            "groups": groups}


def wall_reflections(*, workshop: Workshop, k: int, scenarios: list[Scenario] | None = None,
                     visible_only: bool = False, room: RoomSnapshot | None = None) -> list[Response]:
    """The wall as released (in shuffled batches of at least k people, workshop/workshops/room.py), each
    reflection with its scenario's ``position``; ``visible_only``: without those the facilitator hid. Never
    with a name: the rows loaded carry none."""
    room = room or room_snapshot(workshop=workshop, k=k, scenarios=scenarios)
    positions = {s.id: i for i, s in enumerate(scenarios or [], 1)}
    shown = [r for r in room.wall if not (visible_only and r.hidden_from_wall)]
    for r in shown:
        r.position = positions.get(r.scenario_id)
    return shown


def monitor_context(*, workshop: Workshop, k: int) -> dict:
    scenarios = workshop_scenarios(workshop=workshop)
    responses = list(Response.objects.filter(participant__workshop=workshop).only(
        "id", "participant_id", "scenario_id", "pre_labels", "post_labels", "pre_understanding",
        "post_understanding", "resonance"))
    rows, counts, deleted = monitor_rows(workshop=workshop, scenarios=scenarios, responses=responses)
    room = room_snapshot(workshop=workshop, k=k, scenarios=scenarios, responses=responses)
    return {
        "workshop": workshop, "k": k, "rows": rows, "deleted": deleted, "total": sum(counts.values()),
        "steps": [{"key": key, "label": STEPS[key], "count": counts[key]} for key in STEPS],
        "shift": understanding_shift(scenarios=scenarios, room=room, language=workshop.language),
        "wall": wall_reflections(workshop=workshop, k=k, scenarios=scenarios, room=room),
        "poll_seconds": POLL_SECONDS,
        "mood": room_mood_panel(workshop=workshop, k=k),  # the room mood and the check-in poll
    }


# --- views -------------------------------------------------------------------------------------------------

def _workshop(public_id: str) -> Workshop:
    return get_object_or_404(Workshop, public_id=public_id)


def _back(workshop: Workshop, anchor: str = "") -> HttpResponse:
    response = redirect("facilitator:monitor", public_id=workshop.public_id)
    response["Location"] += anchor
    return response


@member_required(*STAFF_ROLES)
def monitor(request: HttpRequest, public_id: str) -> HttpResponse:
    workshop = _workshop(public_id)
    context = monitor_context(workshop=workshop, k=request.membership.organization.anonymity_k)
    return render(request, "facilitator/monitor.html", context)


@member_required(*STAFF_ROLES)
def monitor_live(request: HttpRequest, public_id: str) -> HttpResponse:
    """The part of the monitor page that changes, polled by static/js/monitor.js."""
    workshop = _workshop(public_id)
    context = monitor_context(workshop=workshop, k=request.membership.organization.anonymity_k)
    response = render(request, "facilitator/monitor_live.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@member_required(*STAFF_ROLES)
def monitor_retry(request: HttpRequest, public_id: str) -> HttpResponse:
    workshop = _workshop(public_id)
    analogy = (Analogy.objects.filter(participant__workshop=workshop, is_current=True,
                                      pk=_int(request.POST.get("analogy"))).select_related("participant").first())
    if analogy is None:
        raise Http404("No such analogy")
    if analogy_retry(analogy=analogy, actor=request.user):
        messages.success(request, _("%(name)s's analogy is back in the queue.") % {"name": analogy.participant})
    else:
        messages.info(request, _("That analogy is no longer failed: nothing to retry."))
    return _back(workshop, "#people-h")


@require_POST
@member_required(*STAFF_ROLES)
def wall_update(request: HttpRequest, public_id: str) -> HttpResponse:
    """Reveal or hide the whole wall; hide or show one reflection."""
    workshop = _workshop(public_id)
    action = request.POST.get("action", "")
    if action in ("reveal", "conceal"):
        try:
            workshop_wall_set(workshop=workshop, revealed=action == "reveal", actor=request.user)
        except WorkshopStateError as exc:
            messages.error(request, str(exc))
    elif action in ("hide", "show"):
        response = (Response.objects.filter(participant__workshop=workshop, share_reflection=True,
                                            pk=_int(request.POST.get("response"))).first())
        if response is None:
            raise Http404("No such reflection")
        reflection_wall_set(response=response, hidden=action == "hide", actor=request.user)
    else:
        raise Http404("No such action")
    return _back(workshop, "#wall-h")


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
