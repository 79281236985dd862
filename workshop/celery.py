import logging
import os
from queue import Empty

from celery import Celery, concurrency
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")

log = logging.getLogger(__name__)

# Two queues, declared once. A worker started without -Q consumes both, so every worker command (production,
# `make demo`, `manage.py demo`'s temporary worker, the tests' workers) serves the recovery queue too. The
# sweepers and every beat task go to RECOVERY_QUEUE, so a backlog of analogies on WORK_QUEUE never holds back
# the sweep that re-sends what an outage left behind: a worker takes its next message from the queues in turn.
WORK_QUEUE = "celery"  # analogies, packets, reports, purges (Celery's default name, so nothing queued is lost)
RECOVERY_QUEUE = "recovery"
BEAT_SCHEDULE = {
    "sweep-analogies": {"task": "participants.sweep_analogies", "schedule": 30.0},
    "sweep-retention": {"task": "participants.sweep_retention", "schedule": 3600.0},
    "sweep-packets": {"task": "debrief.sweep_packets", "schedule": 60.0},
}

# Celery's threads pool ignores task time limits; `--pool=threads` (production's pool) runs ours, which keeps them.
concurrency.ALIASES["threads"] = "workshop.pool:TaskPool"

app = Celery("workshop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    # Workers recycle to bound memory (WeasyPrint and friends are not small).
    worker_max_tasks_per_child=200,
    worker_max_memory_per_child=400_000,  # KiB
    task_default_queue=WORK_QUEUE,
    # Each queue bound by its own name: with the default routing key for both, every message sent to one would
    # reach the other too (a direct exchange delivers to every queue bound with the message's key).
    task_queues=(Queue(WORK_QUEUE, routing_key=WORK_QUEUE), Queue(RECOVERY_QUEUE, routing_key=RECOVERY_QUEUE)),
    # Every beat task, wherever it is sent from (beat, a test, a shell), goes to the recovery queue.
    task_routes={entry["task"]: {"queue": RECOVERY_QUEUE} for entry in BEAT_SCHEDULE.values()},
    beat_schedule=BEAT_SCHEDULE,
)
app.autodiscover_tasks()


def _close_redis_channel_without_the_server():
    """Work around a kombu bug that makes a worker exit for good when Redis goes away (kombu 5.7.0, celery 5.7.0).

    After a connection loss the consumer closes the connection's channels. Closing a Redis channel first reads
    the reply of its pending BRPOP, and then puts its unacknowledged messages back, and both need the server: a
    connection error from either leaves the channel half-closed and stops the loop that closes the others.
    Such a channel is closed again once kombu has detached its transport from the connection; it then builds a
    new connection pool from the connection's parameters, finds None (``'NoneType' object has no attribute
    'hostname'`` in ``_connparams``), and the AttributeError, which is not a connection error, escapes
    Celery's cleanup as an "Unrecoverable error".

    Here a channel that cannot reach the server is closed all the same. What it could not put back stays in
    Redis's unacked set, which another worker restores after the visibility timeout; a Redis that lost it
    (no persistence) leaves rows the analogy sweeper sends again.
    """
    try:
        from kombu.transport import redis as kombu_redis
    except ImportError:  # pragma: no cover - redis is a dependency of the product
        return
    kombu_close = kombu_redis.Channel.close
    if getattr(kombu_close, "closes_without_the_server", False):
        return

    def close(self) -> None:
        if self._in_poll:
            try:
                self._brpop_read()  # clears _in_poll, whatever it raises
            except Empty:
                pass
            except self.connection_errors as exc:  # the reply went with the connection
                log.info("a Redis channel lost its pending BRPOP reply (%s)", type(exc).__name__)
        try:
            kombu_close(self)
        except self.connection_errors as exc:
            log.info("closed a Redis channel without the server (%s: %s)", type(exc).__name__, exc)

    close.closes_without_the_server = True
    kombu_redis.Channel.close = close


_close_redis_channel_without_the_server()
