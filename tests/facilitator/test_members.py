"""Admins change members' roles and remove members, after a confirmation step; both are audited."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD
from workshop.tenancy.models import AuditEvent, Membership
from workshop.tenancy.scope import unscoped


def membership(team, who: str) -> Membership:
    with unscoped():
        return Membership.objects.get(organization=team.org, user=getattr(team, who))


def audit(team, action: str) -> list[AuditEvent]:
    with unscoped():
        return list(AuditEvent.objects.filter(organization=team.org, action=action))


def test_changing_a_role_asks_first_then_changes_it_and_audits(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("facilitator:member_role", args=[membership(org_a, "facilitator").pk])
    page = client.get(url, {"role": "analyst"})
    assert page.status_code == 200 and "Change the role of facilitator-acme" in page.content.decode()
    assert membership(org_a, "facilitator").role == "facilitator"
    response = client.post(url, {"role": "analyst"})
    assert response["Location"] == reverse("facilitator:members")
    assert membership(org_a, "facilitator").role == "analyst"
    [event] = audit(org_a, "member.role_change")
    assert event.actor == org_a.admin
    assert event.detail == {"user": "facilitator-acme", "from": "facilitator", "to": "analyst"}


def test_an_unknown_role_is_refused_with_a_message(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("facilitator:member_role", args=[membership(org_a, "analyst").pk])
    response = client.post(url, {"role": "owner"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert membership(org_a, "analyst").role == "analyst" and audit(org_a, "member.role_change") == []


def test_removing_a_member_asks_first_then_removes_and_audits(client, org_a):
    client.force_login(org_a.admin)
    target = membership(org_a, "analyst")
    url = reverse("facilitator:member_remove", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Remove analyst-acme?" in page.content.decode()
    with unscoped():
        assert Membership.objects.filter(pk=target.pk).exists()
    client.post(url)
    with unscoped():
        assert not Membership.objects.filter(pk=target.pk).exists()
    [event] = audit(org_a, "member.remove")
    assert (event.actor, event.object_id) == (org_a.admin, str(target.pk))
    assert event.detail == {"user": "analyst-acme", "role": "analyst"}
    client.force_login(org_a.analyst)
    assert client.get(reverse("facilitator:home")).status_code == 404


def test_the_last_admin_can_neither_step_down_nor_leave(client, org_a):
    client.force_login(org_a.admin)
    mine = membership(org_a, "admin")
    response = client.post(reverse("facilitator:member_role", args=[mine.pk]), {"role": "facilitator"}, follow=True)
    assert "only admin of this organization" in response.content.decode()
    response = client.post(reverse("facilitator:member_remove", args=[mine.pk]), follow=True)
    assert "only admin of this organization" in response.content.decode()
    assert membership(org_a, "admin").role == "admin"
    assert audit(org_a, "member.role_change") == [] and audit(org_a, "member.remove") == []


def test_an_admin_may_leave_when_another_admin_remains(client, org_a):
    with unscoped():
        second = get_user_model().objects.create_user("second-admin", "second@acme.example", PASSWORD)
        Membership.objects.create(organization=org_a.org, user=second, role="admin")
    client.force_login(org_a.admin)
    response = client.post(reverse("facilitator:member_remove", args=[membership(org_a, "admin").pk]))
    assert response["Location"] == reverse("login")
    with unscoped():
        assert not Membership.objects.filter(organization=org_a.org, user=org_a.admin).exists()
    assert "_auth_user_id" not in client.session


def test_only_admins_manage_members(client, org_a):
    target = membership(org_a, "analyst")
    for who in ("facilitator", "analyst"):
        client.force_login(getattr(org_a, who))
        assert client.get(reverse("facilitator:member_role", args=[target.pk])).status_code == 404
        assert client.post(reverse("facilitator:member_remove", args=[target.pk])).status_code == 404
    with unscoped():
        assert Membership.objects.filter(pk=target.pk).exists()


def test_another_organizations_admin_cannot_touch_our_members(client, org_a, org_b):
    target = membership(org_a, "facilitator")
    client.force_login(org_b.admin)
    assert client.get(reverse("facilitator:member_remove", args=[target.pk])).status_code == 404
    assert client.post(reverse("facilitator:member_remove", args=[target.pk])).status_code == 404
    assert client.post(reverse("facilitator:member_role", args=[target.pk]), {"role": "admin"}).status_code == 404
    assert membership(org_a, "facilitator").role == "facilitator"
