"""Celery's threads pool, with the task time limits it otherwise ignores.

Production runs workers with ``--pool=threads`` (generation mostly waits on the LLM, and 25 threads cost far
less memory than 25 processes). Celery's own threads pool drops ``soft_time_limit`` and ``time_limit``; this one
keeps them: a watchdog thread raises SoftTimeLimitExceeded in the task's thread when its soft limit is reached
(the analogy task then answers with the built-in engine), and TimeLimitExceeded at its hard limit (the task
fails and its row is marked so). workshop/celery.py makes ``--pool=threads`` mean this pool.

A thread cannot be killed, only interrupted while it runs Python code: a call blocked in C (a socket read)
takes the exception when it returns. Every wait in the product's tasks has its own timeout below the soft
limit (Redis, the LLM call and its whole budget), and a row a task still holds past ANALOGY_STUCK_SECONDS is
taken back by the sweeper, whose claim check keeps the late task from writing over the new one.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

from celery.concurrency import thread
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded

log = logging.getLogger(__name__)

_LIMITS = (SoftTimeLimitExceeded, TimeLimitExceeded)


def _raise_in_thread(thread_id: int, exc_type: type[BaseException] | None) -> None:
    """Make `exc_type` raise in that thread at its next Python instruction (None withdraws a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc_type) if exc_type else None)


class Watchdog:
    """One thread for the whole pool: a heap of deadlines, each raised in its task's thread if still running."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._cond = threading.Condition()
        self._running: dict[int, tuple[int, str]] = {}  # token -> (thread id, what runs)
        self._deadlines: list[tuple[float, int, int, type[BaseException], float]] = []
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, what: str, soft: float | None, hard: float | None) -> int:
        token = next(self._tokens)
        now = self._clock()
        with self._cond:
            self._running[token] = (threading.get_ident(), what)
            for limit, exc_type in ((soft, SoftTimeLimitExceeded), (hard, TimeLimitExceeded)):
                if limit:
                    heapq.heappush(self._deadlines, (now + limit, token, id(exc_type), exc_type, limit))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="time-limits", daemon=True)
                self._thread.start()
            self._cond.notify()
        return token

    def done(self, token: int) -> None:
        with self._cond:
            thread_id, _ = self._running.pop(token, (None, ""))
            if thread_id is not None:
                _raise_in_thread(thread_id, None)  # a limit reached as the task returned: nothing to interrupt

    def limited(self, target: Callable, what: str, soft: float | None, hard: float | None) -> Callable:
        def run(*args, **kwargs):
            token = self.watch(what, soft, hard)
            try:
                return target(*args, **kwargs)
            finally:
                while True:
                    try:
                        self.done(token)
                        break
                    except _LIMITS:  # it landed on the way out, after the task had returned
                        continue

        return run

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._deadlines or self._deadlines[0][0] > self._clock():
                    self._cond.wait(None if not self._deadlines else self._deadlines[0][0] - self._clock())
                _, token, _, exc_type, limit = heapq.heappop(self._deadlines)
                running = self._running.get(token)
                if running is None:
                    continue
                thread_id, what = running
                _raise_in_thread(thread_id, exc_type)
            if exc_type is SoftTimeLimitExceeded:
                log.warning("soft time limit (%ss) exceeded for %s: interrupting it", limit, what)
            else:
                log.error("hard time limit (%ss) exceeded for %s: interrupting it", limit, what)


class TaskPool(thread.TaskPool):
    """The threads pool, with each task's soft and hard time limits (the task's own, else the worker's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.watchdog = Watchdog()

    def on_apply(self, target, args=None, kwargs=None, callback=None, accept_callback=None,
                 soft_timeout: float | None = None, timeout: float | None = None, **options):
        soft = soft_timeout or self.options.get("soft_timeout")  # the worker's --soft-time-limit
        hard = timeout or self.options.get("timeout")  # and its --time-limit
        if soft or hard:
            what = "/".join(str(a) for a in (args or ())[:2] if isinstance(a, str)) or "a task"
            target = self.watchdog.limited(target, what, soft, hard)
        return super().on_apply(target, args, kwargs, callback, accept_callback, **options)
