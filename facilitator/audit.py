"""The organization's audit log for admins: newest first, paginated, filtered by action."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from workshop.tenancy.access import member_required
from workshop.tenancy.models import AuditEvent, Role

PER_PAGE = 50

# What each recorded action means, in words. Actions not listed here are shown by their code.
ACTION_LABELS = {
    "data.purge": _lazy("Personal data purged (retention)"),
    "member.invite": _lazy("Member invited"),
    "member.join": _lazy("Invitation accepted"),
    "member.remove": _lazy("Member removed"),
    "member.role_change": _lazy("Role changed"),
    "packet.download": _lazy("Packet downloaded"),
    "scenario.create": _lazy("Scenario written"),
    "scenario.duplicate": _lazy("Scenario duplicated"),
    "scenario.edit": _lazy("Scenario edited"),
    "scenario.export": _lazy("Scenarios exported"),
    "scenario.import": _lazy("Scenarios imported"),
    "settings.change": _lazy("Settings changed"),
}


@member_required(Role.ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    actions = sorted(set(AuditEvent.objects.order_by().values_list("action", flat=True).distinct()))
    action = request.GET.get("action", "")
    action = action if action in actions else ""
    events = AuditEvent.objects.select_related("actor").order_by("-time", "-pk")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    for event in page:
        event.label = ACTION_LABELS.get(event.action, event.action)
        event.detail_pairs = sorted(event.detail.items()) if isinstance(event.detail, dict) else []
    return render(request, "facilitator/audit.html", {
        "page": page, "action": action, "filter_query": urlencode({"action": action}) if action else "",
        "actions": [(a, ACTION_LABELS.get(a, a)) for a in actions],
    })
