"""Someone who joined or is half-way through the profile and is sent onward (the overview, a page further on,
the waiting phone's poll) lands on the profile page they fill in next in one redirect, never through
/p/profile/ (which would redirect again)."""

import pytest
from django.urls import reverse

from tests.participants.test_join import join
from workshop.participants.instruments import instrument

VALUES = {"values": ["benevolence", "achievement", "security"]}
LIFE = {"domains": "choir, baking bread", "avoid": "dogs"}


def personality_pages(client, workshop, pages):
    tool = instrument(workshop.instrument)
    for page in pages:
        client.post(reverse("participants:profile_personality", args=[page]),
                    {f"item_{item.number}": 4 for item in tool.page_items(page)})


def fill_up_to(client, workshop, part: str) -> str:
    """Joins and fills the profile up to ``part``; returns the URL of the page they fill in next."""
    join(client, workshop)
    pages = instrument(workshop.instrument).pages
    if part == "joined":
        return reverse("participants:profile_personality", args=[1])
    if part == "personality page 1":
        personality_pages(client, workshop, [1])
        return reverse("participants:profile_personality", args=[2])
    personality_pages(client, workshop, range(1, pages + 1))
    if part == "personality":
        return reverse("participants:profile_values")
    client.post(reverse("participants:profile_values"), VALUES)
    if part == "values":
        return reverse("participants:profile_life")
    client.post(reverse("participants:profile_life"), LIFE)
    return reverse("participants:profile_memories")


PARTS = ["joined", "personality page 1", "personality", "values", "life"]


@pytest.mark.parametrize("part", PARTS)
def test_the_overview_sends_a_half_finished_profile_to_its_next_page_in_one_redirect(client, workshop_a, part):
    expected = fill_up_to(client, workshop_a, part)

    onward = client.get(reverse("participants:home"))

    assert onward.status_code == 302 and onward["Location"] == expected
    assert client.get(onward["Location"]).status_code == 200  # no second hop


@pytest.mark.parametrize("part", PARTS)
def test_the_waiting_poll_names_the_next_profile_page(client, workshop_a, part):
    expected = fill_up_to(client, workshop_a, part)

    answer = client.get(reverse("participants:next")).json()

    assert answer["step"] in {"joined", "profile"} and answer["url"] == expected


def test_the_waiting_page_sends_a_half_finished_profile_to_its_next_page(client, workshop_a):
    expected = fill_up_to(client, workshop_a, "values")

    onward = client.get(reverse("participants:waiting"))

    assert onward.status_code == 302 and onward["Location"] == expected
