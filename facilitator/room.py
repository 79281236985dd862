"""The room on the big screen, and the facilitator's hands on it: the projector page (join screen, the current
activity, the room's result, the wall), switching what it shows, and moving a presenter-paced room from one
activity to the next. The projector page polls itself (static/js/monitor.js) and follows."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilitator.links import join_url, short_url
from facilitator.monitor import understanding_shift, wall_reflections
from workshop.activities.flow import DONE, room_places, workshop_activities
from workshop.activities.kinds import ActivityKind, Pacing
from workshop.activities.registry import activity_for
from workshop.debrief import charts
from workshop.security import svg_data_uri
from workshop.tenancy.access import STAFF_ROLES, member_required
from workshop.workshops.activities import ActivityPlanError, workshop_move_to
from workshop.workshops.models import Workshop, WorkshopActivity
from workshop.workshops.projector import ProjectorMode, projector_mode_shown, room_activity, workshop_projector_set
from workshop.workshops.room import room_snapshot
from workshop.workshops.selectors import workshop_scenarios
from workshop.workshops.services import WorkshopStateError, qr_svg
from workshop.workshops.short_code import short_code_shown

# Where the controls send the facilitator back to (never a URL taken from the request).
BACK = {"projector": "facilitator:projector", "monitor": "facilitator:monitor", "workshop": "facilitator:workshop"}
LONG, LONGEST = 250, 600  # a reflection this long takes two, or all three, columns of the wall


def _workshop(public_id: str) -> Workshop:
    return get_object_or_404(Workshop, public_id=public_id)


def _back(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    return redirect(BACK.get(request.POST.get("back", ""), BACK["workshop"]), public_id=workshop.public_id)


@member_required(*STAFF_ROLES)
def projector(request: HttpRequest, public_id: str) -> HttpResponse:
    workshop = _workshop(public_id)
    k = request.membership.organization.anonymity_k
    mode = projector_mode_shown(workshop)
    activities = workshop_activities(workshop=workshop)
    participants = list(workshop.participants.filter(deleted_at__isnull=True).only(
        "id", "workshop", "step", "profile", "personality_answers"))
    context = {"workshop": workshop, "mode": mode, "modes": ProjectorMode, "joined": len(participants),
               "total": len(activities), "code": short_code_shown(workshop.short_code), "short_url": short_url(request),
               "join_url": join_url(request, workshop)}
    if mode == ProjectorMode.JOIN:
        context["qr"] = qr_svg(context["join_url"])
    elif mode == ProjectorMode.WALL:
        wall = wall_reflections(workshop=workshop, k=k, visible_only=True)
        for r in wall:
            r.size = "longest" if len(r.reflection) > LONGEST else "long" if len(r.reflection) > LONG else ""
        context["wall"] = wall
    else:
        places = room_places(workshop=workshop, participants=participants)
        current = room_activity(workshop=workshop, activities=activities, places=places)
        context["current"] = _activity_view(current, places) if current else None
        if mode == ProjectorMode.RESULT:
            presenter = workshop.pacing == Pacing.PRESENTER
            panels = _result_panels(workshop, [current] if presenter and current else activities, k=k)
            # Presenter pacing: the current activity's result, or why it is not there yet. Self-paced: every
            # result that is ready, a page each (or, while none is, why not).
            context["panels"] = panels if presenter else [p for p in panels if p["ready"]] or panels
            context["k"] = k
    response = render(request, "facilitator/projector.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _activity_view(activity: WorkshopActivity, places: dict) -> dict:
    declared = activity_for(activity.kind)
    here = [p for p in places.values() if p.position == activity.position and p.in_activity]
    finished = [p for p in places.values() if p.step == DONE or (p.position or 0) > activity.position]
    return {"activity": activity, "label": declared.label, "summary": declared.summary,
            "steps": [s.label for s in declared.steps], "in_it": len(here), "finished": len(finished),
            "text": activity.scenario.localized(get_language()) if activity.scenario else None}


def _result_panels(workshop: Workshop, activities: list[WorkshopActivity], *, k: int) -> list[dict]:
    """One panel per activity that has something the room may see: the before/after shift for the scenarios
    with analogy (once, however many there are), each other kind's room result through its own template."""
    panels, shift_shown = [], False
    for activity in activities:
        declared = activity_for(activity.kind)
        title = str(declared.label)
        if activity.scenario is not None:
            title = f"{title}: {activity.scenario.localized(get_language()).title}"
        if activity.kind == ActivityKind.ANALOGY:
            if shift_shown:
                continue
            shift_shown = True
            scenarios = workshop_scenarios(workshop=workshop)
            shift = understanding_shift(scenarios=scenarios, room=room_snapshot(workshop=workshop, k=k,
                                                                                scenarios=scenarios),
                                        language=get_language())
            if shift["chart"] is not None:
                shift["chart_src"] = _shift_chart(shift["groups"])
            panels.append({"activity": activity, "title": title, "shift": shift,
                           "ready": shift["chart"] is not None})
            continue
        result = declared.room_result(activity, k=k)
        template = _result_template(activity.kind)
        panels.append({"activity": activity, "title": title, "result": result, "template": template,
                       "ready": result is not None and template is not None})
    return panels


def _shift_chart(groups: list) -> str:
    """The monitor's before/after chart with labels short enough not to run into each other on one wide screen."""
    room = max(8, 90 // len(groups))
    labels = [label if len(label) <= room else label[:room - 1] + "…" for label, _figure in groups]
    chart = charts.before_after_bars(labels=labels, before=[g.accuracy_before for _label, g in groups],
                                     after=[g.accuracy_after for _label, g in groups], percent=True, range_max=1)
    return svg_data_uri(chart)


def _result_template(kind: str) -> str | None:
    """templates/facilitator/results/<kind>.html, when the kind has one; without it the projector shows nothing
    of that result rather than guess at its shape."""
    name = f"facilitator/results/{kind}.html"
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return None
    return name


@require_POST
@member_required(*STAFF_ROLES)
def projector_mode(request: HttpRequest, public_id: str) -> HttpResponse:
    workshop = _workshop(public_id)
    try:
        workshop_projector_set(workshop=workshop, mode=request.POST.get("mode", "")[:20], actor=request.user)
    except WorkshopStateError as refused:
        messages.error(request, str(refused))
    return _back(request, workshop)


@require_POST
@member_required(*STAFF_ROLES)
def room_move(request: HttpRequest, public_id: str) -> HttpResponse:
    """Presenter pacing: move the room to the next or previous activity, or to activity N."""
    workshop = _workshop(public_id)
    wanted = request.POST.get("position", "")[:10]
    position = {"next": workshop.current_position + 1, "previous": workshop.current_position - 1}.get(wanted)
    if position is None:
        position = int(wanted) if wanted.isascii() and wanted.isdigit() else 0
    try:
        workshop_move_to(workshop=workshop, position=position, actor=request.user)
    except ActivityPlanError as refused:
        messages.error(request, str(refused))
    else:
        if request.POST.get("back") != "projector":  # the big screen shows the move itself
            messages.success(request, _("Everyone can go on to activity %(n)d now. Phones follow within a few "
                                        "seconds.") % {"n": position})
    return _back(request, workshop)
