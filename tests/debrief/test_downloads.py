"""Who may download which packet: every download is audit-logged, refusals look like 'not found'."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests import factories
from workshop.debrief.models import DebriefPacket
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped


def ready_packet(workshop, participant=None) -> DebriefPacket:
    with unscoped():
        packet = DebriefPacket.objects.create(
            organization_id=workshop.organization_id, workshop=workshop, participant=participant,
            kind="participant" if participant else "facilitator", state="done")
        packet.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return packet


@pytest.fixture
def packets(org_a):
    workshop = factories.open_workshop(org_a, title="Acme listening session")
    participant, token = factories.joined_participant(workshop, "Zephyrine")
    return {"personal": ready_packet(workshop, participant), "room": ready_packet(workshop), "token": token}


def download(client, packet):
    return client.get(reverse("facilitator:packet_download", args=[packet.public_id]))


def downloads_logged():
    with unscoped():
        return list(AuditEvent.objects.filter(action="packet.download").values_list("detail", flat=True))


@pytest.mark.parametrize("role", ["admin", "facilitator"])
def test_staff_download_their_organizations_packets_with_meaningful_names(client, org_a, packets, role):
    client.force_login(getattr(org_a, role))
    personal, room = download(client, packets["personal"]), download(client, packets["room"])

    assert personal.status_code == room.status_code == 200
    assert personal["Content-Type"] == "application/pdf"
    assert "debrief-acme-listening-session-zephyrine-" in personal["Content-Disposition"]
    assert "debrief-acme-listening-session-facilitator-" in room["Content-Disposition"]
    assert [d["kind"] for d in downloads_logged()] == ["facilitator", "participant"]


def test_an_analyst_gets_the_anonymous_facilitator_packet_but_no_personal_one(client, org_a, packets):
    client.force_login(org_a.analyst)

    assert download(client, packets["room"]).status_code == 200
    assert download(client, packets["personal"]).status_code == 404
    assert [d["kind"] for d in downloads_logged()] == ["facilitator"]


@pytest.mark.parametrize("role", ["admin", "facilitator", "analyst"])
def test_the_other_organization_gets_nothing(client, org_b, packets, role):
    client.force_login(getattr(org_b, role))

    assert download(client, packets["personal"]).status_code == 404
    assert download(client, packets["room"]).status_code == 404
    assert downloads_logged() == []


def test_anonymous_visitors_are_sent_to_sign_in(client, packets):
    response = download(client, packets["room"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_packet_still_being_made_is_not_found(client, org_a, packets):
    with unscoped():
        DebriefPacket.objects.filter(pk=packets["room"].pk).update(state="running")
    client.force_login(org_a.facilitator)
    assert download(client, packets["room"]).status_code == 404


def test_a_participant_downloads_only_their_own_and_it_is_logged(client, org_a, packets, as_participant):
    as_participant(packets["token"])

    own = client.get(reverse("participants:packet_download", args=[packets["personal"].public_id]))
    room = client.get(reverse("participants:packet_download", args=[packets["room"].public_id]))

    assert own.status_code == 200 and "zephyrine" in own["Content-Disposition"]
    assert room.status_code == 404
    assert downloads_logged() == [{"kind": "participant", "by": "participant"}]
