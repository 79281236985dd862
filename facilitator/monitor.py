"""The live monitor: where everyone is, their analogies, the room's before/after shift, and the wall of
shared reflections. The page polls a fragment of itself; both read a fixed number of queries however many
people joined (rows are grouped in Python, never fetched per participant)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilitator.monitor_room import (
    PAGE_SIZE,
    ROOMS_KEPT,
    Shown,
    answers_version,
    monitor_steps,
    page_of,
    room_rows,
    shown_load,
    shown_save,
)
from workshop.activities.flow import workshop_activities
from workshop.activities.kinds import Pacing
from workshop.debrief import charts
from workshop.learning.room_mood import room_mood_panel
from workshop.participants.models import Analogy, Response
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
_snapshots: OrderedDict[tuple, tuple[dict, list[Response]]] = OrderedDict()
_snapshots_lock = threading.Lock()


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


def _room_view(*, workshop: Workshop, k: int, scenarios: list[Scenario], version: tuple) -> tuple[dict, list]:
    """The chart and the wall, computed again only when the answers changed (``version``): otherwise no batch
    can have become due, and this process's last build is what the room may see."""
    key = (workshop.public_id, k, version, workshop.language, tuple(s.id for s in scenarios))
    with _snapshots_lock:
        kept = _snapshots.get(key)
    if kept is None:
        room = room_snapshot(workshop=workshop, k=k, scenarios=scenarios)
        kept = (understanding_shift(scenarios=scenarios, room=room, language=workshop.language),
                wall_reflections(workshop=workshop, k=k, scenarios=scenarios, room=room))
        with _snapshots_lock:
            for old in [old for old in _snapshots if old[0] == workshop.public_id]:
                del _snapshots[old]
            _snapshots[key] = kept
            while len(_snapshots) > ROOMS_KEPT:
                _snapshots.popitem(last=False)
    return kept


def monitor_context(*, workshop: Workshop, k: int, page: int = 1, since: str = "") -> dict:
    """Everything the monitor shows. With ``since`` (the cursor of the screen's last refresh) ``send`` says
    which parts changed and ``changed_rows`` which rows of the page did, so only those are sent again."""
    scenarios = workshop_scenarios(workshop=workshop)
    activities = workshop_activities(workshop=workshop)
    places = monitor_steps(activities, presenter=workshop.pacing == Pacing.PRESENTER)
    room, fingerprints = room_rows(workshop=workshop, scenarios=scenarios, activities=activities)
    counts, deleted = room.counts(places)
    progress = room.progress(activities)
    mood = room_mood_panel(workshop=workshop, k=k)
    version = answers_version(workshop=workshop, fingerprints=fingerprints)
    shift, wall = _room_view(workshop=workshop, k=k, scenarios=scenarios, version=version)
    listed = room.listed()
    rows, page, pages = page_of(listed, page)
    by_key = {row.key: fingerprints[pid] for pid, row in room.rows.items()}
    parts = {
        "steps": (tuple(counts.items()), deleted, tuple((p["in_it"], p["finished"]) for p in progress)),
        "mood": mood,
        "shift": (shift["room"], tuple(shift["groups"]), shift["answered"]),
        "wall": (tuple((r.id, r.hidden_from_wall) for r in wall), workshop.wall_revealed, workshop.show_reflections),
        "people": (page, pages, len(listed), tuple(row.key for row in rows)),
    }
    shown = shown_load(since, workshop=workshop, page=page)
    send = {name: shown is None or shown.parts.get(name) != version for name, version in parts.items()}
    changed_rows = [] if shown is None or send["people"] else [
        row for row in rows if shown.rows.get(row.key) != by_key[row.key]]
    cursor = shown_save(Shown(workshop_id=workshop.pk, page=page, parts=parts,
                              rows={row.key: by_key[row.key] for row in rows}))
    return {
        "workshop": workshop, "k": k, "rows": rows, "deleted": deleted, "total": sum(counts.values()),
        "steps": [{"key": key, "label": label, "count": counts[key]} for key, label in places],
        "progress": progress if len(activities) > 1 else [],
        "shift": shift, "wall": wall, "mood": mood, "poll_seconds": POLL_SECONDS,
        "page": page, "pages": pages, "listed": len(listed), "first": (page - 1) * PAGE_SIZE + 1,
        "last": (page - 1) * PAGE_SIZE + len(rows),
        "send": send, "patch": shown is not None, "changed_rows": changed_rows, "cursor": cursor,
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
    context = monitor_context(workshop=workshop, k=request.membership.organization.anonymity_k,
                              page=_int(request.GET.get("page")) or 1)
    return render(request, "facilitator/monitor.html", context)


@member_required(*STAFF_ROLES)
def monitor_live(request: HttpRequest, public_id: str) -> HttpResponse:
    """The part of the monitor page that changes, polled by static/js/monitor.js: the whole of it, or with
    ``since`` (the X-Monitor-Cursor of the last answer) only the parts and rows that changed since
    (X-Monitor-Patch: 1)."""
    workshop = _workshop(public_id)
    context = monitor_context(workshop=workshop, k=request.membership.organization.anonymity_k,
                              page=_int(request.GET.get("page")) or 1, since=request.GET.get("since", ""))
    response = render(request, "facilitator/monitor_live.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Monitor-Cursor"] = context["cursor"]
    response["X-Monitor-Patch"] = "1" if context["patch"] else "0"
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
