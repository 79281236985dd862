from django.urls import reverse

from tests import factories
from workshop.debrief.models import DebriefPacket
from workshop.tenancy.scope import unscoped


def test_a_participants_token_never_opens_another_participants_pages(client, workshop_a, as_participant):
    mine, my_token = factories.joined_participant(workshop_a, "Mine", memory="my brother's wedding speech")
    theirs, _ = factories.joined_participant(workshop_a, "Theirs", memory="the night the orchestra left me out")
    with unscoped():
        their_packet = DebriefPacket.objects.create(organization_id=theirs.organization_id, workshop=workshop_a,
                                                    participant=theirs, kind="participant", state="done")
    as_participant(my_token)
    home = client.get(reverse("participants:home")).content.decode()
    assert "Mine" in home and "Theirs" not in home
    assert client.get(reverse("participants:packet_download", args=[their_packet.public_id])).status_code == 404
    for position in (1, 2):
        page = client.get(reverse("participants:scenario", args=[position])).content.decode()
        assert "orchestra" not in page


def test_a_participant_of_one_workshop_cannot_use_its_cookie_in_another(client, org_a, as_participant):
    first = factories.open_workshop(org_a, title="First")
    second = factories.open_workshop(org_a, title="Second")
    _, token = factories.joined_participant(first, "Nomad")
    as_participant(token)
    response = client.get(reverse("participants:join", args=[second.join_token]))
    assert response.status_code == 200  # a fresh join page, not the first workshop's participant
    assert "Second" in response.content.decode()


def test_the_token_is_stored_only_as_a_hash(workshop_a):
    participant, token = factories.joined_participant(workshop_a, "Hashed")
    assert token not in participant.token_hash and len(participant.token_hash) == 64
