"""A participant's first visit follows the browser's language (Accept-Language) when it is one the workshop
offers; a choice made on the page always wins over the browser, and the switch is one tap away on every page."""

import re

import pytest
from django.urls import reverse

from tests import factories
from workshop.participants.models import Participant
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop

KOREAN_PHONE = "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"
ENGLISH_PHONE = "en-US,en;q=0.9"


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def set_language(workshop: Workshop, language: str) -> None:
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(language=language)


def join(client, workshop: Workshop, name: str = "Mina", **headers):
    url = reverse("participants:join", args=[workshop.join_token])
    return client.post(url, {"pseudonym": name, "consent": "on"}, **headers)


def newest(workshop: Workshop) -> Participant:
    with unscoped():
        return Participant.objects.filter(workshop=workshop).latest("created")


def test_a_korean_phone_sees_the_join_page_in_korean_in_an_english_workshop(client, workshop_a):
    response = client.get(reverse("participants:join", args=[workshop_a.join_token]),
                          HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE)
    assert page_language(response) == "ko" and response["Content-Language"] == "ko"
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in response.content.decode()


def test_without_a_browser_language_the_workshops_language_is_used(client, workshop_a):
    set_language(workshop_a, "ko")
    url = reverse("participants:join", args=[workshop_a.join_token])
    assert page_language(client.get(url)) == "ko"
    assert page_language(client.get(url, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,de;q=0.5")) == "ko"
    assert page_language(client.get(url, HTTP_ACCEPT_LANGUAGE="*")) == "ko"


def test_an_english_phone_reads_english_in_a_korean_workshop(client, workshop_a):
    set_language(workshop_a, "ko")
    response = client.get(reverse("participants:join", args=[workshop_a.join_token]),
                          HTTP_ACCEPT_LANGUAGE=ENGLISH_PHONE)
    assert page_language(response) == "en"
    assert '<a href="?lang=ko" lang="ko" hreflang="ko">한국어</a>' in response.content.decode()


def test_joining_from_a_korean_phone_keeps_korean_on_every_later_page(client, workshop_a):
    assert join(client, workshop_a, HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE).status_code == 302
    assert newest(workshop_a).language == "ko"
    # Later requests that no longer send the header (another app's web view) stay in the language they joined in.
    assert page_language(client.get(reverse("participants:profile_personality", args=[1]))) == "ko"


def test_a_choice_made_on_the_page_wins_over_the_browser_before_and_after_joining(client, workshop_a):
    url = reverse("participants:join", args=[workshop_a.join_token])
    assert page_language(client.get(url + "?lang=en", HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE)) == "en"
    # The choice is remembered (a cookie before joining): the next page does not fall back to the browser.
    assert page_language(client.get(url, HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE)) == "en"
    join(client, workshop_a, HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE)
    me = newest(workshop_a)
    assert me.language == "en"
    page = reverse("participants:profile_personality", args=[1])
    assert page_language(client.get(page, HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE)) == "en"
    assert page_language(client.get(page + "?lang=ko", HTTP_ACCEPT_LANGUAGE=ENGLISH_PHONE)) == "ko"
    assert page_language(client.get(page, HTTP_ACCEPT_LANGUAGE=ENGLISH_PHONE)) == "ko"
    me.refresh_from_db()
    assert me.language == "ko"


def test_the_browser_language_does_not_reach_another_workshops_participant(client, workshop_a, org_b):
    """The outsider: a participant of another organization keeps their own language whatever a Korean phone
    asks for on workshop_a's link."""
    other = factories.open_workshop(org_b, title="Globex session")
    outsider, token = factories.joined_participant(other, "Lee")
    with unscoped():
        Participant.objects.filter(pk=outsider.pk).update(language="en")
    client.cookies[PARTICIPANT_COOKIE] = token
    response = client.get(reverse("participants:home"), HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE)
    assert page_language(response) == "en"
    join_page = client.get(reverse("participants:join", args=[workshop_a.join_token]),
                           HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE)
    assert page_language(join_page) == "ko"
    with unscoped():
        assert Participant.objects.get(pk=outsider.pk).language == "en"


@pytest.mark.parametrize("name", ["home", "profile", "profile_values", "profile_life", "profile_memories", "done",
                                  "packet", "delete"])
def test_the_language_switch_is_one_tap_away_on_every_participant_page(client, workshop_a, as_participant, name):
    participant, token = factories.joined_participant(workshop_a, "Ari")
    as_participant(token)
    response = client.get(reverse(f"participants:{name}"), HTTP_ACCEPT_LANGUAGE=KOREAN_PHONE, follow=True)
    body = response.content.decode()
    assert page_language(response) == "ko"
    assert re.search(r'<nav aria-label="[^"]+" class="lang">\s*<a href="\?lang=en"', body), name
