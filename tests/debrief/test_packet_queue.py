"""Packets are rows filled by tasks; closing a workshop builds them all through a real worker."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import wait_for
from tests.debrief.conftest import build_room, pdf_text
from workshop.celery import app
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_build_run, packet_pdf, packets_request_for_workshop
from workshop.debrief.tasks import packet_build
from workshop.tenancy.scope import organization_scope, unscoped


def packets_of(workshop):
    with unscoped():
        return list(DebriefPacket.objects.filter(workshop=workshop).select_related("participant").order_by("id"))


def test_packet_tasks_have_time_limits_below_the_visibility_timeout_and_workers_recycle():
    assert packet_build.soft_time_limit < packet_build.time_limit < settings.CELERY_VISIBILITY_TIMEOUT
    assert packet_build.acks_late
    assert app.conf.worker_max_tasks_per_child and app.conf.worker_max_memory_per_child


def test_a_packet_is_claimed_once_and_a_failure_is_recorded(org_a):
    workshop, _, _ = build_room(org_a, people=1)
    with unscoped():
        packet = packets_request_for_workshop(workshop=workshop)[1]
    with organization_scope(org_a.org.id):
        assert packet_build_run(packet_id=packet.id) == "done"
        assert packet_build_run(packet_id=packet.id) == "skipped"
        DebriefPacket.objects.filter(pk=packet.id).update(state="pending", participant=None)
        assert packet_build_run(packet_id=packet.id) == "failed"
        assert "participant" in DebriefPacket.objects.get(pk=packet.id).error


def test_a_packet_left_running_by_a_killed_worker_can_be_claimed_again(org_a):
    workshop, _, _ = build_room(org_a, people=1)
    with unscoped():
        packet = packets_request_for_workshop(workshop=workshop)[0]
    with organization_scope(org_a.org.id):
        DebriefPacket.objects.filter(pk=packet.id).update(state="running")
        assert packet_build_run(packet_id=packet.id) == "skipped"  # a live worker may still be on it
        DebriefPacket.objects.filter(pk=packet.id).update(updated=timezone.now() - timedelta(minutes=10))
        assert packet_build_run(packet_id=packet.id) == "done"


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_closing_a_workshop_builds_every_packet_through_the_queue(celery_worker, client, org_a):
    workshop, scenarios, members = build_room(org_a, people=5)
    client.force_login(org_a.facilitator)

    client.post(reverse("facilitator:workshop_state", args=[workshop.public_id, "close"]))

    assert len(packets_of(workshop)) == 6
    page = client.get(reverse("facilitator:workshop", args=[workshop.public_id])).content.decode()
    assert "Debrief packets" in page and "<progress" in page
    wait_for(lambda: all(p.state == "done" for p in packets_of(workshop)), timeout=120, what="all six packets")
    packets = packets_of(workshop)
    assert sorted(p.kind for p in packets) == ["facilitator"] + ["participant"] * 5
    for packet in packets:
        text, _ = pdf_text(packet_pdf(packet=packet))
        if packet.kind == "facilitator":
            assert "Facilitator debrief packet" in text and "Person0" not in text
        else:
            name = packet.participant.pseudonym
            others = [p.pseudonym for p, _ in members if p.pseudonym != name]
            assert f"Prepared for {name}" in text and not any(f"Prepared for {o}" in text for o in others)
            assert f"Reflection of person {name.removeprefix('Person')} on" in text
            assert not any(f"Reflection of person {o.removeprefix('Person')} on" in text for o in others)
    page = client.get(reverse("facilitator:workshop", args=[workshop.public_id])).content.decode()
    assert "6</strong> of 6 ready" in page and "Download the facilitator packet" in page


def test_someone_who_deleted_their_data_gets_no_packet_on_close(org_a):
    workshop, _, members = build_room(org_a, people=2)
    with unscoped():
        members[0][0].__class__.objects.filter(pk=members[0][0].pk).update(deleted_at=timezone.now(), pseudonym="")
        packets = packets_request_for_workshop(workshop=workshop)
    assert [p.participant_id for p in packets] == [None, members[1][0].id]
