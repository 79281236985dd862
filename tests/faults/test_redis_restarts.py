"""Redis goes away and comes back, again and again, while people join: the worker keeps serving (or what supervises
it starts it again), and every analogy written while Redis was away is done once it is back.

The worker runs as production runs it: the threads pool, through deploy/supervise as the Procfile does, with
gossip, mingle and heartbeats. The Redis killed here is a throwaway one; the shared Redis is never touched.
"""

import logging
import subprocess
import time

import pytest
from kombu import Connection, Consumer, Producer, Queue

from tests import factories
from tests.conftest import wait_for
from workshop.participants.models import Analogy
from workshop.participants.tasks import sweep_analogies
from workshop.tenancy.scope import unscoped

from .conftest import analogies_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

CYCLES = 20


def test_a_connection_whose_redis_died_closes_without_an_unrecoverable_error(own_redis):
    """The kombu bug behind "'NoneType' object has no attribute 'hostname'", step by step (workshop/celery.py):
    a channel waiting on BRPOP and a channel holding an unacknowledged message, then Redis dies. Without the
    workaround, closing the connection raises that AttributeError, which a worker treats as unrecoverable."""
    conn = Connection(own_redis.url, transport_options={"socket_timeout": 2, "socket_connect_timeout": 1})
    holding = conn.default_channel
    Producer(holding).publish({"n": 1}, routing_key="work", declare=[Queue("work")])
    received = []
    Consumer(holding, [Queue("work")], callbacks=[lambda body, message: received.append(message)]).consume()
    conn.drain_events(timeout=5)
    waiting = conn.channel()
    Consumer(waiting, [Queue("idle")], callbacks=[lambda body, message: None]).consume()
    try:
        conn.drain_events(timeout=0.2)  # nothing comes: both channels are left waiting on BRPOP
    except TimeoutError:
        pass
    assert len(received) == 1 and len(holding.qos._delivered) == 1 and waiting._in_poll

    own_redis.kill()
    conn.collect(socket_timeout=1)  # what the worker's consumer does after a connection loss, then close()
    conn.close()
    assert holding.closed and waiting.closed


def test_the_worker_serves_through_twenty_redis_restarts_and_finishes_what_each_outage_left(start_worker, own_broker,
                                                                                           org_a, settings, caplog):
    settings.REDIS_BREAKER_SECONDS = 1  # the web side tries Redis again a second after a refused message
    workshop = factories.open_workshop(org_a, scenarios=1)
    worker = start_worker("restarts", pool="threads", concurrency=4, supervised=True, quiet=False,
                          ANALOGY_PENDING_SECONDS="1")
    left_behind, joined_after = [], []
    for cycle in range(CYCLES):
        # Every other outage is a crash (SIGKILL), the others a clean stop (SIGTERM).
        if cycle % 2 == 0:
            own_broker.kill()
        else:
            own_broker.stop()
        participant, _ = factories.joined_participant(workshop, f"During outage {cycle}")
        with unscoped():
            assert Analogy.objects.get(participant=participant).state == "pending"
        left_behind.append(participant)
        own_broker.start()  # empty, as Redis without persistence comes back
        time.sleep(1.1)  # the row is now older than the worker's ANALOGY_PENDING_SECONDS, the breaker closed
        # This web process's next join sends its analogy at once, on a new connection (the old one died).
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="workshop.participants.services"):
            after, _ = factories.joined_participant(workshop, f"After outage {cycle}")
        assert "could not enqueue" not in caplog.text, f"cycle {cycle + 1}: {caplog.text}"
        joined_after.append(after)
        # What beat does every 30 s: send the sweep. The worker, reconnected, re-sends the pending row and writes it.
        sweep_analogies.apply_async(retry=True, retry_policy={"max_retries": 10, "interval_start": 0.2})
        wait_for(lambda p=participant, a=after: _done(p) and _done(a), timeout=90,
                 what=f"cycle {cycle + 1}: the worker to write the analogies of the outage and of the join after it")

    rows = analogies_in(workshop)
    assert len(rows) == 2 * CYCLES and all(a.state == "done" and a.version == 1 for a in rows)
    assert {a.participant_id for a in rows} == {p.id for p in left_behind + joined_after}
    log = worker.log()
    assert "'NoneType' object has no attribute 'hostname'" not in log, log[-5000:]
    assert worker.proc.poll() is None, "the supervisor itself stopped"


def _done(participant) -> bool:
    with unscoped():
        return Analogy.objects.get(participant=participant).state == "done"


def test_supervise_starts_a_command_again_and_passes_a_stop_on(tmp_path):
    """deploy/supervise, which the Procfile runs every process through: a command that exits is started again; TERM
    reaches the command and ends the loop."""
    from .conftest import SUPERVISE

    counter = tmp_path / "starts"
    script = f"echo start >> {counter}; if [ $(wc -l < {counter}) -lt 3 ]; then exit 1; fi; exec sleep 60"
    proc = subprocess.Popen([str(SUPERVISE), "bash", "-c", script], stderr=subprocess.PIPE, text=True,
                            env={"SUPERVISE_DELAY": "0.1", "PATH": "/usr/bin:/bin"})
    try:
        wait_for(lambda: counter.exists() and counter.read_text().count("start") == 3, timeout=30, interval=0.1,
                 what="the command to be started three times")
        time.sleep(0.3)
        assert proc.poll() is None
        proc.terminate()
        assert proc.wait(timeout=10) != 0  # sleep ended by the TERM it was passed
        assert counter.read_text().count("start") == 3  # and nothing started it again
        assert proc.stderr.read().count("starting it again") == 2
    finally:
        if proc.poll() is None:
            proc.kill()


def test_every_long_lived_process_is_started_again_by_what_runs_it():
    """The Procfile runs each long-lived process through deploy/supervise (honcho and foreman restart nothing);
    each systemd unit that runs one restarts it whatever the exit, and never gives up."""
    from .conftest import SUPERVISE

    deploy = SUPERVISE.parent
    entries = dict(line.split(":", 1) for line in (deploy / "Procfile").read_text().splitlines()
                   if line and not line.startswith("#"))
    assert {"web", "worker", "recovery", "beat"} <= entries.keys()
    for name, command in entries.items():
        if name != "release":
            assert command.split()[0] == "deploy/supervise", name
    assert "--queues=recovery" in entries["recovery"] and "--queues" not in entries["worker"]
    for unit in ("empathy-web.service", "empathy-worker@.service", "empathy-recovery.service",
                 "empathy-beat.service"):
        text = (deploy / "systemd" / unit).read_text()
        assert "\nRestart=always\n" in text and "\nStartLimitIntervalSec=0\n" in text, unit
