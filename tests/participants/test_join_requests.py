"""Joining and the profile take as few requests as a phone can make: every form posts and lands on the next page
in one redirect, never a chain through /p/ and /p/profile/ (issue 15: 25 requests, 8 of them redirects, before).
"""

import re

from django.urls import reverse

from tests import factories
from workshop.participants.instruments import instrument
from workshop.participants.models import Participant
from workshop.tenancy.scope import unscoped

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Phone:
    """Follows redirects one by one and remembers every request it made."""

    def __init__(self, client):
        self.client, self.requests, self.chains = client, [], []

    def go(self, method: str, url: str, data: dict | None = None):
        response = getattr(self.client, method)(url, data or {})
        self.requests.append((method, url, response.status_code))
        hops = 0
        while response.status_code in (301, 302, 303):
            hops += 1
            url = response["Location"]
            response = self.client.get(url)
            self.requests.append(("get", url, response.status_code))
        if hops > 1:
            self.chains.append(self.requests[-hops - 1:])
        assert response.status_code == 200, (url, response.status_code)
        return url, response.content.decode()


def _answers(body: str) -> dict:
    fields = dict.fromkeys(re.findall(r'name="(item_\d+)"', body))
    if fields:
        return {name: "4" for name in fields}
    if 'name="values"' in body:
        return {"values": ["benevolence", "universalism", "self_direction"]}
    if 'name="domains"' in body:
        return {"domains": "amateur football, baking bread", "avoid": ""}
    memory = re.search(r'name="(memory_\d+)"', body)
    return {memory.group(1): "When my team left me out of the final squad I felt I did not belong."} if memory else {}


def test_joining_and_the_whole_profile_take_two_requests_per_page_and_no_redirect_chain(client, workshop_a):
    phone = Phone(client)
    url, body = phone.go("get", reverse("participants:join", args=[workshop_a.join_token]))
    url, body = phone.go("post", url, {"csrfmiddlewaretoken": CSRF.search(body).group(1), "pseudonym": "Robin",
                                       "consent": "on"})
    pages = 0
    while answers := _answers(body):
        pages += 1
        url, body = phone.go("post", url, {"csrfmiddlewaretoken": CSRF.search(body).group(1), **answers})

    with unscoped():
        robin = Participant.objects.get(workshop=workshop_a, pseudonym="Robin")
    assert robin.step != Participant.Step.PROFILE  # the profile is complete: the phone is at the first activity
    assert phone.chains == []
    profile_pages = instrument(workshop_a.instrument).pages + 3  # personality pages, values, life, memories
    assert pages == profile_pages
    # The join page, then a POST and the page it lands on for the name and for each profile page.
    assert len(phone.requests) == 1 + 2 * (1 + profile_pages)
    assert not any("/p/profile/" == re.sub(r"^https?://[^/]+", "", u) for _m, u, _s in phone.requests)


def test_a_resume_link_lands_on_the_page_the_participant_is_at(client, workshop_a):
    participant, token = factories.joined_participant(workshop_a, "Sasha", with_profile=False)
    phone = Phone(client)

    url, _body = phone.go("get", reverse("participants:resume", args=[token]))

    assert url == reverse("participants:profile_personality", args=[1])
    assert len(phone.requests) == 2 and phone.chains == []
