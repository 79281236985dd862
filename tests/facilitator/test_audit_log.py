"""The audit log page: the organization's events for its admins, newest first, paginated, by action."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from facilitator.audit import PER_PAGE
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped


def record(team, action: str, *, minutes_ago: int, actor=None, detail=None) -> AuditEvent:
    with unscoped():
        event = AuditEvent.objects.create(organization=team.org, actor=actor, action=action,
                                          object_type="Workshop", object_id="7", detail=detail or {})
        AuditEvent.objects.filter(pk=event.pk).update(time=timezone.now() - timedelta(minutes=minutes_ago))
    return event


def test_an_admin_sees_the_events_newest_first_with_who_what_and_detail(client, org_a):
    record(org_a, "scenario.export", minutes_ago=30, actor=org_a.facilitator, detail={"format": "yaml"})
    record(org_a, "data.purge", minutes_ago=5, detail={"participants": 3})
    client.force_login(org_a.admin)
    response = client.get(reverse("facilitator:audit"))
    assert response.status_code == 200
    assert [e.action for e in response.context["page"]] == ["data.purge", "scenario.export"]
    body = response.content.decode()
    assert body.index("Personal data purged") < body.index("Scenarios exported")
    assert "System" in body and "facilitator-acme" in body and "Participants: 3" in body and "Format: yaml" in body
    assert "Workshop 7" in body


def test_the_log_is_paginated(client, org_a):
    for i in range(PER_PAGE + 5):
        record(org_a, "packet.download", minutes_ago=i)
    client.force_login(org_a.admin)
    first = client.get(reverse("facilitator:audit"))
    second = client.get(reverse("facilitator:audit"), {"page": 2})
    assert len(first.context["page"]) == PER_PAGE and len(second.context["page"]) == 5
    assert "page=2" in first.content.decode()


def test_the_log_filters_by_action_and_keeps_the_filter_across_pages(client, org_a):
    for i in range(PER_PAGE + 1):
        record(org_a, "member.role_change", minutes_ago=i)
    record(org_a, "settings.change", minutes_ago=1)
    client.force_login(org_a.admin)
    response = client.get(reverse("facilitator:audit"), {"action": "member.role_change"})
    assert {e.action for e in response.context["page"]} == {"member.role_change"}
    assert "action=member.role_change&amp;page=2" in response.content.decode()
    everything = client.get(reverse("facilitator:audit"), {"action": "no.such.action"})
    assert response.context["page"].paginator.count == PER_PAGE + 1
    assert everything.context["page"].paginator.count == PER_PAGE + 2


def test_the_log_never_shows_another_organizations_events(client, org_a, org_b):
    record(org_a, "settings.change", minutes_ago=1, detail={"fields": ["acme-secret-field"]})
    client.force_login(org_b.admin)
    response = client.get(reverse("facilitator:audit"))
    assert response.context["page"].paginator.count == 0
    assert "acme-secret-field" not in response.content.decode()


def test_only_admins_see_the_audit_log(client, org_a):
    for who in ("facilitator", "analyst"):
        client.force_login(getattr(org_a, who))
        assert client.get(reverse("facilitator:audit")).status_code == 404
    client.logout()
    assert client.get(reverse("facilitator:audit")).status_code == 302
