"""The admin's loop page: who may see and change it, what it shows, and that it never shows a small group."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.learning.rooms import room_with
from workshop.learning.models import LoopSettings, LoopState
from workshop.learning.selectors import loop_report
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import organization_scope, unscoped

CHOIR = "domain:faith:imagined:mixed"
BAKING = "domain:cooking_food:imagined:mixed"
UNIVERSAL = "universal:none:imagined:mixed"


def state_of(team) -> str:
    with unscoped():
        found = LoopSettings.objects.filter(organization=team.org).first()
    return found.state if found else LoopState.RUNNING


def test_an_admin_sees_the_loop_page_from_the_settings_page_and_pauses_it(client, org_a):
    client.force_login(org_a.admin)
    settings_page = client.get(reverse("facilitator:organization")).content.decode()
    assert reverse("facilitator:learning") in settings_page
    page = client.get(reverse("facilitator:learning")).content.decode()
    assert "Learning loop of Acme" in page and 'id="loop-pause"' in page
    response = client.post(reverse("facilitator:learning_change"), {"action": "pause"}, follow=True)
    assert 'id="loop-resume"' in response.content.decode() and state_of(org_a) == LoopState.PAUSED
    with unscoped():
        assert AuditEvent.objects.filter(organization=org_a.org, action="loop.pause", actor=org_a.admin).exists()


@pytest.mark.parametrize("role", ["facilitator", "analyst"])
def test_only_admins_see_or_change_the_loop(client, org_a, role):
    client.force_login(getattr(org_a, role))
    assert client.get(reverse("facilitator:learning")).status_code == 404
    assert client.post(reverse("facilitator:learning_change"), {"action": "pause"}).status_code == 404
    assert state_of(org_a) == LoopState.RUNNING


def test_someone_signed_out_is_sent_to_sign_in(client, org_a):
    assert client.get(reverse("facilitator:learning")).status_code == 302
    assert client.post(reverse("facilitator:learning_change"), {"action": "pause"}).status_code == 302
    assert state_of(org_a) == LoopState.RUNNING


def test_another_organizations_admin_sees_and_changes_only_their_own_loop(client, org_a, org_b):
    room_with(org_a, {CHOIR: [5, 5, 4, 5, 5, 4]})
    client.force_login(org_b.admin)
    page = client.get(reverse("facilitator:learning")).content.decode()
    assert "Globex" in page and "Acme" not in page and "faith" not in page and 'id="loop-empty"' in page
    client.post(reverse("facilitator:learning_change"), {"action": "pause"})
    assert state_of(org_b) == LoopState.PAUSED and state_of(org_a) == LoopState.RUNNING


def test_reset_needs_the_box_ticked(client, org_a):
    client.force_login(org_a.admin)
    client.post(reverse("facilitator:learning_change"), {"action": "reset"})
    with unscoped():
        assert not AuditEvent.objects.filter(organization=org_a.org, action="loop.reset").exists()
    client.post(reverse("facilitator:learning_change"), {"action": "reset", "confirm": "1"})
    with unscoped():
        assert LoopSettings.objects.get(organization=org_a.org).epoch == 2


def test_a_strategy_that_fewer_than_k_people_got_shows_nothing_and_no_other_gives_it_away(client, org_a):
    room_with(org_a, {CHOIR: [5, 5, 4, 5, 5, 4], BAKING: [2, 3, 1, 2, 2], UNIVERSAL: [5]})
    with organization_scope(org_a.org.id):
        report = loop_report(organization=org_a.org)
    rows = {row.strategy: row for row in report.rows}
    assert not rows[UNIVERSAL].shown and rows[UNIVERSAL].resonance is None and rows[UNIVERSAL].assigned is None
    # BAKING covers 5 people but is withheld with the small one: the total minus CHOIR would give it away.
    assert not rows[BAKING].shown
    assert rows[CHOIR].shown and rows[CHOIR].resonance.value == 1.0 and rows[CHOIR].assigned == 6
    client.force_login(org_a.admin)
    page = client.get(reverse("facilitator:learning")).content.decode()
    assert "Fewer than 5 people" in page and "100%" in page


def test_the_page_shows_weighted_estimates_with_intervals_and_what_beats_what(client, org_a):
    room_with(org_a, {CHOIR: [5, 4, 5, 5, 4, 5, 5, 4, 5, 5, 4, 5], BAKING: [1, 2, 1, 2, 3, 1, 2, 1, 2, 3, 1, 2]})
    with organization_scope(org_a.org.id):
        report = loop_report(organization=org_a.org)
    rows = {row.strategy: row for row in report.rows}
    assert rows[CHOIR].resonance_percent[0] == 100 and 70 < rows[CHOIR].resonance_percent[1] < 100
    assert rows[BAKING].resonance_percent[0] == 0
    assert [(c.measure, c.better) for c in report.comparisons] == [("resonance", rows[CHOIR].label)]
    client.force_login(org_a.admin)
    page = client.get(reverse("facilitator:learning")).content.decode()
    assert "resonates more than" in page and rows[BAKING].label in page
    assert 'id="loop-themes"' in page  # both were rated by at least k people in the scenario's theme


def test_an_estimate_needs_k_people_who_answered_even_when_k_people_got_the_strategy(org_a):
    room_with(org_a, {CHOIR: [5, 4, None, None, None, None], BAKING: [2, 3, 1, 2, 2, 4]})
    with organization_scope(org_a.org.id):
        rows = {row.strategy: row for row in loop_report(organization=org_a.org).rows}
    assert rows[CHOIR].shown and rows[CHOIR].assigned == 6
    assert rows[CHOIR].resonance is None and rows[CHOIR].gain is not None  # six named the feelings twice
    assert rows[BAKING].resonance is not None
