"""Task time limits hold on the pool production uses (`--pool=threads`, where Celery's own pool ignores them).

Two lines of defence, each with a real worker: the analogy task's LLM work has a deadline of its own, below the
task's soft limit (an LLM that never answers ends in the built-in engine's analogy, in time, in one attempt);
and the pool itself raises the soft and hard limits in a task that has no deadline of its own.
"""

import re

import pytest

from tests import factories
from tests.conftest import wait_for

from .conftest import all_done
from .hang_app import HARD_S, SOFT_S, hang, mark

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

SOFT_LIMIT_S, LLM_TIMEOUT_S = 10, 2


def test_an_llm_that_never_answers_ends_in_the_builtin_analogy_before_the_soft_limit(start_worker, llm_workshop,
                                                                                      llm_server):
    llm_server.hold("analogy")  # the analysis is answered; every analogy request waits, unanswered, for 60 s
    worker = start_worker("deadline", pool="threads", concurrency=1, LLM_TIMEOUT_SECONDS=str(LLM_TIMEOUT_S),
                          TASK_SOFT_TIME_LIMIT=str(SOFT_LIMIT_S), TASK_TIME_LIMIT=str(SOFT_LIMIT_S + 5))
    for name in ("Ana", "Bo"):  # one thread: Bo's analogy starts only once Ana's task gave its thread back
        factories.joined_participant(llm_workshop, name, domains=["rowing"])
    rows = wait_for(lambda: all_done(llm_workshop, 2), timeout=120, what="both analogies, from the built-in engine")
    llm_server.release()

    for analogy in rows:
        assert analogy.engine == "builtin" and analogy.attempts == 1 and analogy.text
        assert "timeout" in analogy.fallback_reason, analogy.fallback_reason
    # Each task ran past a few unanswered calls and ended before its soft limit, by its own deadline: the pool
    # never had to interrupt it. (The worker logs a task's run time just after the row is saved.)
    runtimes = wait_for(lambda: _runtimes(worker.log()) if len(_runtimes(worker.log())) == 2 else None, timeout=30,
                        what="the worker to log both tasks' run times")
    assert all(2 * LLM_TIMEOUT_S <= s < SOFT_LIMIT_S for s in runtimes), runtimes
    log = worker.log()
    assert "time limit" not in log, log[-3000:]
    assert len(llm_server.chat_requests("analogy")) >= 4  # at least two calls each, none answered


def _runtimes(log: str) -> list[float]:
    return [float(s) for s in re.findall(r"analogy_generate\[[^]]+\] succeeded in ([0-9.]+)s", log)]


def test_the_threads_pool_raises_the_soft_and_the_hard_limit_in_a_task_with_no_deadline(start_worker, tmp_path):
    worker = start_worker("limits", pool="threads", concurrency=1, app="tests.faults.hang_app")
    hung, after = tmp_path / "hang", tmp_path / "mark"
    hang.delay(str(hung))
    mark.delay(str(after))  # behind it, on the worker's only thread

    wait_for(after.exists, timeout=60, what="the next task, once the hard limit freed the thread")
    soft_line, hard_line = hung.read_text().split("\n")[:2]
    soft_s, hard_s = float(soft_line.split()[1]), float(hard_line.split()[1])
    # Each at its limit, counted from when the pool started the task (a few milliseconds before its body ran).
    assert SOFT_S - 0.2 <= soft_s < HARD_S - 0.2 <= hard_s, hung.read_text()
    log = worker.log()
    assert "soft time limit (2s) exceeded for tests.hang" in log and "hard time limit (4s) exceeded" in log, log[-3000:]


def test_a_task_without_limits_of_its_own_gets_the_workers(tmp_path):
    """The pool alone, in this process: the worker's --soft-time-limit and --time-limit apply to a task that
    names none, and a task that ends in time is never interrupted afterwards."""
    import threading
    import time

    from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded

    from workshop.pool import TaskPool

    pool = TaskPool(limit=2, soft_timeout=0.3, timeout=0.6)
    seen: list[str] = []
    finished = threading.Event()

    def hangs():
        try:
            while True:
                time.sleep(0.01)
        except SoftTimeLimitExceeded:
            seen.append("soft")
        try:
            while True:
                time.sleep(0.01)
        except TimeLimitExceeded:
            seen.append("hard")
            finished.set()

    def quick():
        seen.append("quick")

    pool.apply_async(quick, callback=lambda result: None)
    pool.apply_async(hangs, callback=lambda result: None)
    assert finished.wait(timeout=30), seen
    time.sleep(0.5)  # past the quick task's own limits: nothing lands in its thread any more
    assert sorted(seen) == ["hard", "quick", "soft"]
    pool.on_stop()
