"""Helpers for the tests of the stepped activities (empathy map, perspective-getting, bystander rehearsal): a
workshop made of them, phones that join it, and the pages' addresses."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests import factories
from workshop.scenarios.models import Scenario
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import unscoped
from workshop.workshops.activities import ActivityPlan
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_create, workshop_open

# The same bad input on every text field: each must come back as a message on the page, never a 500.
BAD_TEXT = {
    "huge": "x" * 5000,
    "nul": "before\x00after",
}
# ... and these are kept as written and shown as text.
ODD_TEXT = {
    "html": "<script>alert('x')</script><b>bold</b>",
    "emoji": "😢 left out 🙈",
    "rtl": "היא מרגישה בודדה",
}


def anonymity(team, k: int) -> None:
    """The organization's anonymity threshold, which the projector, monitor and packets use."""
    from workshop.tenancy.models import Organization

    with unscoped():
        Organization.objects.filter(pk=team.org.pk).update(anonymity_k=k)
    team.org.refresh_from_db()


def library(slug: str) -> Scenario:
    return next(s for s in factories.builtin_scenarios() if s.slug == slug)


def open_workshop_of(team, plans: list[tuple[str, str]], *, title: str = "Practice", language: str = "en"
                     ) -> Workshop:
    """An open workshop of (kind, scenario slug) activities, in that order."""
    with unscoped():
        activities = [ActivityPlan(kind, library(slug)) for kind, slug in plans]
        workshop = workshop_create(organization_id=team.org.id, owner=team.facilitator, title=title,
                                   scenarios=[], capacity=60, activities=activities, language=language)
        return workshop_open(workshop=workshop, actor=team.facilitator)


def phone(workshop: Workshop, name: str, *, language: str = "en"):
    """A participant who joined (no profile: these activities need none) and a browser holding their cookie."""
    participant, token = factories.joined_participant(workshop, name, with_profile=False)
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.cookies[PARTICIPANT_COOKIE] = token
    return participant, browser


def at(position: int, step: str | None = None) -> str:
    url = reverse("participants:activity", args=[position])
    return f"{url}?step={step}" if step else url


def record(participant, position: int = 1):
    from workshop.participants.models import ActivityRecord

    with unscoped():
        return ActivityRecord.objects.filter(participant=participant, activity__position=position).first()


def activity_at(workshop: Workshop, position: int = 1):
    with unscoped():
        return workshop.activities.select_related("scenario").get(position=position)


def page_text(response) -> str:
    return response.content.decode()
