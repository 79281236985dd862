"""The room as people see it on their phones: a full workshop says so before asking for a name; the join page
asks for the name and consent first, with the details in a fold beside the consent; a lost session gets a page
that says how to rejoin (and other 404s stay plain 'not found'); after 'See my analogy' the story is folded and
the page goes to the analogy."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room
from workshop.tenancy.middleware import PARTICIPANT_COOKIE


def phone(token: str = "") -> Client:
    client = Client()
    if token:
        client.cookies[PARTICIPANT_COOKIE] = token
    return client


def test_a_full_workshop_says_so_before_asking_for_a_name(org_a):
    workshop = factories.open_workshop(org_a, title="Small room", capacity=2)
    room(workshop, 2)

    response = phone().get(reverse("participants:join", args=[workshop.join_token]))

    body = response.content.decode()
    assert response.status_code == 409
    assert "This workshop is full" in body and 'name="pseudonym"' not in body


def test_a_workshop_with_a_place_left_asks_for_the_name(org_a):
    workshop = factories.open_workshop(org_a, title="Small room", capacity=2)
    room(workshop, 1)

    response = phone().get(reverse("participants:join", args=[workshop.join_token]))

    assert response.status_code == 200 and 'name="pseudonym"' in response.content.decode()


def test_the_join_page_asks_for_the_name_and_consent_first_with_the_details_folded_beside_them(workshop_a):
    body = phone().get(reverse("participants:join", args=[workshop_a.join_token])).content.decode()

    name, fold, consent = (body.index('name="pseudonym"'), body.index('<details class="join-details"'),
                           body.index('name="consent"'))
    assert name < fold < consent, "name, then what they consent to, then the consent itself"
    folded = body[fold:body.index("</details>", fold)]
    assert "Who sees what" in folded and "What is asked and stored" in folded
    assert body.index("<h1>") < name and body.count("<h2>") == 0, "nothing long before the name"


@pytest.mark.parametrize("path", ["/p/", "/p/s/1/", "/p/done/", "/p/packet/", "/p/a/2/"])
def test_a_lost_session_gets_a_page_that_says_how_to_rejoin(db, path):
    response = phone().get(path)

    body = response.content.decode()
    assert response.status_code == 404
    assert "Rejoin with your link" in body and "open your personal link" in body
    assert f'href="{reverse("participants:go")}"' in body
    assert "css/site.css" in body, "the site's own page, not a bare 404"


def test_someone_who_deleted_their_data_is_told_how_to_join_again(workshop_a):
    _participant, token = factories.joined_participant(workshop_a, "Gone")
    client = phone(token)
    client.post(reverse("participants:delete"))

    response = phone(token).get(reverse("participants:home"))

    assert response.status_code == 404 and "Rejoin with your link" in response.content.decode()


def test_a_page_that_does_not_exist_in_a_live_session_is_plain_not_found(workshop_a):
    _participant, token = factories.joined_participant(workshop_a, "Here")

    response = phone(token).get(reverse("participants:scenario", args=[99]))

    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and "Rejoin" not in body
    assert f'href="{reverse("participants:home")}"' in body


@pytest.mark.parametrize("path", ["/f/workshops/no-such-workshop/", "/nothing-here", "/f/scenarios/999999/"])
def test_the_rest_of_the_sites_404s_stay_honest(client, org_a, path):
    client.force_login(org_a.facilitator)

    response = client.get(path)

    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and "Rejoin" not in body and "personal link" not in body


def test_after_see_my_analogy_the_story_is_folded_and_the_page_goes_to_the_analogy(workshop_a):
    _participant, token = factories.joined_participant(workshop_a, "Reader")
    client = phone(token)
    before = client.get(reverse("participants:scenario", args=[1])).content.decode()
    assert '<div class="card narrative">' in before and "js/arrive.js" not in before

    factories.answer_before(client, 1)
    after = client.get(reverse("participants:scenario", args=[1])).content.decode()

    assert '<details class="card narrative"><summary>' in after, "the story folds once read"
    assert 'id="your-analogy" tabindex="-1" data-arrive' in after and "js/arrive.js" in after
