"""Deletion deletes: after "Delete my data" (or the retention purge), no packet and no export holds that
person's words. Their own packets go; the facilitator packet, which holds shared reflections, is made again
without them, by the worker, never inside the request. Reflections hidden from the wall stay out of it too."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import wait_for
from tests.debrief.conftest import build_room, pdf_text
from workshop.debrief import services
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_build_run, packet_pdf, packets_request_for_workshop
from workshop.participants.models import Response
from workshop.participants.retention import retention_purge
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import organization_scope, unscoped


def packets_of(workshop, kind: str | None = None) -> list[DebriefPacket]:
    with unscoped():
        packets = DebriefPacket.objects.filter(workshop=workshop).order_by("id")
        return list(packets.filter(kind=kind) if kind else packets)


def facilitator_packet_made(workshop) -> DebriefPacket:
    """The workshop's packets queued as on closing, and the facilitator packet made in this process (for the
    tests that run no worker)."""
    with unscoped():
        room = packets_request_for_workshop(workshop=workshop)[0]
    with organization_scope(workshop.organization_id):
        assert packet_build_run(packet_id=room.id) == "done"
    return packets_of(workshop, "facilitator")[0]


def room_text(packet: DebriefPacket) -> str:
    return pdf_text(packet_pdf(packet=packet))[0]


def delete_my_data(token: str):
    phone = Client()
    phone.cookies[PARTICIPANT_COOKIE] = token
    response = phone.post(reverse("participants:delete"))
    assert response.status_code == 200
    return response


def media_path(packet: DebriefPacket) -> Path:
    return Path(settings.MEDIA_ROOT) / packet.file.name


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The packets handed to the queue (no worker here: the message is recorded instead of sent)."""
    sent: list[int] = []
    monkeypatch.setattr(services, "packet_enqueue", lambda *, packet: sent.append(packet.id))
    return sent


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_deleting_my_data_rebuilds_the_facilitator_packet_without_my_words_through_the_queue(
        celery_worker, client, org_a):
    workshop, scenarios, members = build_room(org_a, people=6)  # even-numbered people share their reflection
    client.force_login(org_a.facilitator)
    client.post(reverse("facilitator:workshop_state", args=[workshop.public_id, "close"]))
    wait_for(lambda: all(p.state == "done" for p in packets_of(workshop)), timeout=120, what="the packets")
    [before] = packets_of(workshop, "facilitator")
    mine = [p for p in packets_of(workshop, "participant") if p.participant_id == members[0][0].id]
    slug = scenarios[0].slug
    assert f"Reflection of person 0 on {slug}." in room_text(before)

    delete_my_data(members[0][1])

    assert not media_path(before).exists() and not any(media_path(p).exists() for p in mine)
    [after] = wait_for(lambda: [p for p in packets_of(workshop, "facilitator") if p.state == "done"] or None,
                       timeout=120, what="the rebuilt facilitator packet")
    assert after.pk != before.pk
    assert [p.participant_id for p in packets_of(workshop, "participant")] == [m[0].id for m in members[1:]]
    download = client.get(reverse("facilitator:packet_download", args=[after.public_id]))
    text = pdf_text(b"".join(download.streaming_content))[0]
    assert "Reflection of person 0 on" not in text
    assert f"Reflection of person 2 on {slug}." in text  # the others' words stay
    assert client.get(reverse("facilitator:packet_download", args=[before.public_id])).status_code == 404


def test_the_rebuild_is_queued_and_never_made_in_the_request(org_a, monkeypatch, queued,
                                                            django_capture_on_commit_callbacks):
    workshop, _, members = build_room(org_a, people=6)
    before = facilitator_packet_made(workshop)

    def no_rendering(*, packet):
        raise AssertionError("a packet was rendered inside the request")

    monkeypatch.setattr(services, "packet_render", no_rendering)
    with django_capture_on_commit_callbacks(execute=True):
        delete_my_data(members[0][1])

    [rebuilt] = packets_of(workshop, "facilitator")
    assert rebuilt.pk != before.pk and rebuilt.state == "pending" and not rebuilt.file
    assert queued == [rebuilt.id] and not media_path(before).exists()


def test_someone_who_answered_nothing_leaves_the_facilitator_packet_as_it_is(org_a, queued,
                                                                           django_capture_on_commit_callbacks):
    workshop, _, members = build_room(org_a, people=6)
    with unscoped():
        Response.objects.filter(participant=members[1][0]).delete()
    before = facilitator_packet_made(workshop)

    with django_capture_on_commit_callbacks(execute=True):
        delete_my_data(members[1][1])

    assert packets_of(workshop, "facilitator") == [before] and queued == []


def test_the_retention_purge_rebuilds_the_facilitator_packet_once_without_their_words(
        org_a, queued, django_capture_on_commit_callbacks):
    workshop, scenarios, members = build_room(org_a, people=6)
    before = facilitator_packet_made(workshop)

    with django_capture_on_commit_callbacks(execute=True), organization_scope(org_a.org.id):
        purged = retention_purge(organization=org_a.org, now=timezone.now() + timedelta(days=400))

    assert purged == 6
    [rebuilt] = packets_of(workshop, "facilitator")
    assert rebuilt.pk != before.pk and queued == [rebuilt.id] and not media_path(before).exists()
    with organization_scope(org_a.org.id):
        assert packet_build_run(packet_id=rebuilt.id) == "done"
    with unscoped():
        rebuilt.refresh_from_db()
    text = room_text(rebuilt)
    assert "Reflection of person" not in text and scenarios[0].title in text  # the figures stay, no words


def test_hiding_a_reflection_on_the_wall_rebuilds_the_facilitator_packet_without_it(
        client, org_a, queued, django_capture_on_commit_callbacks):
    workshop, scenarios, members = build_room(org_a, people=6)
    before = facilitator_packet_made(workshop)
    with unscoped():
        hidden = Response.objects.get(participant=members[0][0], scenario=scenarios[0])
    client.force_login(org_a.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("facilitator:wall", args=[workshop.public_id]),
                    {"action": "hide", "response": hidden.pk})

    [rebuilt] = packets_of(workshop, "facilitator")
    assert rebuilt.pk != before.pk and queued == [rebuilt.id]
    with organization_scope(org_a.org.id):
        packet_build_run(packet_id=rebuilt.id)
    with unscoped():
        rebuilt.refresh_from_db()
    text = room_text(rebuilt)
    assert f"Reflection of person 0 on {scenarios[0].slug}." not in text
    assert f"Reflection of person 0 on {scenarios[1].slug}." in text


def test_the_anonymized_export_is_made_on_each_download_and_holds_no_deleted_words(client, org_a):
    workshop, scenarios, members = build_room(org_a, people=6)
    client.force_login(org_a.admin)

    def export() -> str:
        return client.get(reverse("facilitator:reports_people")).content.decode()

    assert f"Reflection of person 0 on {scenarios[0].slug}." in export()
    delete_my_data(members[0][1])
    after = export()
    assert "Reflection of person 0 on" not in after and f"Reflection of person 2 on {scenarios[0].slug}." in after
