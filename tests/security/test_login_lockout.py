"""Login lockout. Already proven in tests/tenancy/test_auth.py: repeated failures for one username lock it even
for the right password, and the lockout expires. Here: the per-address lockout (an office shares an address,
so it allows four times as many), that a forged X-Forwarded-For does not escape it, and that behind a trusted
proxy one person's failures do not lock out a colleague behind the same proxy."""

import secrets

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from workshop.tenancy.models import LoginFailure

LOCKED = "Too many failed sign-in attempts"


def fresh_address() -> str:
    return "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))


def sign_in(username, password, **environ):
    return Client(**environ).post(reverse("login"), {"username": username, "password": password})


def spray(settings, address: str, **environ) -> None:
    """Failures for many different usernames, as a password-spraying script sends them."""
    for i in range(settings.LOGIN_LOCKOUT_ATTEMPTS * 4):
        assert sign_in(f"nobody-{i}", "guess", REMOTE_ADDR=address, **environ).status_code == 200


def test_an_address_that_sprays_many_usernames_is_locked_out(settings, org_a):
    attacker = fresh_address()
    spray(settings, attacker)

    refused = sign_in(org_a.admin.username, PASSWORD, REMOTE_ADDR=attacker)

    assert refused.status_code == 200 and LOCKED in refused.content.decode()
    assert sign_in(org_a.admin.username, PASSWORD, REMOTE_ADDR=fresh_address()).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lockout(settings, org_a):
    attacker = fresh_address()
    for i in range(settings.LOGIN_LOCKOUT_ATTEMPTS * 4):
        sign_in(f"nobody-{i}", "guess", REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=fresh_address())
    refused = sign_in(org_a.admin.username, PASSWORD, REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=fresh_address())
    assert LOCKED in refused.content.decode()


def test_behind_a_trusted_proxy_one_persons_failures_do_not_lock_out_a_colleague(settings, org_a):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy, attacker, colleague = fresh_address(), fresh_address(), fresh_address()
    spray(settings, proxy, HTTP_X_FORWARDED_FOR=attacker)

    assert LOCKED in sign_in(org_a.admin.username, PASSWORD, REMOTE_ADDR=proxy,
                             HTTP_X_FORWARDED_FOR=attacker).content.decode()
    assert sign_in(org_a.admin.username, PASSWORD, REMOTE_ADDR=proxy,
                   HTTP_X_FORWARDED_FOR=colleague).status_code == 302
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {attacker}


def test_a_forwarded_for_value_that_is_not_an_address_is_ignored_not_a_crash(settings, org_a):
    settings.TRUSTED_PROXY_COUNT = 1
    direct = fresh_address()
    response = sign_in("nobody", "guess", REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR="<script>, not-an-ip")
    assert response.status_code == 200
    assert list(LoginFailure.objects.values_list("address", flat=True)) == [direct]
