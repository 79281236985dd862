"""The organization's audit log for admins: newest first, paginated, filtered by action."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from workshop.tenancy.access import member_required
from workshop.tenancy.models import AuditEvent, Role

PER_PAGE = 50

# What each recorded action means, in words. Actions not listed here are shown by their code.
ACTION_LABELS = {
    "analogy.retry": gettext_lazy("Analogy retried"),
    "api_token.create": gettext_lazy("API token made"),
    "api_token.revoke": gettext_lazy("API token revoked"),
    "data.purge": gettext_lazy("Personal data purged (retention)"),
    "member.invite": gettext_lazy("Member invited"),
    "member.invite_revoke": gettext_lazy("Invitation revoked"),
    "member.join": gettext_lazy("Invitation accepted"),
    "member.remove": gettext_lazy("Member removed"),
    "member.role_change": gettext_lazy("Role changed"),
    "packet.download": gettext_lazy("Packet downloaded"),
    "participant.delete_data": gettext_lazy("A participant deleted their data"),
    "report.export": gettext_lazy("Report downloaded"),
    "scenario.create": gettext_lazy("Scenario written"),
    "scenario.duplicate": gettext_lazy("Scenario duplicated"),
    "scenario.edit": gettext_lazy("Scenario edited"),
    "scenario.export": gettext_lazy("Scenarios exported"),
    "scenario.import": gettext_lazy("Scenarios imported"),
    "settings.change": gettext_lazy("Settings changed"),
    "workshop.close": gettext_lazy("Workshop closed"),
    "workshop.create": gettext_lazy("Workshop created"),
    "workshop.join_link_rotate": gettext_lazy("Join link replaced"),
    "workshop.open": gettext_lazy("Workshop opened"),
    "workshop.update": gettext_lazy("Workshop changed"),
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
