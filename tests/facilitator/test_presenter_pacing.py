"""Presenter pacing from the console: the facilitator moves the room to the next activity (or back, or to
activity N) from the monitor, the workshop page or the projector; a waiting phone's next poll sends it there."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room
from workshop.activities.kinds import Pacing
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


@pytest.fixture
def paced(org_a) -> Workshop:
    """Three scenarios with analogy, presenter-paced, open."""
    with unscoped():
        workshop = factories.open_workshop(org_a, title="Paced session", scenarios=3)
        Workshop.objects.filter(pk=workshop.pk).update(pacing=Pacing.PRESENTER)
        workshop.refresh_from_db()
    return workshop


def position(workshop) -> int:
    with unscoped():
        return Workshop.objects.get(pk=workshop.pk).current_position


def move(client, workshop, to, back="monitor"):
    return client.post(reverse("facilitator:room_move", args=[workshop.public_id]), {"position": to, "back": back})


def phone_done_with_the_first_activity(workshop) -> Client:
    participant, token = factories.joined_participant(workshop, "Ahead")
    with unscoped():
        from tests.facilitator.rooms import targets
        from workshop.participants.models import Response

        first = workshop.activities.get(position=1).scenario
        Response.objects.create(organization_id=workshop.organization_id, participant=participant, scenario=first,
                                pre_labels=["joy"], pre_understanding=3, post_labels=targets(first),
                                post_understanding=6)
    phone = Client()
    phone.cookies[PARTICIPANT_COOKIE] = token
    return phone


def test_a_waiting_phone_follows_when_the_facilitator_moves_the_room_on(client, org_a, paced):
    phone = phone_done_with_the_first_activity(paced)
    assert phone.get(reverse("participants:next")).json()["step"] == "waiting"
    client.force_login(org_a.facilitator)

    response = move(client, paced, "next")

    assert response["Location"] == reverse("facilitator:monitor", args=[paced.public_id])
    assert position(paced) == 2
    follow = phone.get(reverse("participants:next")).json()
    assert follow["step"] == "before" and follow["url"] == reverse("participants:scenario", args=[2])
    page = client.get(response["Location"]).content.decode()
    assert "Everyone can go on to activity 2 now." in page
    assert "The room is on activity 2 of 3:" in page
    with unscoped():
        assert list(AuditEvent.objects.filter(action="workshop.move").values_list("detail", flat=True)) == [
            {"position": 2}]


def test_the_facilitator_moves_back_or_to_any_activity(client, org_a, paced):
    client.force_login(org_a.facilitator)

    move(client, paced, "3")
    assert position(paced) == 3
    move(client, paced, "previous")
    assert position(paced) == 2


def test_there_is_no_activity_past_the_last(client, org_a, paced):
    client.force_login(org_a.facilitator)
    move(client, paced, "3")

    response = move(client, paced, "next")

    assert "There is no activity 4." in client.get(response["Location"]).content.decode()
    assert position(paced) == 3
    assert 'value="next"' not in client.get(reverse("facilitator:monitor", args=[paced.public_id])).content.decode()


@pytest.mark.parametrize("wanted", ["abc", "²", "-1", "0", "99", "\x00", "9" * 100_000, "<b>2</b>", ""])
def test_a_position_that_is_no_activity_gets_a_message_not_a_500(client, org_a, paced, wanted):
    client.force_login(org_a.facilitator)

    response = move(client, paced, wanted)

    assert response.status_code == 302
    assert "There is no activity" in client.get(response["Location"]).content.decode()
    assert position(paced) == 1


def test_a_self_paced_room_is_not_moved(client, org_a, workshop_a):
    room(workshop_a, 2)
    client.force_login(org_a.facilitator)
    monitor = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).content.decode()
    assert "Self-paced: each person moves on" in monitor and "room-next" not in monitor

    response = move(client, workshop_a, "next")

    assert "This workshop is self-paced" in client.get(response["Location"]).content.decode()
    assert position(workshop_a) == 1


def test_the_controls_are_on_the_monitor_the_workshop_page_and_the_projector(client, org_a, paced):
    client.force_login(org_a.facilitator)
    for name, back in (("facilitator:monitor", "monitor"), ("facilitator:workshop", "workshop"),
                       ("facilitator:projector", "projector")):
        body = client.get(reverse(name, args=[paced.public_id])).content.decode()
        assert 'id="room-next"' in body and f'name="back" value="{back}"' in body, name


@pytest.mark.parametrize("who", ["anonymous", "analyst", "org_b-admin", "org_b-facilitator"])
def test_moving_the_room_is_refused_to_anyone_else(client, org_a, org_b, paced, who):
    if who == "analyst":
        client.force_login(org_a.analyst)
    elif who.startswith("org_b"):
        client.force_login(getattr(org_b, who.split("-")[1]))

    response = move(client, paced, "next")

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert position(paced) == 1
    assert client.get(reverse("facilitator:room_move", args=[paced.public_id])).status_code in (302, 404, 405)
