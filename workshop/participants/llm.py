"""Django side of the LLM engine: an organization's endpoint, its shared rate limit, the analysis cache."""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from workshop.scenarios.models import ScenarioAnalysis
from workshop.tenancy.models import Organization

log = logging.getLogger(__name__)

# Both counters of one organization's minute are checked and bumped in one atomic step, so every worker on
# every machine shares the same budget.
_ACQUIRE = """
local req = tonumber(redis.call('GET', KEYS[1]) or '0')
local tok = tonumber(redis.call('GET', KEYS[2]) or '0')
local want = tonumber(ARGV[3])
if req + 1 > tonumber(ARGV[1]) then return 0 end
if tok > 0 and tok + want > tonumber(ARGV[2]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], 120)
redis.call('INCRBY', KEYS[2], want)
redis.call('EXPIRE', KEYS[2], 120)
return 1
"""


class RateLimitTimeout(RuntimeError):
    """The organization's budget stayed exhausted for longer than a task may wait."""


_redis_clients: dict[str, object] = {}


def _redis_client(url: str):
    """One client (and so one connection pool) per URL in this process, shared by every limiter."""
    import redis

    from workshop.breaker import GuardedConnectionPool

    client = _redis_clients.get(url)
    if client is None:
        # Short timeouts: a Redis that is down or hung costs a task a second or two, not its whole time limit;
        # and the breaker (workshop/breaker.py): after that, the process's other calls skip it for a few seconds.
        client = _redis_clients[url] = redis.Redis(connection_pool=GuardedConnectionPool.from_url(
            url, socket_connect_timeout=1, socket_timeout=2))
    return client


