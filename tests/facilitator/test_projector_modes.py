"""The projector follows the room: the join screen (QR code, the short code printed large, the short address),
the current activity, the room's result once k people answered, and the wall. The facilitator switches; the
wall's reveal and conceal are audited as before, the other switches are not."""

import pytest
from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room
from workshop.activities.kinds import Pacing
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.short_code import short_code_shown

K = 3


@pytest.fixture(autouse=True)
def small_k(org_a):
    with unscoped():
        org_a.org.anonymity_k = K
        org_a.org.save(update_fields=["anonymity_k"])


def fresh(workshop) -> Workshop:
    with unscoped():
        return Workshop.objects.get(pk=workshop.pk)


def switch(client, workshop, mode, back="projector"):
    return client.post(reverse("facilitator:projector_mode", args=[workshop.public_id]), {"mode": mode, "back": back})


def screen(client, workshop) -> str:
    """The projector's live part, as the page polls it."""
    body = client.get(reverse("facilitator:projector", args=[workshop.public_id])).content.decode()
    return body.split('id="projector-live"')[1].split('id="projector-controls"')[0]


def audited(workshop) -> list[str]:
    with unscoped():
        return list(AuditEvent.objects.filter(object_id=str(workshop.pk), action__regex=r"^(wall|projector)")
                    .order_by("id").values_list("action", flat=True))


def test_the_join_screen_prints_the_short_code_large_beside_the_qr_code(client, org_a, workshop_a):
    room(workshop_a, 2)
    client.force_login(org_a.facilitator)

    shown = screen(client, workshop_a)

    assert f'id="join-code" lang="en">{short_code_shown(workshop_a.short_code)}<' in shown
    assert "testserver/go</strong>" in shown, "the short address, without its scheme"
    assert workshop_a.join_token in shown and "<svg" in shown
    assert '<span class="count" id="joined-count">2</span>' in shown


def test_the_activity_screen_shows_the_rooms_activity_with_its_instructions(client, org_a, workshop_a):
    room(workshop_a, 4, before=True)  # everyone answered 'before' on both scenarios: they wait for analogies
    client.force_login(org_a.facilitator)

    switch(client, workshop_a, "activity")
    shown = screen(client, workshop_a)

    assert "Activity 1 of 2" in shown and "Scenario with analogy" in shown
    assert "say what the person feels" in shown, "the activity's instructions"
    with unscoped():
        first = workshop_a.activities.get(position=1).scenario.title
    assert first in shown
    assert '<strong id="activity-in-it">4</strong>' in shown
    assert audited(workshop_a) == [], "showing instructions is not audited"


def test_a_presenter_paced_room_shows_the_activity_the_facilitator_moved_it_to(client, org_a):
    with unscoped():
        workshop = factories.open_workshop(org_a, title="Paced")
        Workshop.objects.filter(pk=workshop.pk).update(pacing=Pacing.PRESENTER, projector_mode="activity")
    client.force_login(org_a.facilitator)
    assert "Activity 1 of 2" in screen(client, workshop)

    client.post(reverse("facilitator:room_move", args=[workshop.public_id]), {"position": "next", "back": "monitor"})

    assert "Activity 2 of 2" in screen(client, workshop)


def test_the_result_waits_for_k_people_then_shows_the_before_after_shift(client, org_a, workshop_a):
    client.force_login(org_a.facilitator)
    switch(client, workshop_a, "result")
    room(workshop_a, K - 1, prefix="Early", before=True, after=True)

    waiting = screen(client, workshop_a)
    assert "Shown once 3 people have answered before and after." in waiting and "So far 2 have." in waiting
    assert "data:image/svg+xml" not in waiting and "%</span>" not in waiting

    room(workshop_a, 1, prefix="Third", before=True, after=True)
    shown = screen(client, workshop_a)

    assert '<img src="data:image/svg+xml;base64,' in shown
    assert '<span class="shift-value">0%</span>' in shown  # wrong before (the factory's answers)
    assert '<span class="shift-value after">100%</span>' in shown  # right after
    assert "(3 people)" in shown


