"""The per-organization LLM budget, shared by every worker through a real Redis."""

import secrets

import pytest
import redis
from django.conf import settings

from workshop.participants.llm import RateLimitTimeout, RedisRateLimiter


@pytest.fixture
def redis_url():
    url = settings.REDIS_URL or "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}: the shared limiter needs a real server")
    return url


class Clock:
    def __init__(self, start: float):
        self.now = start
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def fresh_id() -> int:
    return secrets.randbelow(10**12) + 10**12  # no real organization, and no key left by an earlier run


def limiter(url, clock, organization_id, **limits):
    return RedisRateLimiter(url=url, organization_id=organization_id, clock=clock.time, sleep=clock.sleep,
                            **{"requests_per_minute": 3, "tokens_per_minute": 10_000, **limits})


def test_two_workers_share_one_organizations_requests_per_minute(redis_url):
    clock = Clock(start=1_000_000 * 60 + 5)  # a fresh minute window nobody used
    organization_id = fresh_id()
    first, second = limiter(redis_url, clock, organization_id), limiter(redis_url, clock, organization_id)
    for worker in (first, second, first):
        worker.acquire(100)
    assert clock.slept == []
    second.acquire(100)  # the fourth request this minute waits for the next one
    assert len(clock.slept) == 1 and 55 <= clock.slept[0] <= 55.5


def test_tokens_per_minute_are_shared_too_and_other_organizations_are_not_affected(redis_url):
    clock = Clock(start=1_000_001 * 60)
    base = fresh_id()
    busy = limiter(redis_url, clock, base, requests_per_minute=100, tokens_per_minute=1000)
    busy.acquire(600)
    limiter(redis_url, clock, base + 1, requests_per_minute=100, tokens_per_minute=1000).acquire(900)
    assert clock.slept == []
    busy.acquire(600)
    assert len(clock.slept) == 1


def test_a_task_gives_up_rather_than_wait_past_its_time_limit(redis_url):
    clock = Clock(start=1_000_002 * 60)
    waiting = limiter(redis_url, clock, fresh_id(), requests_per_minute=1)
    waiting.max_wait_s = 10
    waiting.acquire(10)
    with pytest.raises(RateLimitTimeout):
        waiting.acquire(10)
