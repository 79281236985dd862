"""Small factories for test data. They write with the scope's escape hatch, as fixtures must."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model

from workshop.engine import ProfileSpec
from workshop.participants.models import Participant
from workshop.participants.services import participant_join, participant_profile_save
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import library_load
from workshop.tenancy.models import Membership, Organization
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_create, workshop_open

PASSWORD = "correct horse battery staple"


def organization_with_members(slug: str) -> SimpleNamespace:
    with unscoped():
        org = Organization.objects.create(name=slug.title(), slug=slug)
        people = {}
        for role in ("admin", "facilitator", "analyst"):
            user = get_user_model().objects.create_user(f"{role}-{slug}", f"{role}@{slug}.example", PASSWORD)
            Membership.objects.create(organization=org, user=user, role=role)
            people[role] = user
    return SimpleNamespace(org=org, **people)


def builtin_scenarios() -> list[Scenario]:
    with unscoped():
        library_load()
        return list(Scenario.objects.filter(organization__isnull=True, is_current=True).order_by("slug"))


def open_workshop(team: SimpleNamespace, *, title: str = "Team workshop", scenarios: int = 2,
                  capacity: int = 40, generic_share: float = 0.0) -> Workshop:
    with unscoped():
        chosen = builtin_scenarios()[:scenarios]
        workshop = workshop_create(organization_id=team.org.id, owner=team.facilitator, title=title,
                                   scenarios=chosen, capacity=capacity, generic_share=generic_share)
        return workshop_open(workshop=workshop, actor=team.facilitator)


def open_llm_workshop(team: SimpleNamespace, llm_server, *, scenarios: int = 2) -> Workshop:
    """An open workshop whose analogies the LLM writes, the organization pointed at the stand-in LLM server."""
    with unscoped():
        Organization.objects.filter(pk=team.org.pk).update(llm_base_url=llm_server.base_url, llm_model="fake-model")
        workshop = open_workshop(team, scenarios=scenarios)
        Workshop.objects.filter(pk=workshop.pk).update(engine=Workshop.Engine.OPENAI)
        workshop.refresh_from_db()
    return workshop


def joined_participant(workshop: Workshop, name: str = "Robin", *, domains=("amateur football",),
                       memory: str = "", with_profile: bool = True) -> tuple[Participant, str]:
    with unscoped():
        participant, token = participant_join(workshop=workshop, pseudonym=name)
        if with_profile:
            profile = ProfileSpec.model_validate({
                "name": name, "domains": list(domains),
                "experiences": [{"text": memory}] if memory else [],
            })
            participant_profile_save(participant=participant, profile=profile)
        participant.refresh_from_db()
    return participant, token


def answer_before(client, position: int = 1, *, labels=("hurt",), intensity: int = 3, understanding: int = 4):
    """Post the 'before' questions of a scenario as the participant whose cookie the client holds."""
    from django.urls import reverse

    return client.post(reverse("participants:scenario", args=[position]),
                       {"labels": list(labels), "intensity": intensity, "understanding": understanding})