def test_the_wall_goes_on_the_projector_through_the_audited_reveal_and_leaves_it_the_same_way(client, org_a,
                                                                                             workshop_a):
    room(workshop_a, K, before=True, after=True, reflection="It felt like my first week", share=True)
    client.force_login(org_a.facilitator)

    switch(client, workshop_a, "wall")
    assert fresh(workshop_a).wall_revealed is True
    assert "It felt like my first week" in screen(client, workshop_a)

    switch(client, workshop_a, "result")
    assert fresh(workshop_a).wall_revealed is False
    assert "It felt like my first week" not in screen(client, workshop_a)
    switch(client, workshop_a, "join")
    assert audited(workshop_a) == ["wall.reveal", "wall.conceal"]


def test_the_monitors_reveal_button_puts_the_wall_on_the_projector_whatever_it_showed(client, org_a, workshop_a):
    room(workshop_a, K, before=True, after=True, reflection="Seen at last", share=True)
    client.force_login(org_a.facilitator)
    switch(client, workshop_a, "activity")

    client.post(reverse("facilitator:wall", args=[workshop_a.public_id]), {"action": "reveal"})
    assert "Seen at last" in screen(client, workshop_a)
    client.post(reverse("facilitator:wall", args=[workshop_a.public_id]), {"action": "conceal"})

    assert "Seen at last" not in screen(client, workshop_a)
    assert "Activity 1 of 2" in screen(client, workshop_a), "back to what it showed before"


def test_a_workshop_that_keeps_reflections_from_the_room_never_puts_the_wall_up(client, org_a):
    with unscoped():
        workshop = factories.open_workshop(org_a, title="Quiet")
        Workshop.objects.filter(pk=workshop.pk).update(show_reflections=False)
    room(workshop, K, before=True, after=True, reflection="Not for the room", share=True)
    client.force_login(org_a.facilitator)

    response = switch(client, workshop, "wall", back="monitor")

    assert fresh(workshop).wall_revealed is False and fresh(workshop).projector_mode == "join"
    page = client.get(response["Location"]).content.decode()
    assert "set up not to show reflections to the room" in page
    assert "Not for the room" not in screen(client, workshop)
    assert 'value="wall"' not in client.get(reverse("facilitator:projector", args=[workshop.public_id])
                                            ).content.decode(), "no wall button to press"


def test_a_long_wall_is_all_on_the_page_for_the_pager_to_turn(client, org_a, workshop_a):
    room(workshop_a, 12, before=True, after=True, reflection="A thought worth sharing", share=True)
    long_one = "A longer thought. " * 60
    room(workshop_a, K, prefix="Long", before=True, after=True, reflection=long_one, share=True)
    client.force_login(org_a.facilitator)
    switch(client, workshop_a, "wall")

    shown = screen(client, workshop_a)

    assert shown.count("<blockquote>") == 2 * (12 + K)  # every reflection: the browser pages them
    assert 'data-pager data-pager-seconds="12"' in shown
    assert '<li class="longest"><blockquote>A longer thought.' in shown


@pytest.mark.parametrize("mode", ["dance", "<script>alert(1)</script>", "\x00", "x" * 100_000, ""])
def test_a_mode_that_does_not_exist_gets_a_message_not_a_500(client, org_a, workshop_a, mode):
    client.force_login(org_a.facilitator)

    response = switch(client, workshop_a, mode, back="monitor")

    assert response.status_code == 302
    assert "Choose what the projector shows." in client.get(response["Location"]).content.decode()
    assert fresh(workshop_a).projector_mode == "join"


@pytest.mark.parametrize("who", ["anonymous", "analyst", "org_b-admin", "org_b-facilitator"])
def test_switching_the_projector_is_refused_to_anyone_else(client, org_a, org_b, workshop_a, who):
    if who == "analyst":
        client.force_login(org_a.analyst)
    elif who.startswith("org_b"):
        client.force_login(getattr(org_b, who.split("-")[1]))

    for response in (switch(client, workshop_a, "activity"),
                     client.get(reverse("facilitator:projector", args=[workshop_a.public_id]))):
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    assert fresh(workshop_a).projector_mode == "join"
