"""The one-tap check-in, "How is this landing?": the facilitator opens and closes it (audited), each person
answers once per poll, the figures appear only over k answers and move only in batches of k, and an outsider
can do none of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from workshop.learning.checkin import checkin_result
from workshop.participants.models import RoomCheckin
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

K = 3


@pytest.fixture
def workshop(org_a, settings):
    settings.ROOM_MOOD_SECONDS = 0
    with unscoped():
        org_a.org.anonymity_k = K
        org_a.org.save(update_fields=["anonymity_k"])
    return factories.open_workshop(org_a, title="Check-in room", scenarios=1)


def open_poll(client, team, workshop, action="open"):
    client.force_login(team.facilitator)
    return client.post(reverse("facilitator:checkin", args=[workshop.public_id]), {"action": action})


def tap(client, token, value, **headers):
    client.logout()
    client.cookies["ewt_participant"] = token
    return client.post(reverse("participants:checkin"), {"value": value, "next": "/p/"}, headers=headers)


def people(workshop, n, prefix="Person"):
    return [factories.joined_participant(workshop, f"{prefix} {i}", with_profile=False) for i in range(n)]


def result(workshop):
    with unscoped():
        workshop.refresh_from_db()
        return checkin_result(workshop=workshop, k=K)


def test_the_facilitator_opens_and_closes_it_and_each_is_audited(client, org_a, workshop):
    assert open_poll(client, org_a, workshop).status_code == 302
    with unscoped():
        workshop.refresh_from_db()
        assert (workshop.checkin_poll, workshop.checkin_open) == (1, True)
    open_poll(client, org_a, workshop, "close")
    with unscoped():
        workshop.refresh_from_db()
        assert (workshop.checkin_poll, workshop.checkin_open) == (1, False)
        events = list(AuditEvent.objects.filter(organization=org_a.org, action__startswith="checkin.")
                      .order_by("id").values_list("action", "detail", "actor"))
    assert events == [("checkin.open", {"poll": 1}, org_a.facilitator.id),
                      ("checkin.close", {"poll": 1}, org_a.facilitator.id)]


def test_a_phone_shows_the_card_only_while_the_poll_is_open(client, org_a, workshop):
    [(_, token)] = people(workshop, 1)
    client.cookies["ewt_participant"] = token
    assert 'class="checkin-form"' not in client.get("/p/", follow=True).content.decode()
    open_poll(client, org_a, workshop)
    client.logout()
    client.cookies["ewt_participant"] = token
    page = client.get("/p/", follow=True).content.decode()
    assert 'class="checkin-form"' in page and "How is this landing?" in page


def test_each_person_answers_once_per_poll_and_the_first_answer_stands(client, org_a, workshop):
    [(participant, token)] = people(workshop, 1)
    open_poll(client, org_a, workshop)
    assert tap(client, token, 5).status_code == 302
    card = tap(client, token, 1, **{"X-Checkin-Fetch": "1"}).content.decode()
    assert 'id="checkin-thanks"' in card and 'class="checkin-form"' not in card
    with unscoped():
        assert list(RoomCheckin.objects.filter(participant=participant).values_list("poll", "value")) == [(1, 5)]
    open_poll(client, org_a, workshop, "close")
    open_poll(client, org_a, workshop)  # a new poll: a new answer
    tap(client, token, 2)
    with unscoped():
        assert sorted(RoomCheckin.objects.filter(participant=participant).values_list("poll", "value")) == [
            (1, 5), (2, 2)]


def test_a_closed_poll_takes_no_answer(client, org_a, workshop):
    [(participant, token)] = people(workshop, 1)
    open_poll(client, org_a, workshop)
    open_poll(client, org_a, workshop, "close")
    tap(client, token, 4)
    with unscoped():
        assert not RoomCheckin.objects.filter(participant=participant).exists()


def test_the_figures_appear_only_at_k_answers_and_move_only_in_batches_of_k(client, org_a, workshop):
    room = people(workshop, 2 * K)
    open_poll(client, org_a, workshop)
    for _, token in room[:K - 1]:
        tap(client, token, 5)
    below = result(workshop)
    assert (below.answered, below.shown, below.mean) == (K - 1, 0, None)
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id])).content.decode()
    assert 'id="checkin-result"' not in page and "Shown once 3 people have answered." in page

    tap(client, room[K - 1][1], 5)
    seen = result(workshop)
    assert (seen.shown, seen.mean, seen.top_two) == (K, 5.0, 1.0)
    for _, token in room[K:2 * K - 1]:  # one named person taps 1: the figures do not move
        tap(client, token, 1)
        now = result(workshop)
        assert (now.shown, now.mean) == (seen.shown, seen.mean)
    tap(client, room[-1][1], 1)
    assert (result(workshop).shown, result(workshop).mean) == (2 * K, 3.0)
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id])).content.decode()
    assert 'id="checkin-result"' in page and "3.0 of 5" in page


def test_an_outsider_can_neither_open_the_poll_nor_answer_it(client, org_a, org_b, workshop):
    assert open_poll(client, org_b, workshop).status_code == 404
    with unscoped():
        workshop.refresh_from_db()
        assert not workshop.checkin_open
        assert not AuditEvent.objects.filter(action__startswith="checkin.").exists()
    open_poll(client, org_a, workshop)
    elsewhere = factories.open_workshop(org_b, title="Globex room", scenarios=1)
    [(stranger, token)] = people(elsewhere, 1, prefix="Stranger")
    tap(client, token, 1)  # their own workshop has no poll open: nothing lands anywhere
    with unscoped():
        assert not RoomCheckin.objects.filter(participant=stranger).exists()
        assert not RoomCheckin.objects.filter(workshop=workshop).exists()


def test_a_closed_workshop_cannot_open_a_poll(client, org_a, workshop):
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(state=Workshop.State.CLOSED)
    open_poll(client, org_a, workshop)
    with unscoped():
        workshop.refresh_from_db()
        assert not workshop.checkin_open
