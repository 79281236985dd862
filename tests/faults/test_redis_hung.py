"""Redis hangs (SIGSTOP: it accepts connections and answers nothing) while people join. Each join still
succeeds, and a web process waits on Redis once per breaker window, not on every call of every join.

The Redis stopped here is a throwaway one on its own port; the shared Redis is never touched.
"""

import math
import time

import pytest
import redis
from django.conf import settings as django_settings

from tests import factories
from workshop.breaker import redis_breaker
from workshop.celery import WORK_QUEUE
from workshop.participants.models import Analogy, Participant
from workshop.tenancy.scope import unscoped

from .test_redis_down import join_through_the_pages

pytestmark = [pytest.mark.django_db(transaction=True)]

WINDOW_S = 4  # REDIS_BREAKER_SECONDS here
HANG_WINDOWS = 3


def timed_join(workshop, name: str) -> tuple[float, int]:
    """One phone's whole join (join form, profile pages, memories: the analogies are sent at the end): how long
    it took, and how many times the breaker opened meanwhile (each opening is one wait on Redis)."""
    openings, started = redis_breaker.openings, time.monotonic()
    join_through_the_pages(workshop, name)
    return time.monotonic() - started, redis_breaker.openings - openings


def test_a_hung_redis_costs_a_web_process_one_short_wait_per_breaker_window(own_broker, org_a, settings):
    settings.REDIS_BREAKER_SECONDS = WINDOW_S
    workshop = factories.open_workshop(org_a, scenarios=2, capacity=1000)
    healthy = [timed_join(workshop, f"Before {i}")[0] for i in range(5)]
    queued = redis.Redis.from_url(own_broker.url).llen(WORK_QUEUE)
    assert queued >= 5  # each join sent its first analogy at once (the next goes once that one is written)

    own_broker.pause()
    hung: list[tuple[float, int]] = []
    started = time.monotonic()
    try:
        while time.monotonic() - started < HANG_WINDOWS * WINDOW_S:
            hung.append(timed_join(workshop, f"Hung {len(hung)}"))
        hang_s = time.monotonic() - started
    finally:
        own_broker.resume()

    windows = math.ceil(hang_s / WINDOW_S)
    # Each join met Redis's silence at most once, and the process at most once per window (plus the window the
    # hang began in): the breaker remembered the rest of the time.
    assert all(waits <= 1 for _, waits in hung), hung
    assert 1 <= sum(waits for _, waits in hung) <= windows + 1, hung
    # In time, as a participant feels it: the joins that met Redis are the only slow ones, and each was slower
    # than a healthy join by about one socket timeout (the broker's; the cache's is shorter), not one per call.
    slow = [seconds for seconds, _ in hung if seconds > max(healthy) + 0.4]
    assert len(slow) <= windows + 1, (healthy, hung)
    one_wait = django_settings.REDIS_TIMEOUT_SECONDS
    assert max(seconds for seconds, _ in hung) <= max(healthy) + one_wait + 2, (healthy, hung)  # 2 s: a busy box
    with unscoped():
        assert Participant.objects.filter(workshop=workshop).count() == 5 + len(hung)
        # Whatever the hang kept from the queue is pending in the database, where the sweeper finds it.
        assert Analogy.objects.filter(participant__workshop=workshop, state="pending").count() == 2 * (5 + len(hung))

    # Redis answers again: after at most one window the next join's analogies go to the queue at once.
    time.sleep(WINDOW_S)
    timed_join(workshop, "After")
    assert redis.Redis.from_url(own_broker.url).llen(WORK_QUEUE) > queued
