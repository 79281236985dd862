"""Who may download which packet: a participant's packet reaches that participant only; staff download the
facilitator packet and see only the state of the others. Every download is audit-logged, refusals look like
'not found'.

Until issue 13, staff (admins and facilitators) could download every participant's packet from the console;
these tests now assert the opposite."""

import pytest
from django.urls import reverse

from tests import factories
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_file_store
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped

PERSONAL_PDF = b"%PDF-1.7 Zephyrine's private reflection"
ROOM_PDF = b"%PDF-1.7 the room in aggregate"


def ready_packet(workshop, participant=None) -> DebriefPacket:
    """A packet stored as the task stores it (a participant's encrypted)."""
    with unscoped():
        packet = DebriefPacket.objects.create(
            organization_id=workshop.organization_id, workshop=workshop, participant=participant,
            kind="participant" if participant else "facilitator", state="done")
        name = packet_file_store(packet=packet, pdf=PERSONAL_PDF if participant else ROOM_PDF)
        DebriefPacket.objects.filter(pk=packet.pk).update(file=name)
        packet.refresh_from_db()
    return packet


@pytest.fixture
def packets(org_a):
    workshop = factories.open_workshop(org_a, title="Acme listening session")
    participant, token = factories.joined_participant(workshop, "Zephyrine")
    return {"personal": ready_packet(workshop, participant), "room": ready_packet(workshop), "token": token,
            "workshop": workshop}


def download(client, packet):
    return client.get(reverse("facilitator:packet_download", args=[packet.public_id]))


def downloads_logged():
    with unscoped():
        return list(AuditEvent.objects.filter(action="packet.download").values_list("detail", flat=True))


@pytest.mark.parametrize("role", ["admin", "facilitator", "analyst"])
def test_every_staff_role_downloads_the_facilitator_packet_with_a_meaningful_name(client, org_a, packets, role):
    client.force_login(getattr(org_a, role))
    room = download(client, packets["room"])

    assert room.status_code == 200 and room["Content-Type"] == "application/pdf"
    assert b"".join(room.streaming_content) == ROOM_PDF
    assert "debrief-acme-listening-session-facilitator-" in room["Content-Disposition"]
    assert [d["kind"] for d in downloads_logged()] == ["facilitator"]


@pytest.mark.parametrize("role", ["admin", "facilitator", "analyst"])
def test_no_staff_role_can_download_a_participants_packet(client, org_a, packets, role):
    client.force_login(getattr(org_a, role))
    response = download(client, packets["personal"])

    assert response.status_code == 404
    assert b"private reflection" not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert downloads_logged() == []


def test_the_workshop_page_shows_each_participants_packet_state_but_no_way_to_open_it(client, org_a, packets):
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:workshop", args=[packets["workshop"].public_id])).content.decode()

    assert "Zephyrine <span class=\"muted\">(ready)</span>" in page
    assert packets["personal"].public_id not in page
    assert reverse("facilitator:packet_download", args=[packets["room"].public_id]) in page


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


def test_a_participant_downloads_only_their_own_decrypted_and_it_is_logged(client, org_a, packets, as_participant):
    as_participant(packets["token"])

    own = client.get(reverse("participants:packet_download", args=[packets["personal"].public_id]))
    room = client.get(reverse("participants:packet_download", args=[packets["room"].public_id]))

    assert own.status_code == 200 and "zephyrine" in own["Content-Disposition"]
    assert b"".join(own.streaming_content) == PERSONAL_PDF
    assert room.status_code == 404
    assert downloads_logged() == [{"kind": "participant", "by": "participant"}]


def test_another_participant_of_the_same_workshop_cannot_download_it(client, packets, as_participant):
    _, token = factories.joined_participant(packets["workshop"], "Quillon")
    as_participant(token)

    assert client.get(reverse("participants:packet_download", args=[packets["personal"].public_id])
                      ).status_code == 404
    assert downloads_logged() == []
