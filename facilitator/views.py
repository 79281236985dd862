"""Facilitator pages: the front door, the dashboard, the facilitator packet. A workshop's own pages are in
workshops.py, the projector in room.py, the library in scenarios.py."""

import io

from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from participants.go import CodeForm
from workshop.debrief import services as debrief
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_filename
from workshop.tenancy.access import STAFF_ROLES, member_required
from workshop.tenancy.auth import LockoutAuthenticationForm
from workshop.workshops.models import Workshop


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
