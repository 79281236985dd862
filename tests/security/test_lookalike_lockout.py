"""The login lockout cannot be reset through another account. Failures count per look-alike group of the name
typed (its skeleton), and a success clears only that exact account's own failures. The attack: an attacker who
owns a look-alike account (made before look-alikes were refused) signs in to it between guesses at a victim's
password, which used to clear the victim's count (16 wrong guesses, no lockout)."""

import secrets

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from workshop.tenancy.models import LoginFailure
from workshop.tenancy.scope import unscoped

LOCKED = "Too many failed sign-in attempts"
ATTACKER_PASSWORD = "the attacker's own passphrase"


def sign_in(username: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def legacy_account(name: str):
    """An account whose name was stored as typed, before names were normalized and look-alikes refused."""
    with unscoped():
        user = get_user_model().objects.create_user(f"legacy-{secrets.token_hex(4)}", "x@evil.example",
                                                    ATTACKER_PASSWORD)
        get_user_model().objects.filter(pk=user.pk).update(username=name)
    return user


@pytest.mark.parametrize("look_alike", ["Admin-acme", "\u0430dmin-acme"], ids=["capital", "cyrillic"])
def test_alternating_a_look_alike_login_with_guesses_still_locks_out_after_the_limit(settings, org_a, look_alike):
    legacy_account(look_alike)
    victim = org_a.admin.username
    guesses = 0
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS * 3):
        sign_in(look_alike, ATTACKER_PASSWORD, "10.1.1.1")
        guess = sign_in(victim, f"guess {guesses}", "10.1.1.2")
        if LOCKED in guess.content.decode():
            break
        guesses += 1
    assert guesses <= settings.LOGIN_LOCKOUT_ATTEMPTS

    refused = sign_in(victim, PASSWORD, "10.1.1.3")
    assert refused.status_code == 200 and LOCKED in refused.content.decode()


def test_wrong_guesses_in_any_spelling_of_a_name_count_together(settings, org_a):
    spellings = ["admin-acme", "ADMIN-acme", "\uff41dmin-acme", "\u0430dmin-acme", "Admin-Acme"]
    for i in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        sign_in(spellings[i % len(spellings)], "wrong", f"10.2.2.{i + 1}")
    assert LOCKED in sign_in("admin-acme", PASSWORD, "10.2.2.99").content.decode()


def test_a_success_clears_only_that_accounts_own_failures(settings, org_a):
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS - 1):
        sign_in(org_a.admin.username, "wrong", "10.3.3.1")
        sign_in(org_a.facilitator.username, "wrong", "10.3.3.1")
    assert sign_in(org_a.admin.username, PASSWORD, "10.3.3.1").status_code == 302

    assert not LoginFailure.objects.filter(username=org_a.admin.username).exists()
    assert LoginFailure.objects.filter(username=org_a.facilitator.username).count() == (
        settings.LOGIN_LOCKOUT_ATTEMPTS - 1)
    sign_in(org_a.facilitator.username, "wrong", "10.3.3.1")
    assert LOCKED in sign_in(org_a.facilitator.username, PASSWORD, "10.3.3.1").content.decode()
