"""A circuit breaker for Redis (REDIS_URL: the queue and the cache), kept per process.

A Redis that hangs (a stopped process, a full network buffer) accepts connections and then answers nothing, so
every call waits for its socket timeout. Without a memory of that, each request of a join would wait again:
the rate limit's two cache calls, then each analogy's message. Once one call failed, the breaker stays open for
REDIS_BREAKER_SECONDS: callers skip Redis at once (the rate limit fails open, the analogy row stays pending for
the sweeper). Then exactly one call, in one thread, tries Redis again; if it answers the breaker closes, if not
it opens for another window. So a hung Redis costs each web process one short timeout per window.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis
from django.conf import settings

log = logging.getLogger(__name__)


class Breaker:
    """Open after a failure for `seconds`; then one caller (the prober) tries again while the others skip."""

    def __init__(self, name: str, seconds: Callable[[], float], clock: Callable[[], float] = time.monotonic):
        self.name = name
        self._seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._prober: int | None = None
        self._last_failure: BaseException | None = None
        self.openings = 0  # how often it opened in this process (tests and logs read it)

    def allow(self) -> bool:
        """May this call use the service now?"""
        if not self._open_until:
            return True
        with self._lock:
            if not self._open_until:
                return True
            if self._clock() < self._open_until:
                return self._prober == threading.get_ident()
            # The window is over: this thread tries once more; the others keep skipping until it knows.
            self._open_until = self._clock() + self._seconds()
            self._prober = threading.get_ident()
            return True

    def succeeded(self) -> None:
        if self._open_until:
            with self._lock:
                if self._open_until:
                    log.info("%s answers again", self.name)
                self._open_until, self._prober = 0.0, None

    def failed(self, exc: BaseException) -> None:
        seconds = self._seconds()
        with self._lock:
            if exc is self._last_failure:  # the same error again, as it leaves a call that wraps another
                return
            self._last_failure = exc
            self._open_until, self._prober = self._clock() + seconds, None
            self.openings += 1
        log.warning("%s did not answer (%s: %s); not tried again for %ss", self.name, type(exc).__name__, exc,
                    seconds)

    def reset(self) -> None:
        with self._lock:
            self._open_until, self._prober, self._last_failure = 0.0, None, None


redis_breaker = Breaker("Redis", lambda: settings.REDIS_BREAKER_SECONDS)


class Skipped(redis.ConnectionError):
    """The call was not even tried: Redis failed a moment ago (see the breaker)."""


_FAILURES = (redis.ConnectionError, redis.TimeoutError)


def timed_out(exc: BaseException) -> bool:
    """Did this error (or one it was raised from) come from a server that did not answer in time?"""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, TimeoutError | redis.TimeoutError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


class _Guarded:
    """A redis-py connection that asks the breaker first and tells it how each call went."""

    def connect(self, *args, **kwargs):
        if not redis_breaker.allow():
            raise Skipped("Redis failed a moment ago: not tried")
        try:
            return super().connect(*args, **kwargs)
        except Skipped:
            raise
        except _FAILURES as exc:
            redis_breaker.failed(exc)
            raise

    def send_packed_command(self, *args, **kwargs):
        if not redis_breaker.allow():
            raise Skipped("Redis failed a moment ago: not tried")
        try:
            return super().send_packed_command(*args, **kwargs)  # connects first if it must
        except Skipped:
            raise
        except _FAILURES as exc:
            redis_breaker.failed(exc)
            raise

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except _FAILURES as exc:
            redis_breaker.failed(exc)
            raise
        redis_breaker.succeeded()
        return response


_guarded_classes: dict[type, type] = {}


def _guarded(connection_class: type) -> type:
    guarded = _guarded_classes.get(connection_class)
    if guarded is None:
        guarded = _guarded_classes[connection_class] = type(
            f"Guarded{connection_class.__name__}", (_Guarded, connection_class), {})
    return guarded


class GuardedConnectionPool(redis.ConnectionPool):
    """Django's Redis cache with the breaker: CACHES[...]["OPTIONS"]["pool_class"]. Keeps the connection class
    the URL asks for (TLS for rediss://, a Unix socket for unix://)."""

    def __init__(self, connection_class: type = redis.Connection, **kwargs):
        super().__init__(connection_class=_guarded(connection_class), **kwargs)
