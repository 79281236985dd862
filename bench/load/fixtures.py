"""Database side of the load runs, through the product's own services: an organization on the local LLM
server, a signed-in facilitator, an open workshop, participants prepared without the browser."""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

import workshop.participants.services as participant_services
from workshop.engine import ProfileSpec
from workshop.participants.answers import emotion_choices, response_after_save, response_before_save
from workshop.participants.models import Analogy, Participant
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Membership, Organization, Role
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_create, workshop_open

SCENARIO = "idea-repeated-by-someone-else"
DOMAINS = ["amateur football", "choir", "baking bread", "my guild in an online game", "hiking", "chess club",
           "caring for my father", "volunteering at the food bank", "jazz guitar", "swimming", "gardening", "pottery"]
PASSWORD = "load-facilitator-password-1"


def organization_on_llm(*, base_url: str, requests_per_minute: int, tokens_per_minute: int = 100_000_000
                        ) -> Organization:
    slug = f"load-{secrets.token_hex(4)}"
    with unscoped():
        return Organization.objects.create(name=slug, slug=slug, llm_base_url=base_url, llm_model="load-model",
                                           llm_requests_per_minute=requests_per_minute,
                                           llm_tokens_per_minute=tokens_per_minute)


def facilitator_create(*, organization: Organization) -> str:
    """A facilitator of the organization; returns "username:password" for the locust user that signs in."""
    username = f"{organization.slug}-facilitator"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    with organization_scope(organization.id):
        Membership.objects.create(organization=organization, user=user, role=Role.FACILITATOR)
    return f"{username}:{PASSWORD}"


def workshop_open_for(*, organization: Organization, owner_username: str | None, capacity: int,
                      engine: str = "openai") -> Workshop:
    """An open workshop with one library scenario, on the organization's LLM (engine 'openai') by default."""
    owner = get_user_model().objects.get(username=owner_username) if owner_username else None
    with unscoped():
        scenario = Scenario.objects.get(organization__isnull=True, slug=SCENARIO, is_current=True)
    with organization_scope(organization.id):
        workshop = workshop_create(organization_id=organization.id, owner=owner, title="Load", scenarios=[scenario],
                                   capacity=capacity, engine=engine)
        return workshop_open(workshop=workshop, actor=owner)


def participants_prepare(*, workshop: Workshop, n: int, answered_share: float = 0.0) -> list[str]:
    """n participants who joined and completed their profile (their analogies written as rows, not sent to
    the queue); `answered_share` of them also gave their before and after answers. Returns their tokens."""
    rng = random.Random(n)
    tokens = []
    with organization_scope(workshop.organization_id), participant_services_quiet():
        scenario = workshop.workshop_scenarios.select_related("scenario").first().scenario
        for i in range(n):
            participant, token = participant_services.participant_join(workshop=workshop, pseudonym=f"P{i}")
            profile = ProfileSpec(name=f"P{i}", domains=[DOMAINS[i % len(DOMAINS)]],
                                  experiences=[{"text": "When my team left me out of the final squad I felt I did "
                                                        "not belong."}])
            participant_services.participant_profile_save(participant=participant, profile=profile)
            tokens.append(token)
            if rng.random() < answered_share:
                labels = emotion_choices(participant=participant, scenario=scenario)[:2]
                response_before_save(participant=participant, scenario=scenario, labels=labels, intensity=3,
                                     understanding=3)
                response_after_save(participant=participant, scenario=scenario, labels=labels, intensity=4,
                                    understanding=5, reflection="It felt close to my own story." if i % 3 == 0
                                    else "", share_reflection=i % 3 == 0, resonance=4)
    return tokens


def participant_services_quiet():
    """Rows are written as usual; the messages are not sent, so a run decides when generation starts."""
    from common import analogies_not_enqueued

    return analogies_not_enqueued()


def analogies_of(workshop: Workshop):
    with unscoped():
        return Analogy.objects.filter(participant__workshop=workshop)


def analogies_enqueue(*, workshop: Workshop) -> int:
    pending = list(analogies_of(workshop).filter(state=Analogy.State.PENDING))
    for analogy in pending:
        participant_services.analogy_enqueue(analogy=analogy)
    return len(pending)


def analogies_reset(*, workshop: Workshop) -> None:
    """Every analogy back to 'pending', as before its first run (for the next repetition of a fan-out)."""
    # A fresh `updated`, so the beat's sweeper does not take them for lost and queue them a second time.
    analogies_of(workshop).update(state=Analogy.State.PENDING, attempts=0, text="", engine="", claim="",
                                  fallback_reason="", error="", updated=timezone.now())


def analogy_warm(*, workshop: Workshop) -> None:
    """One analogy written in this process first: the scenario analysis is then cached, as it is after a
    workshop's first participant (one call per scenario version and model, shared by every worker)."""
    first = analogies_of(workshop).order_by("id").first()
    with organization_scope(workshop.organization_id):
        participant_services.analogy_run(analogy_id=first.id)


def analogy_states(*, workshop: Workshop) -> dict[str, int]:
    return dict(analogies_of(workshop).values_list("state").annotate(c=Count("id")))


def analogy_summary(*, workshop: Workshop) -> dict:
    rows = analogies_of(workshop)
    return {"states": analogy_states(workshop=workshop),
            "engines": dict(rows.values_list("engine").annotate(c=Count("id"))),
            "fallbacks": rows.exclude(fallback_reason="").count(),
            "attempts": dict(rows.values_list("attempts").annotate(c=Count("id")))}


def joined_profiles(*, workshop: Workshop) -> dict[str, int]:
    with unscoped():
        return dict(Participant.objects.filter(workshop=workshop).values_list("step").annotate(c=Count("id")))


def workshop_refresh(workshop: Workshop) -> Workshop:
    with unscoped():
        return Workshop.objects.get(pk=workshop.pk)


# --- issue 15: rooms on the built-in engine, kept between runs ------------------------------------------------

@dataclass
class Room:
    workshop: Workshop
    tokens: list[str]
    session: str  # a signed-in facilitator's session cookie


def facilitator_session(*, username: str) -> str:
    """A session for the facilitator, as the login form would make it; returns the cookie value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def room_prepare(*, n: int, answered_share: float = 0.4, slug_prefix: str = "room") -> Room:
    """An open workshop on the built-in engine with n participants who completed their profile, their analogies
    written, `answered_share` of them with their before/after answers; made once and kept (the tokens are
    written to the var directory, since the database keeps only their hashes)."""
    from pathlib import Path

    from django.conf import settings

    slug = f"{slug_prefix}-{n}"
    tokens_file = Path(settings.VAR_DIR) / "rooms" / f"{slug}.tokens.json"
    with unscoped():
        org = Organization.objects.filter(slug=slug).first()
        workshop = Workshop.objects.filter(organization=org).first() if org else None
    if workshop is None or not tokens_file.exists():
        with unscoped():
            if org is not None:
                org.delete()
            org = Organization.objects.create(name=slug, slug=slug)
        credentials = facilitator_create(organization=org)
        workshop = workshop_open_for(organization=org, owner_username=credentials.split(":")[0], capacity=n + 10,
                                     engine="builtin")
        tokens = participants_prepare(workshop=workshop, n=n, answered_share=answered_share)
        analogies_of(workshop).update(state=Analogy.State.DONE, engine="builtin", text="Written.", title="Written")
        tokens_file.parent.mkdir(parents=True, exist_ok=True)
        tokens_file.write_text(json.dumps(tokens))
    tokens = json.loads(tokens_file.read_text())
    return Room(workshop=workshop, tokens=tokens, session=facilitator_session(username=f"{slug}-facilitator"))
