"""Joining is limited per client address, "try again" and "another analogy" per participant. The counts
live in Django's cache (Redis when REDIS_URL is set, shared by every web process). A limited person gets a
clear 429 page, never a 500; and when the cache is down, the limiter lets people through."""

import logging
import secrets

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.debrief.conftest import finish_analogies
from workshop.participants.models import Analogy, Participant
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped


def fresh_address() -> str:
    """An address no earlier test or run has counted (the Redis counters outlive the test database)."""
    return "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))


def join(workshop, name, **environ):
    phone = Client(**environ)  # each attempt a new phone: no cookie to resume with
    return phone.post(reverse("participants:join", args=[workshop.join_token]), {"pseudonym": name, "consent": "on"})


def joined(workshop) -> int:
    with unscoped():
        return Participant.objects.filter(workshop=workshop).count()


def assert_limited_page(response, window: int):
    body = response.content.decode()
    assert response.status_code == 429
    assert "too many tries in a short time" in body and 'role="alert"' in body
    assert "css/site.css" in body  # the site's own page, not a bare error
    assert response["Retry-After"] == str(window)


def test_joins_from_one_address_are_limited_with_a_clear_page(settings, workshop_a):
    settings.JOIN_RATE_LIMIT = (3, 60)
    address = fresh_address()
    for i in range(3):
        assert join(workshop_a, f"Guest{i}", REMOTE_ADDR=address).status_code == 302

    refused = join(workshop_a, "Guest3", REMOTE_ADDR=address)

    assert_limited_page(refused, 60)
    assert joined(workshop_a) == 3
    assert join(workshop_a, "Neighbour", REMOTE_ADDR=fresh_address()).status_code == 302
    assert Client(REMOTE_ADDR=address).get(reverse("participants:join", args=[workshop_a.join_token])).status_code \
        == 200, "reading the join page is never limited"


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(settings, workshop_a):
    settings.JOIN_RATE_LIMIT = (2, 60)
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default: no proxy is trusted, REMOTE_ADDR counts
    address = fresh_address()
    responses = [join(workshop_a, f"Forger{i}", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=fresh_address())
                 for i in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 429]


def test_behind_a_trusted_proxy_each_client_counts_on_its_own_and_forged_entries_are_ignored(settings, workshop_a):
    settings.JOIN_RATE_LIMIT = (2, 60)
    settings.TRUSTED_PROXY_COUNT = 1
    proxy, alice, bob = fresh_address(), fresh_address(), fresh_address()

    def via_proxy(name, client_address):  # the client forges a first entry; the proxy appends the real one
        return join(workshop_a, name, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{fresh_address()}, {client_address}")

    assert [via_proxy(f"Alice{i}", alice).status_code for i in range(3)] == [302, 302, 429]
    assert via_proxy("Bob", bob).status_code == 302


@pytest.fixture
def reader(workshop_a):
    """A participant whose analogies are written, with a browser holding their cookie."""
    participant, token = factories.joined_participant(workshop_a, "Reader", domains=["choir"])
    finish_analogies(participant)
    phone = Client()
    phone.cookies[PARTICIPANT_COOKIE] = token
    factories.answer_before(phone, 1)
    return participant, phone


def analogies_of(participant) -> int:
    with unscoped():
        return Analogy.objects.filter(participant=participant).count()


def test_another_analogy_and_try_again_are_limited_per_participant(settings, workshop_a, reader):
    settings.ANALOGY_RATE_LIMIT = (2, 300)
    participant, phone = reader
    another = reverse("participants:analogy_another", args=[1])
    retry = reverse("participants:analogy_retry", args=[1])
    assert phone.post(another).status_code == 302
    assert phone.post(retry).status_code == 302
    made = analogies_of(participant)

    refused = phone.post(another)

    assert_limited_page(refused, 300)
    assert_limited_page(phone.post(retry), 300)
    assert analogies_of(participant) == made, "a refused request must not start another analogy"
    other, other_token = factories.joined_participant(workshop_a, "Other", domains=["rowing"])
    finish_analogies(other)
    other_phone = Client()
    other_phone.cookies[PARTICIPANT_COOKIE] = other_token
    factories.answer_before(other_phone, 1)
    assert other_phone.post(another).status_code == 302, "someone else's limit is their own"


def test_the_limiter_lets_people_in_when_the_cache_is_down(settings, workshop_a, caplog):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    settings.JOIN_RATE_LIMIT = (1, 60)
    address = fresh_address()
    with caplog.at_level(logging.WARNING, logger="workshop.ratelimit"):
        statuses = [join(workshop_a, f"Offline{i}", REMOTE_ADDR=address).status_code for i in range(3)]
    assert statuses == [302, 302, 302]
    assert joined(workshop_a) == 3
    assert "rate limit join not enforced: the cache is unavailable" in caplog.text


def test_with_redis_the_count_is_shared_by_every_web_process_and_names_no_address(settings, workshop_a):
    if not django_settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the cache is this process's memory")
    address = fresh_address()
    join(workshop_a, "Counted", REMOTE_ADDR=address)
    server = redis.Redis.from_url(django_settings.REDIS_URL)
    keys = [k.decode() for k in server.keys("*ratelimit:join:*")]
    assert keys, "the join count is not in Redis"
    assert not any(address in k for k in keys)
    assert all(0 < server.ttl(k) <= settings.JOIN_RATE_LIMIT[1] for k in keys)
