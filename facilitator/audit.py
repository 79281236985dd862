"""The organization's audit log for admins: newest first, paginated, filtered by action."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from facilitator.organization import OrganizationSettingsForm
from workshop.tenancy.access import member_required
from workshop.tenancy.audit import audit_action_label, audit_detail_pairs, audit_object_label
from workshop.tenancy.models import AuditEvent, Role

PER_PAGE = 50


@member_required(Role.ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    actions = sorted(set(AuditEvent.objects.order_by().values_list("action", flat=True).distinct()))
    action = request.GET.get("action", "")
    action = action if action in actions else ""
    events = AuditEvent.objects.select_related("actor").order_by("-time", "-pk")
    if action:
        events = events.filter(action=action)
    fields = {name: field.label for name, field in OrganizationSettingsForm.base_fields.items()}
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    for event in page:
        event.label = audit_action_label(event.action)
        event.object_label = audit_object_label(event.object_type)
        event.detail_pairs = audit_detail_pairs(event.detail, field_labels=fields)
    return render(request, "facilitator/audit.html", {
        "page": page, "action": action, "filter_query": urlencode({"action": action}) if action else "",
        "actions": [(a, audit_action_label(a)) for a in actions],
    })
