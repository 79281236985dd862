"""The learning loop's page, for organization admins: what it has learned, and pause, resume, reset, sharing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workshop.learning.selectors import loop_report
from workshop.learning.services import loop_pause, loop_reset, loop_sharing_set
from workshop.tenancy.access import member_required
from workshop.tenancy.models import Organization, Role


@member_required(Role.ADMIN)
def loop_page(request: HttpRequest) -> HttpResponse:
    organization = Organization.objects.get(pk=request.membership.organization_id)
    return render(request, "facilitator/learning.html", {"report": loop_report(organization=organization),
                                                          "organization": organization})


@require_POST
@member_required(Role.ADMIN)
def loop_change(request: HttpRequest) -> HttpResponse:
    organization_id, action = request.membership.organization_id, request.POST.get("action", "")
    if action in ("pause", "resume"):
        loop_pause(organization_id=organization_id, actor=request.user, paused=action == "pause")
        messages.success(request, _("The loop is paused: every strategy gets an equal chance until you resume it.")
                         if action == "pause" else _("The loop is running again."))
    elif action in ("share", "keep_own"):
        loop_sharing_set(organization_id=organization_id, actor=request.user, share=action == "share")
        messages.success(request, _("The loop learns from other organizations' sums and lends them yours.")
                         if action == "share" else _("The loop now learns only from this organization."))
    elif action == "reset" and request.POST.get("confirm"):
        loop_reset(organization_id=organization_id, actor=request.user)
        messages.success(request, _("The loop was reset: it starts learning again from now."))
    elif action == "reset":
        messages.error(request, _("Tick the box to confirm the reset."))
    return redirect("facilitator:learning")
