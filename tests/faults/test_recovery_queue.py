"""The sweep that recovers what an outage left behind runs on its own queue: a backlog of analogies does not
delay it. (Before, the sweeper shared the analogies' queue and a recovery sweep waited about 33 s behind them.)"""

from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from tests import factories
from tests.conftest import wait_for
from workshop.celery import RECOVERY_QUEUE, WORK_QUEUE, app
from workshop.participants.models import Analogy
from workshop.participants.tasks import sweep_analogies
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

PARTICIPANTS = 200  # an analogy or more each: hundreds queued


def test_a_sweep_runs_at_once_behind_a_backlog_of_analogies(start_worker, own_broker, org_a):
    workshop = factories.open_workshop(org_a, scenarios=2, capacity=PARTICIPANTS)
    with app.connection_for_write() as connection:  # both queues bound, as a worker's start leaves them
        for queue in app.amqp.queues.values():
            queue(connection.default_channel).declare()
    for i in range(PARTICIPANTS):  # no worker yet: every analogy waits in the queue
        factories.joined_participant(workshop, f"P{i}")
    with unscoped():
        stuck = Analogy.objects.filter(participant__workshop=workshop).order_by("pk").last()
        # A row a killed worker left 'running' an hour ago: the sweep takes it back, which is how we see it ran.
        Analogy.objects.filter(pk=stuck.pk).update(state="running", claim="killed", updated=timezone.now()
                                                   - timedelta(hours=1))
    sweep_analogies.delay()
    queues = redis.Redis.from_url(own_broker.url)
    backlog = queues.llen(WORK_QUEUE)
    assert backlog >= PARTICIPANTS and queues.llen(RECOVERY_QUEUE) == 1  # each message in its own queue only

    start_worker("backlog", pool="threads", concurrency=2, ANALOGY_STUCK_SECONDS="60")
    done_when_swept = wait_for(lambda: _done_once_swept(workshop, stuck), timeout=120, interval=0.05,
                               what="the sweep to take the stuck row back")[0]
    # The sweep ran after at most a few of the queued analogies, not behind all of them.
    assert done_when_swept < backlog // 10, f"the sweep ran after {done_when_swept} of {backlog} analogies"
    with unscoped():
        rows = Analogy.objects.filter(participant__workshop=workshop).count()
    wait_for(lambda: _done(workshop) == rows, timeout=300, what="every analogy, the row taken back among them")


def _done(workshop) -> int:
    with unscoped():
        return Analogy.objects.filter(participant__workshop=workshop, state="done").count()


def _done_once_swept(workshop, stuck) -> tuple[int] | None:
    with unscoped():
        swept = Analogy.objects.filter(pk=stuck.pk).exclude(state="running").exists()
    return (_done(workshop),) if swept else None