class RedisRateLimiter:
    """Requests and tokens per minute for one organization, shared by all workers through Redis.

    While Redis is unreachable each worker process keeps the organization's budget on its own (as without
    Redis), so generation goes on; the provider's own 429s, which the engine honours, cover the difference.
    """

    def __init__(self, *, url: str, organization_id: int, requests_per_minute: int, tokens_per_minute: int,
                 max_wait_s: float = 90.0, clock=time.time, sleep=time.sleep):
        self.client = _redis_client(url)
        self.script = self.client.register_script(_ACQUIRE)
        self.organization_id = organization_id
        self.rpm = max(1, requests_per_minute)
        self.tpm = max(1, tokens_per_minute)
        self.max_wait_s = max_wait_s
        self.clock, self.sleep = clock, sleep

    def acquire(self, tokens: int) -> None:
        import redis

        deadline = self.clock() + self.max_wait_s
        while True:
            now = self.clock()
            window = int(now // 60)
            keys = [f"llm-rate:{self.organization_id}:{window}:req", f"llm-rate:{self.organization_id}:{window}:tok"]
            try:
                granted = self.script(keys=keys, args=[self.rpm, self.tpm, max(1, int(tokens))]) == 1
            except redis.RedisError as exc:
                log.warning("organization %s: the shared LLM rate limit is unavailable (%s); this process keeps "
                            "the budget on its own until Redis is back", self.organization_id, type(exc).__name__)
                _local_limiter(self.organization_id, self.rpm, self.tpm).acquire(
                    tokens, max_wait_s=max(0.0, deadline - self.clock()))
                return
            if granted:
                return
            wait = (window + 1) * 60 - now + random.uniform(0, 0.5)  # jitter: not every worker at once
            if now + wait > deadline:
                raise RateLimitTimeout(f"organization {self.organization_id}: LLM budget exhausted")
            self.sleep(wait)


class LocalRateLimiter:
    """Without Redis (the embedded set-up) the budget is kept per process: fine for one small worker."""

    def __init__(self, *, requests_per_minute: int, tokens_per_minute: int):
        self.rpm, self.tpm = max(1, requests_per_minute), max(1, tokens_per_minute)
        self.lock = threading.Lock()
        self.window, self.requests, self.tokens = -1, 0, 0

    def acquire(self, tokens: int, *, max_wait_s: float | None = None) -> None:
        deadline = None if max_wait_s is None else time.time() + max_wait_s
        while True:
            with self.lock:
                now = time.time()
                window = int(now // 60)
                if window != self.window:
                    self.window, self.requests, self.tokens = window, 0, 0
                if self.requests + 1 <= self.rpm and (self.tokens == 0 or self.tokens + tokens <= self.tpm):
                    self.requests += 1
                    self.tokens += tokens
                    return
                wait = (window + 1) * 60 - now
            if deadline is not None and now + wait > deadline:
                raise RateLimitTimeout("this process's LLM budget stays exhausted past the task's deadline")
            time.sleep(min(wait, 60))


class BoundedLocalRateLimiter:
    """A process's shared LocalRateLimiter, as one analogy uses it: it waits no longer than its LLM budget."""

    def __init__(self, limiter: LocalRateLimiter, *, max_wait_s: float):
        self.limiter, self.max_wait_s = limiter, max_wait_s

    def acquire(self, tokens: int) -> None:
        self.limiter.acquire(tokens, max_wait_s=self.max_wait_s)


class DatabaseAnalysisCache:
    """Scenario analyses in the database: one LLM call per scenario version, model and analysis scope (the
    server's endpoint, or one organization's own), for every worker.

    claim() inserts a placeholder row: the unique key lets exactly one worker win, the others wait for its
    answer. A placeholder older than CLAIM_STALE_S (its worker died) can be claimed again.
    """

    CLAIM_STALE_S = 120

    @staticmethod
    def _row_key(key: str) -> str:
        """The key as stored: a key longer than the column keeps its start and ends in a hash of the whole,
        so two long keys never share a row."""
        return key if len(key) <= 255 else f"{key[:190]}:{hashlib.sha256(key.encode()).hexdigest()}"

    def get(self, key: str) -> dict | None:
        row = ScenarioAnalysis.objects.filter(key=self._row_key(key), pending=False).only("data").first()
        return row.data if row else None

    def set(self, key: str, value: dict) -> None:
        updated = ScenarioAnalysis.objects.filter(key=self._row_key(key)).update(data=value, pending=False)
        if not updated:
            try:
                with transaction.atomic():
                    ScenarioAnalysis.objects.create(key=self._row_key(key), data=value, pending=False)
            except IntegrityError:  # another worker stored it first: theirs is as good as ours
                pass

    def claim(self, key: str) -> bool:
        try:
            with transaction.atomic():
                ScenarioAnalysis.objects.create(key=self._row_key(key), data={}, pending=True)
            return True
        except IntegrityError:
            stale = timezone.now() - timedelta(seconds=self.CLAIM_STALE_S)
            return ScenarioAnalysis.objects.filter(key=self._row_key(key), pending=True, created__lt=stale).update(
                created=timezone.now()) == 1

    def release(self, key: str) -> None:
        ScenarioAnalysis.objects.filter(key=self._row_key(key), pending=True).delete()


_local_limiters: dict[int, LocalRateLimiter] = {}


def _local_limiter(organization_id: int, requests_per_minute: int, tokens_per_minute: int) -> LocalRateLimiter:
    """This process's limiter for the organization, rebuilt when its budget changes."""
    limiter = _local_limiters.get(organization_id)
    if limiter is None or (limiter.rpm, limiter.tpm) != (max(1, requests_per_minute), max(1, tokens_per_minute)):
        limiter = _local_limiters[organization_id] = LocalRateLimiter(
            requests_per_minute=requests_per_minute, tokens_per_minute=tokens_per_minute)
    return limiter


def llm_limiter_for(organization: Organization, *, max_wait_s: float = 90.0):
    if settings.REDIS_URL:
        return RedisRateLimiter(url=settings.REDIS_URL, organization_id=organization.id,
                                requests_per_minute=organization.llm_requests_per_minute,
                                tokens_per_minute=organization.llm_tokens_per_minute, max_wait_s=max_wait_s)
    return BoundedLocalRateLimiter(
        _local_limiter(organization.id, organization.llm_requests_per_minute, organization.llm_tokens_per_minute),
        max_wait_s=max_wait_s)


# When the running task must be done (time.monotonic()): the analogy task sets it to its start plus its soft time
# limit. Outside a task (the console's connection test, a shell) the limit counts from now.
task_deadline: ContextVar[float | None] = ContextVar("task_deadline", default=None)
# What the task still needs after the LLM gave up: the built-in engine's answer and the save.
LLM_DEADLINE_MARGIN_S = 2.0


def llm_budget_s() -> float:
    """How long this analogy's LLM work (analysis, rate-limit waits, retries, repair) may take: it ends one call
    timeout and a margin before the task's deadline, because a call started just before the budget ends may
    still run for its own timeout. Never more than the engine's default budget."""
    from workshop.engine import LLMConfig

    deadline = task_deadline.get() or time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT
    left = deadline - time.monotonic() - settings.LLM_TIMEOUT_SECONDS - LLM_DEADLINE_MARGIN_S
    return min(max(left, 0.1), LLMConfig.model_fields["budget_s"].default)


def llm_base_url_blocked(url: str) -> bool:
    """True when an organization's base URL is written as an address on the server's own network (or as
    localhost) that LLM_ALLOWED_HOSTS does not allow. Names are checked on every connection instead."""
    from workshop.engine.llm import EgressPolicy

    return EgressPolicy.from_entries(settings.LLM_ALLOWED_HOSTS).literal_refused(url)


def llm_config_for(organization: Organization, *, with_hooks: bool = True):
    """The organization's endpoint, else the environment's; None when neither names a model endpoint.

    Endpoint and key travel as a pair: an organization with its own base URL uses its own key only, so the
    server's OPENAI_API_KEY is never sent to an address an organization admin typed in, and the organization's
    key only to the address it was entered for. An address an admin typed may reach the server's own network
    only where LLM_ALLOWED_HOSTS allows it; the operator's OPENAI_BASE_URL is trusted wherever it points.
    Analyses made through an organization's own endpoint or key are kept for that organization alone."""
    from workshop.engine import LLMConfig
    from workshop.engine.llm.egress import endpoint_entry

    allowed = settings.LLM_ALLOWED_HOSTS
    if organization.llm_base_url:
        base_url, api_key = organization.llm_base_url, organization.llm_api_key()
    else:  # the operator's endpoint, with the organization's own key if it entered one for it
        base_url, api_key = settings.OPENAI_BASE_URL or None, settings.OPENAI_API_KEY
        allowed = allowed + endpoint_entry(base_url)
        if organization.has_llm_api_key:
            api_key = organization.llm_api_key()
    own = bool(organization.llm_base_url or organization.has_llm_api_key)
    if not base_url and not api_key:
        return None
    budget_s = llm_budget_s()
    hooks = {"limiter": llm_limiter_for(organization, max_wait_s=budget_s),
             "analysis_cache": DatabaseAnalysisCache()} if with_hooks else {}
    return LLMConfig(
        base_url=base_url, api_key=api_key, model=organization.llm_model or settings.OPENAI_MODEL,
        timeout_s=settings.LLM_TIMEOUT_SECONDS, budget_s=budget_s,
        requests_per_minute=organization.llm_requests_per_minute,
        tokens_per_minute=organization.llm_tokens_per_minute, allowed_hosts=allowed,
        analysis_scope=f"org-{organization.id}" if own else "server", **hooks,
    )
