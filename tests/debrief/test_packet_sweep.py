"""A packet whose message was lost, or whose worker was killed, is queued again by the periodic sweeper."""

import pytest

from tests import factories
from tests.conftest import wait_for
from workshop.celery import app
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packets_sweep
from workshop.tenancy.scope import unscoped

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_lost_or_abandoned_packet_is_built_after_the_sweep(celery_worker, org_a, monkeypatch):
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Swept", domains=["rowing"])
    with unscoped():
        lost = DebriefPacket.objects.create(organization=org_a.org, workshop=workshop, participant=participant,
                                            kind="participant")
        abandoned = DebriefPacket.objects.create(organization=org_a.org, workshop=workshop, kind="facilitator",
                                                 state="running")
        fresh = DebriefPacket.objects.create(organization=org_a.org, workshop=workshop, participant=participant,
                                             kind="participant")
        DebriefPacket.objects.filter(pk__in=[lost.pk, abandoned.pk]).update(updated="2000-01-01T00:00:00Z")
        assert packets_sweep() == 2  # the fresh one may still be on its way: left alone

    def built():
        with unscoped():
            return set(DebriefPacket.objects.filter(state="done").values_list("pk", flat=True))

    assert wait_for(lambda: {lost.pk, abandoned.pk} <= built(), what="the swept packets")
    with unscoped():
        assert DebriefPacket.objects.get(pk=fresh.pk).state == "pending"


def test_the_packet_sweeper_runs_every_minute():
    assert app.conf.beat_schedule["sweep-packets"] == {"task": "debrief.sweep_packets", "schedule": 60.0}
