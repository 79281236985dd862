"""Organization A with one of everything the API serves, and the markers that must never reach anyone else."""

from __future__ import annotations

from django.core.files.base import ContentFile

from tests import factories
from tests.tenancy.test_scope import _scenario_yaml
from workshop.debrief.models import DebriefPacket
from workshop.participants.models import Analogy
from workshop.participants.models import Response as Answer
from workshop.scenarios.services import scenario_import
from workshop.tenancy.scope import unscoped

PDF = b"%PDF-1.4\n% test packet\n"


def build_world(team) -> dict:
    workshop = factories.open_workshop(team, title="Acme secret session")
    participant, token = factories.joined_participant(workshop, "Zephyrine", memory="my secret canoe trip")
    with unscoped():
        own = scenario_import(organization=team.org, raw=_scenario_yaml("acme-private").encode())[0]
        Answer.objects.create(organization=team.org, participant=participant,
                              scenario=workshop.workshop_scenarios.first().scenario,
                              reflection="my private reflection about grief", share_reflection=False)
        analogy = Analogy.objects.filter(participant=participant).order_by("pk").first()
        Analogy.objects.filter(pk=analogy.pk).update(state="failed", error="boom")
        packet = DebriefPacket.objects.create(organization=team.org, workshop=workshop, participant=participant,
                                              kind="participant", state="done")
        packet.file.save("acme.pdf", ContentFile(PDF))
        facilitator_packet = DebriefPacket.objects.create(organization=team.org, workshop=workshop,
                                                          kind="facilitator", state="done")
        facilitator_packet.file.save("acme-facilitator.pdf", ContentFile(PDF))
    return {
        "workshop": workshop, "participant": participant, "participant_token": token, "analogy": analogy,
        "packet": packet, "facilitator_packet": facilitator_packet, "scenario": own,
        "markers": ["Acme secret session", "Zephyrine", "secret canoe", "Private scenario", "private reflection",
                    workshop.public_id, workshop.join_token, participant.public_id, analogy.public_id,
                    packet.public_id, facilitator_packet.public_id, token],
    }
