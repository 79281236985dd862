"""Every route refuses a POST without the CSRF token, whoever sends it. The routes come from the URLconf, so
a new form whose view is csrf_exempt (or that bypasses the middleware) fails this test."""

import re

from django.test import Client
from django.urls import reverse

from tests.tenancy.test_isolation import BEARER, MEMBER, PARTICIPANT, PUBLIC, all_routes, url_for
from workshop.participants.models import Participant
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped

API_PREFIX = "/api/"  # token-authenticated, no cookies: the API engineer's tests cover it


def state(world) -> tuple:
    with unscoped():
        world["workshop"].refresh_from_db()
        return world["workshop"].state, Participant.objects.count(), AuditEvent.objects.count()


def test_no_route_accepts_a_post_without_the_csrf_token(world, org_a):
    before = state(world)
    checked, api = [], []
    for who, group in (("anonymous", PUBLIC | BEARER), ("admin", MEMBER), ("participant", PARTICIPANT)):
        browser = Client(enforce_csrf_checks=True)
        if who == "admin":
            browser.force_login(org_a.admin)
        elif who == "participant":
            browser.cookies["ewt_participant"] = world["participant_token"]
        for name, params in all_routes():
            if name not in group:
                continue
            url = url_for(name, params, world)
            if url.startswith(API_PREFIX):
                api.append(name)
                continue
            response = browser.post(url, {"pseudonym": "Mallory", "consent": "on", "state": "closed"})
            assert response.status_code == 403, f"{name} ({url}) answered {response.status_code} without a token"
            assert b"CSRF" in response.content
            checked.append(name)
    assert state(world) == before, "a refused POST changed something"
    assert {"participants:join", "participants:analogy_another", "facilitator:workshop_state",
            "facilitator:organization", "login", "set_language"} <= set(checked)
    classified = {n for n, _ in all_routes() if n in PUBLIC | BEARER | MEMBER | PARTICIPANT}
    assert set(checked) | set(api) == classified


def test_the_same_post_with_the_token_from_the_form_goes_through(world):
    """The control: the refusal above is the missing token, not a broken form."""
    phone = Client(enforce_csrf_checks=True)
    url = reverse("participants:join", args=[world["join_token"]])
    page = phone.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = phone.post(url, {"csrfmiddlewaretoken": token, "pseudonym": "Honest", "consent": "on"})
    # One hop to the profile's first page (issue 15: no redirect chain through /p/).
    assert response.status_code == 302 and response["Location"] == reverse("participants:profile_personality",
                                                                           args=[1])
