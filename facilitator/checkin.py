"""The monitor's check-in poll: the facilitator opens "How is this landing?" on everyone's phone, and closes it.
The services (workshop/learning/checkin.py) hold the rules and write the audit rows."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from workshop.learning.checkin import checkin_close, checkin_open
from workshop.tenancy.access import STAFF_ROLES, member_required
from workshop.workshops.models import Workshop
from workshop.workshops.services import WorkshopStateError


@require_POST
@member_required(*STAFF_ROLES)
def checkin_update(request: HttpRequest, public_id: str) -> HttpResponse:
    workshop = get_object_or_404(Workshop, public_id=public_id)
    action = request.POST.get("action", "")
    if action not in ("open", "close"):
        raise Http404("No such action")
    try:
        if action == "open":
            checkin_open(workshop=workshop, actor=request.user)
        else:
            checkin_close(workshop=workshop, actor=request.user)
    except WorkshopStateError as exc:
        messages.error(request, str(exc))
    response = redirect("facilitator:monitor", public_id=workshop.public_id)
    response["Location"] += "#mood-h"
    return response
