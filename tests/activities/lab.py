"""A workshop with the active-listening lab (and, if asked, a commitment after it), and phones for it."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from tests import factories
from workshop.activities.kinds import ActivityKind
from workshop.participants.models import Participant
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped
from workshop.workshops.activities import ActivityPlan
from workshop.workshops.models import Workshop, WorkshopActivity
from workshop.workshops.services import workshop_create, workshop_open


def lab_workshop(team, *, kinds=(ActivityKind.LISTENING,), title: str = "Listening session") -> Workshop:
    with unscoped():
        scenario = next(s for s in factories.builtin_scenarios() if s.slug == "decided-at-the-whiteboard")
        plan = [ActivityPlan(kind, scenario) for kind in kinds]
        workshop = workshop_create(organization_id=team.org.id, owner=team.facilitator, title=title,
                                   scenarios=[scenario], capacity=40, activities=plan)
        return workshop_open(workshop=workshop, actor=team.facilitator)


@dataclass
class Phone:
    participant: Participant
    token: str
    client: Client

    def get(self, path: str, **params):
        return self.client.get(path, params)

    def post(self, path: str, data: dict):
        return self.client.post(path, data)

    @property
    def id(self) -> int:
        return self.participant.id


def phones(workshop: Workshop, names: list[str], *, language: str = "en") -> list[Phone]:
    out = []
    for name in names:
        participant, token = factories.joined_participant(workshop, name, with_profile=False)
        if language != "en":
            with unscoped():
                Participant.objects.filter(pk=participant.pk).update(language=language)
        client = Client()
        client.cookies[PARTICIPANT_COOKIE] = token
        out.append(Phone(participant, token, client))
    return out


def activity_of(workshop: Workshop, kind: str = ActivityKind.LISTENING) -> WorkshopActivity:
    with unscoped():
        return WorkshopActivity.objects.get(workshop=workshop, kind=kind)


def lab_path(activity: WorkshopActivity) -> str:
    return f"/p/a/{activity.position}/"


def room_state(activity: WorkshopActivity) -> dict:
    with unscoped():
        return WorkshopActivity.objects.get(pk=activity.pk).room_state
