"""A workshop on the console: composing it (its activities in order, pacing, the check-in), its page (join link and
code, the room, the packets, who joined), raising its capacity, opening it, and closing it after a confirmation
that says who is still busy."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilitator.composer import ActivityComposer
from facilitator.forms import WorkshopForm, WorkshopSettingsForm
from facilitator.links import join_url, short_url
from workshop.activities.flow import DONE, JOINED, PROFILE, WAITING, Place, room_places, workshop_activities
from workshop.activities.registry import activity_for
from workshop.debrief.selectors import workshop_packets
from workshop.participants.models import Analogy
from workshop.tenancy.access import STAFF_ROLES, member_required
from workshop.workshops.activities import (
    ActivityPlanError,
    default_plan,
    plan_scenarios,
    workshop_activities_set,
    workshop_plan,
)
from workshop.workshops.models import Workshop
from workshop.workshops.services import (
    WorkshopStateError,
    qr_svg,
    workshop_close,
    workshop_create,
    workshop_open,
    workshop_update,
)
from workshop.workshops.short_code import short_code_shown

PLACES = {JOINED: gettext_lazy("Joined"), PROFILE: gettext_lazy("Profile"),
          WAITING: gettext_lazy("Waiting for the room"), DONE: gettext_lazy("Finished")}


def _workshop(public_id: str) -> Workshop:
    return get_object_or_404(Workshop, public_id=public_id)


# --- composing a new workshop -----------------------------------------------------------------------------

@member_required(*STAFF_ROLES)
def workshop_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _new_page(request, WorkshopForm(), ActivityComposer())
    composer = ActivityComposer(request.POST)
    edit = request.POST.get("edit", "")[:20]
    if edit:  # a button of the composer: show the form again as it was, with the rows changed
        form = WorkshopForm.carried(request.POST)
        composer.apply(edit, ticked=form.ticked(request.POST))
        return _new_page(request, form, composer)
    form = WorkshopForm(request.POST)
    plan = _plan(form, composer, ticked=form.ticked(request.POST))
    if not form.is_valid() or plan is None:
        return _new_page(request, form, composer)
    data = form.cleaned_data
    try:
        workshop = workshop_create(
            organization_id=request.membership.organization_id, owner=request.user, title=data["title"],
            scenarios=plan_scenarios(plan), activities=plan, capacity=data["capacity"], pacing=data["pacing"],
            followup_days=data["followup_days"], generic_share=data["generic_share"] / 100,
            language=data["language"], engine=data["engine"], instrument=data["instrument"],
            show_reflections=data["show_reflections"],
        )
    except WorkshopStateError as refused:
        composer.error = str(refused)
        return _new_page(request, form, composer)
    messages.success(request, _("Workshop created. Open it when the room is ready."))
    return redirect("facilitator:workshop", public_id=workshop.public_id)


def _plan(form: WorkshopForm, composer: ActivityComposer, *, ticked: list):
    """The workshop's activities: the rows composed, or one scenario with analogy per ticked scenario. None (with
    the message on the composer) when they cannot run."""
    if not composer.rows:
        if not ticked:
            composer.error = _("Tick at least one scenario, or compose the activities below.")
            return None
        return default_plan(ticked)
    try:
        plan = composer.plan()
    except ActivityPlanError as refused:
        composer.error = str(refused)
        return None
    used = {item.scenario.id for item in plan if item.scenario is not None}
    left_out = [s for s in ticked if s.id not in used]
    if left_out:
        composer.error = _("“%(title)s” is ticked, but no activity below is about it: add one for it, or untick it.") \
            % {"title": left_out[0].localized(get_language()).title}
        return None
    return plan


def _new_page(request: HttpRequest, form: WorkshopForm, composer: ActivityComposer) -> HttpResponse:
    return render(request, "facilitator/workshop_new.html", {"form": form, "composer": composer})


# --- the workshop's page ------------------------------------------------------------------------------------

@member_required(*STAFF_ROLES)
def workshop_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail(request, _workshop(public_id))


def _detail(request: HttpRequest, workshop: Workshop, *, composer: ActivityComposer | None = None,
            settings_form: WorkshopSettingsForm | None = None) -> HttpResponse:
    participants = list(workshop.participants.filter(deleted_at__isnull=True).annotate(
        analogies_done=Count("analogies", filter=Q(analogies__is_current=True, analogies__state="done")),
        analogies_failed=Count("analogies", filter=Q(analogies__is_current=True, analogies__state="failed")),
        analogies_total=Count("analogies", filter=Q(analogies__is_current=True)),
    ).order_by("created"))
    activities = workshop_activities(workshop=workshop)
    places = room_places(workshop=workshop, participants=participants)
    labels = {a.position: activity_for(a.kind) for a in activities}
    for p in participants:
        p.place_label = _place_label(places[p.id], labels)
    draft = workshop.state == Workshop.State.DRAFT
    if composer is None and draft:
        plan = workshop_plan(workshop=workshop)
        composer = ActivityComposer(plan=plan, extra_scenarios=plan_scenarios(plan))
    if composer is not None:
        composer.language = workshop.language
    link = join_url(request, workshop)
    response = render(request, "facilitator/workshop_detail.html", {
        "workshop": workshop, "participants": participants, "join_url": link, "qr": qr_svg(link),
        "code": short_code_shown(workshop.short_code), "short_url": short_url(request),
        "activities": [(a, labels[a.position], a.scenario.localized(workshop.language) if a.scenario else None)
                       for a in activities],
        "counts": {"profile": sum(places[p.id].step in (JOINED, PROFILE) for p in participants),
                   "activities": sum(places[p.id].step not in (JOINED, PROFILE, DONE) for p in participants),
                   "done": sum(places[p.id].step == DONE for p in participants)},
        "pending": Analogy.objects.filter(participant__workshop=workshop, is_current=True,
                                          state__in=["pending", "running"]).count(),
        "packets": workshop_packets(workshop=workshop),
        "composer": composer,
        "settings_form": settings_form or WorkshopSettingsForm(draft=draft, initial={
            "capacity": workshop.capacity, "pacing": workshop.pacing, "followup_days": workshop.followup_days}),
    })
    return response


def _place_label(place: Place, labels: dict) -> str:
    if place.step in PLACES and not (place.step == WAITING and place.position):
        return str(PLACES[place.step])
    if place.step == WAITING:
        return _("Waiting for the room (activity %(n)d next)") % {"n": place.position}
    declared = labels[place.position]
    return f"{place.position}. {declared.label}: {declared.step_label(place.step)}"


@require_POST
@member_required(*STAFF_ROLES)
def workshop_activities_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """The composer on a draft's page: edit the rows, then save them."""
    workshop = _workshop(public_id)
    composer = ActivityComposer(request.POST, extra_scenarios=plan_scenarios(workshop_plan(workshop=workshop)))
    edit = request.POST.get("edit", "")[:20]
    if edit:
        composer.apply(edit, ticked=[])
        return _detail(request, workshop, composer=composer)
    try:
        workshop_activities_set(workshop=workshop, plan=composer.plan(), actor=request.user)
    except ActivityPlanError as refused:
        composer.error = str(refused)
        return _detail(request, workshop, composer=composer)
    messages.success(request, _("The activities are saved."))
    return redirect("facilitator:workshop", public_id=workshop.public_id)


