import pytest
from django.urls import reverse

from tests import factories
from workshop.participants.models import Participant
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped
from workshop.workshops.services import workshop_close


def join(client, workshop, name="Robin", consent=True):
    data = {"pseudonym": name}
    if consent:
        data["consent"] = "on"
    return client.post(reverse("participants:join", args=[workshop.join_token]), data)


def participant_count(workshop) -> int:
    with unscoped():
        return Participant.objects.filter(workshop=workshop).count()


def test_the_join_page_says_what_is_stored_and_who_sees_it(client, workshop_a):
    body = client.get(reverse("participants:join", args=[workshop_a.join_token])).content.decode()
    assert workshop_a.title in body
    assert "What is asked and stored" in body and "Who sees what" in body
    assert "deleted after 180 days" in body
    assert "groups of at least 5 people" in body


def test_joining_needs_consent_and_stores_nothing_without_it(client, workshop_a):
    response = join(client, workshop_a, consent=False)
    assert response.status_code == 200
    assert "please tick the box" in response.content.decode()
    assert participant_count(workshop_a) == 0
    assert PARTICIPANT_COOKIE not in response.cookies


def test_joining_sets_a_private_cookie_and_leads_to_the_profile(client, workshop_a):
    response = join(client, workshop_a)
    # Straight to the profile's first page (issue 15: no hop through /p/ and /p/profile/)
    assert response.status_code == 302 and response["Location"] == reverse("participants:profile_personality", args=[1])
    cookie = response.cookies[PARTICIPANT_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert len(cookie.value) >= 43  # 32 random bytes
    # The overview sends someone mid-profile to the page they fill in next, not through /p/profile/
    assert client.get(reverse("participants:home"))["Location"] == reverse("participants:profile_personality",
                                                                             args=[1])


def test_rejoining_from_the_same_browser_resumes_instead_of_creating_a_second_participant(client, workshop_a):
    join(client, workshop_a)
    response = client.get(reverse("participants:join", args=[workshop_a.join_token]))
    assert response.status_code == 302
    join(client, workshop_a, name="Robin again")
    assert participant_count(workshop_a) == 1


def test_the_personal_link_resumes_on_another_device(client, workshop_a):
    participant, token = factories.joined_participant(workshop_a, "Mika", domains=["rowing"])
    from django.test import Client

    phone = Client()
    response = phone.get(reverse("participants:resume", args=[token]))
    assert response.status_code == 302
    assert "Mika" in phone.get(reverse("participants:home")).content.decode()


def test_a_closed_workshop_refuses_joins_with_a_clear_page(client, workshop_a, org_a):
    with unscoped():
        workshop_close(workshop=workshop_a, actor=org_a.facilitator)
    response = client.get(reverse("participants:join", args=[workshop_a.join_token]))
    assert response.status_code == 410
    assert "This workshop has ended" in response.content.decode()
    assert join(client, workshop_a).status_code == 410
    assert participant_count(workshop_a) == 0


def test_a_full_workshop_refuses_the_next_person(client, org_a):
    workshop = factories.open_workshop(org_a, capacity=1)
    factories.joined_participant(workshop, "First")
    response = join(client, workshop, name="Second")
    assert response.status_code == 409
    assert "This workshop is full" in response.content.decode()
    assert participant_count(workshop) == 1


def test_an_unknown_join_link_gets_a_clear_page_not_an_error(client, db):
    response = client.get(reverse("participants:join", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This join link is not valid" in response.content.decode()


def test_join_tokens_carry_at_least_128_random_bits(org_a):
    tokens = {factories.open_workshop(org_a).join_token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(t) >= 22 and re_urlsafe(t) for t in tokens)  # 22 urlsafe chars = 132 bits


def re_urlsafe(token: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z0-9_-]+", token) is not None


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "שָׁלוֹם", "Zoë 🌻", "x" * 500])
def test_odd_pseudonyms_are_stored_safely_and_shown_escaped(client, workshop_a, name):
    response = join(client, workshop_a, name=name)
    if len(name) > 40:
        assert response.status_code == 200
        assert "at most 40 characters" in response.content.decode()
        return
    body = client.get(reverse("participants:profile")).content.decode()
    assert "<script>alert(1)</script>" not in body
    with unscoped():
        assert Participant.objects.get(workshop=workshop_a).pseudonym == name


def test_a_huge_or_empty_profile_gets_a_clear_message_and_keeps_the_participant(client, workshop_a):
    join(client, workshop_a)
    response = client.post(reverse("participants:profile_life"), {"domains": "", "avoid": "a" * 10_000})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Name at least one thing" in body and "at most 300 characters" in body
    response = client.post(reverse("participants:profile_memories"), {"memory_1": "m" * 10_000})
    assert response.status_code == 200 and "at most 1500 characters" in response.content.decode()
    assert participant_count(workshop_a) == 1
