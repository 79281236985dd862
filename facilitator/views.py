"""Facilitator pages: dashboard, workshops (create, open, close, projector). The library is in scenarios.py."""

import io

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facilitator.forms import WorkshopForm
from participants.go import CodeForm
from workshop.debrief import services as debrief
from workshop.debrief.models import DebriefPacket
from workshop.debrief.selectors import workshop_packets
from workshop.debrief.services import packet_filename
from workshop.participants.models import Analogy, Participant
from workshop.tenancy.access import STAFF_ROLES, member_required
from workshop.tenancy.auth import LockoutAuthenticationForm
from workshop.workshops.models import Workshop
from workshop.workshops.selectors import workshop_scenarios
from workshop.workshops.services import (
    WorkshopStateError,
    qr_svg,
    workshop_close,
    workshop_create,
    workshop_open,
)


def root(request: HttpRequest) -> HttpResponse:
    """The front door: the console for someone signed in; else a box for the code on the projector (most
    people who type the bare address are joining a workshop) and the facilitators' sign-in."""
    if request.user.is_authenticated:
        return redirect("facilitator:home")
    return render(request, "front.html", {"code_form": CodeForm(), "login_form": LockoutAuthenticationForm(request),
                                          "next": reverse("facilitator:home")})


@member_required()
def home(request: HttpRequest) -> HttpResponse:
    workshops = []
    if request.membership.role in STAFF_ROLES:
        workshops = Workshop.objects.annotate(joined=Count("participants")).order_by("-created")[:100]
    return render(request, "facilitator/home.html", {"workshops": workshops})


@member_required(*STAFF_ROLES)
def workshop_new(request: HttpRequest) -> HttpResponse:
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workshop = workshop_create(
            organization_id=request.membership.organization_id, owner=request.user, title=data["title"],
            scenarios=form.ordered_scenarios(), capacity=data["capacity"],
            generic_share=data["generic_share"] / 100, language=data["language"], engine=data["engine"],
            instrument=data["instrument"], show_reflections=data["show_reflections"],
        )
        messages.success(request, _("Workshop created. Open it when the room is ready."))
        return redirect("facilitator:workshop", public_id=workshop.public_id)
    return render(request, "facilitator/workshop_new.html", {"form": form})


def _workshop(public_id: str) -> Workshop:
    return get_object_or_404(Workshop, public_id=public_id)


def _join_url(request: HttpRequest, workshop: Workshop) -> str:
    return request.build_absolute_uri(reverse("participants:join", args=[workshop.join_token]))


@member_required(*STAFF_ROLES)
def workshop_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    workshop = _workshop(public_id)
    participants = (
        workshop.participants.annotate(
            analogies_done=Count("analogies", filter=Q(analogies__is_current=True, analogies__state="done")),
            analogies_failed=Count("analogies", filter=Q(analogies__is_current=True, analogies__state="failed")),
            analogies_total=Count("analogies", filter=Q(analogies__is_current=True)),
        ).order_by("created")
    )
    join_url = _join_url(request, workshop)
    return render(request, "facilitator/workshop_detail.html", {
        "workshop": workshop, "participants": participants, "join_url": join_url,
        "qr": qr_svg(join_url),
        "scenarios": [s.localized(workshop.language) for s in workshop_scenarios(workshop=workshop)],
        "step_counts": {
            "profile": sum(p.step == Participant.Step.PROFILE for p in participants),
            "scenarios": sum(p.step != Participant.Step.PROFILE for p in participants),
        },
        "pending": Analogy.objects.filter(participant__workshop=workshop, is_current=True,
                                          state__in=["pending", "running"]).count(),
        "packets": workshop_packets(workshop=workshop),
    })


@require_POST
@member_required(*STAFF_ROLES)
def workshop_state(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    workshop = _workshop(public_id)
    try:
        if action == "open":
            workshop_open(workshop=workshop, actor=request.user)
            messages.success(request, _("The workshop is open: people can join now."))
        elif action == "close":
            workshop_close(workshop=workshop, actor=request.user)
            messages.success(request, _("The workshop is closed: no one else can join."))
    except WorkshopStateError as exc:
        messages.error(request, str(exc))
    return redirect("facilitator:workshop", public_id=workshop.public_id)


@member_required()
def packet_download(request: HttpRequest, public_id: str) -> FileResponse:
    """The facilitator packet (the room's anonymous aggregates), for every role. A participant's packet is
    theirs alone: staff see its state on the workshop page, never its content, so it is not found here."""
    packet = get_object_or_404(DebriefPacket.objects.select_related("workshop"), public_id=public_id)
    try:
        pdf = debrief.packet_download(packet=packet, actor=request.user)
    except debrief.PacketUnavailable:
        raise Http404("No such packet") from None
    return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=packet_filename(packet),
                        content_type="application/pdf")