@require_POST
@member_required(*STAFF_ROLES)
def workshop_settings(request: HttpRequest, public_id: str) -> HttpResponse:
    """Capacity at any time (it can be raised while people join), pacing and the check-in while a draft."""
    workshop = _workshop(public_id)
    form = WorkshopSettingsForm(request.POST, draft=workshop.state == Workshop.State.DRAFT)
    if not form.is_valid():
        return _detail(request, workshop, settings_form=form)
    fields = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    try:
        workshop_update(workshop=workshop, actor=request.user, **fields)
    except WorkshopStateError as refused:
        form.add_error(None, str(refused))
        return _detail(request, workshop, settings_form=form)
    messages.success(request, _("Saved."))
    return redirect("facilitator:workshop", public_id=workshop.public_id)


# --- opening and closing --------------------------------------------------------------------------------

@require_POST
@member_required(*STAFF_ROLES)
def workshop_state(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    workshop = _workshop(public_id)
    if action != "open":
        return redirect("facilitator:workshop", public_id=workshop.public_id)
    try:
        workshop_open(workshop=workshop, actor=request.user)
    except WorkshopStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The workshop is open: people can join now."))
    return redirect("facilitator:workshop", public_id=workshop.public_id)


@member_required(*STAFF_ROLES)
def workshop_close_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET asks first, saying how many people are still busy; POST (the confirmation) closes."""
    workshop = _workshop(public_id)
    if request.method != "POST":
        participants = list(workshop.participants.filter(deleted_at__isnull=True).only(
            "id", "workshop", "step", "profile", "personality_answers"))
        places = room_places(workshop=workshop, participants=participants)
        return render(request, "facilitator/workshop_close.html", {
            "workshop": workshop, "total": len(participants),
            "busy": sum(place.step != DONE for place in places.values())})
    try:
        workshop_close(workshop=workshop, actor=request.user)
    except WorkshopStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The workshop is closed: no one else can join."))
    return redirect("facilitator:workshop", public_id=workshop.public_id)
