"""Bearer tokens: how they are made, and what a workshop that is not open does with them. Already proven:
tests/participants/test_tokens.py (one participant's cookie never opens another's pages or packet; a cookie
of one workshop does not carry into another; the token is stored only as a hash), tests/participants/test_join.py
(a closed workshop refuses with a clear page; a full workshop refuses the next person; join tokens are long
urlsafe strings), tests/tenancy/test_isolation.py (every participant route against someone else's token;
forged bearer links refused)."""

import base64
import secrets
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests import factories
from workshop.participants.models import Participant
from workshop.participants.services import JoinRefused, participant_join
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_close, workshop_create

MIN_BITS = 128


def random_bits(token: str) -> int:
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def test_every_bearer_token_is_drawn_from_secrets_with_at_least_128_bits(org_a, monkeypatch):
    drawn = []
    real = secrets.token_urlsafe

    def recording(nbytes=None):
        token = real(nbytes)
        drawn.append((nbytes, token))
        return token

    monkeypatch.setattr(secrets, "token_urlsafe", recording)
    workshop = factories.open_workshop(org_a)
    _participant, participant_token = factories.joined_participant(workshop, "Bits")

    tokens = {token for _, token in drawn}
    assert workshop.join_token in tokens and participant_token in tokens, "a token did not come from secrets"
    assert all(nbytes is not None and nbytes * 8 >= MIN_BITS for nbytes, _ in drawn), drawn
    assert random_bits(workshop.join_token) >= MIN_BITS and random_bits(participant_token) >= MIN_BITS


def draft_workshop(org_a) -> Workshop:
    with unscoped():
        return workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title="Not yet",
                               scenarios=factories.builtin_scenarios()[:1], capacity=10)


def test_a_draft_workshop_refuses_joins_and_creates_no_one(org_a):
    workshop = draft_workshop(org_a)
    url = reverse("participants:join", args=[workshop.join_token])
    phone = Client()
    page = phone.get(url)
    posted = phone.post(url, {"pseudonym": "Early", "consent": "on"})
    assert page.status_code == posted.status_code == 410
    assert "has not opened yet" in posted.content.decode()
    assert "ewt_participant" not in posted.cookies
    with unscoped():
        assert not Participant.objects.filter(workshop=workshop).exists()
        with pytest.raises(JoinRefused):
            participant_join(workshop=workshop, pseudonym="Direct")


def test_a_closed_workshop_refuses_a_posted_join_and_its_participants_keep_only_their_own_pages(org_a):
    workshop = factories.open_workshop(org_a)
    participant, token = factories.joined_participant(workshop, "Stayed")
    with unscoped():
        workshop_close(workshop=workshop, actor=org_a.facilitator)
    url = reverse("participants:join", args=[workshop.join_token])
    posted = Client().post(url, {"pseudonym": "Late", "consent": "on"})
    assert posted.status_code == 410 and "ewt_participant" not in posted.cookies
    with unscoped():
        assert list(Participant.objects.filter(workshop=workshop)) == [participant]
    mine = Client()
    mine.cookies["ewt_participant"] = token
    assert "Stayed" in mine.get(reverse("participants:home")).content.decode()


def test_the_personal_link_leaves_the_address_bar_and_is_not_sent_to_other_sites(org_a):
    workshop = factories.open_workshop(org_a)
    _participant, token = factories.joined_participant(workshop, "Private")
    response = Client().get(reverse("participants:resume", args=[token]))
    assert response.status_code == 302 and token not in response["Location"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response.cookies["ewt_participant"]["httponly"] and response.cookies["ewt_participant"]["samesite"] == "Lax"


@pytest.mark.django_db(transaction=True)
def test_people_joining_at_once_never_pass_the_capacity(org_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serializes every write anyway")
    workshop = factories.open_workshop(org_a, capacity=3)
    url = reverse("participants:join", args=[workshop.join_token])
    start, statuses = threading.Barrier(8), []

    def one(i):
        try:
            phone = Client(REMOTE_ADDR=f"10.9.9.{i}")
            start.wait()
            statuses.append(phone.post(url, {"pseudonym": f"Rush{i}", "consent": "on"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [302] * 3 + [409] * 5
    with unscoped():
        assert Participant.objects.filter(workshop=workshop).count() == 3
