from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from workshop.tenancy.models import Invitation, Membership
from workshop.tenancy.scope import unscoped


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_member_signs_in_and_out(client, org_a):
    response = sign_in(client, org_a.facilitator.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("facilitator:home")
    client.post(reverse("logout"))
    assert client.get(reverse("facilitator:home")).status_code == 302


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(client, org_a, settings):
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        assert sign_in(client, org_a.admin.username, "wrong password").status_code == 200
    response = sign_in(client, org_a.admin.username, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_lockout_expires(client, org_a, settings):
    from workshop.tenancy.models import LoginFailure

    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        sign_in(client, org_a.admin.username, "wrong password")
    LoginFailure.objects.update(time=timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    assert sign_in(client, org_a.admin.username, PASSWORD).status_code == 302


def test_an_admin_invites_a_member_who_joins_with_the_link(client, org_a):
    client.force_login(org_a.admin)
    client.post(reverse("facilitator:members"), {"email": "newbie@acme.example", "role": "facilitator"})
    assert len(mail.outbox) == 1 and "7 days" in mail.outbox[0].body
    with unscoped():
        invitation = Invitation.objects.get(email="newbie@acme.example")
    client.logout()
    response = client.post(reverse("invitation_accept", args=[invitation.token]),
                           {"username": "newbie", "password": "a long enough passphrase"})
    assert response.status_code == 302
    with unscoped():
        membership = Membership.objects.get(user__username="newbie")
    assert membership.organization_id == org_a.org.id and membership.role == "facilitator"
    again = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert again.status_code == 410


def test_an_invitation_expires_after_seven_days(client, org_a):
    with unscoped():
        invitation = Invitation.objects.create(organization=org_a.org, email="late@acme.example", role="analyst")
        assert invitation.expires - invitation.created > timedelta(days=6, hours=23)
        Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_only_admins_manage_members(client, org_a):
    client.force_login(org_a.facilitator)
    assert client.get(reverse("facilitator:members")).status_code == 404


def test_password_reset_sends_a_link_by_email(client, org_a):
    client.post(reverse("password_reset"), {"email": org_a.admin.email})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_staff_can_switch_the_console_to_korean(client, org_a):
    client.force_login(org_a.facilitator)
    response = client.post(reverse("set_language"), {"language": "ko", "next": reverse("facilitator:home")})
    assert response.status_code == 302
    page = client.get(reverse("facilitator:home")).content.decode()
    assert '<html lang="ko">' in page
