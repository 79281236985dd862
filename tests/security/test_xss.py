"""Hostile text in every field people type (participants and facilitators) comes back as text: escaped in
every HTML page that shows it, literal in the PDF packets, and never as a script, an event handler or a
javascript: link. Oversized input (100 KB) gets a form error, never a 500."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests import factories
from tests.debrief.conftest import answer, finish_analogies, pdf_text
from tests.debrief.test_closed_fetcher import render_both
from tests.security.markup import inline_code, script_sources
from workshop.participants.models import Participant
from workshop.scenarios.services import scenario_import
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.services import workshop_create, workshop_open, workshop_wall_set

SCRIPT = '<script>alert("xss")</script>'
HOSTILE = f'{SCRIPT}"><img src=x onerror=alert(1)><a href="javascript:alert(2)">link</a> \u202eevil\u202c 🌻'
SHORT = '"><img src=x onerror=alert(1)>'  # fits the 40-character name
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"
HUGE = "x" * 100_000


@pytest.fixture
def hostile(org_a):
    """Organization, scenario, workshop, participant and answers, every text field carrying a payload."""
    with unscoped():
        org_a.org.name = f"Acme {HOSTILE}"
        org_a.org.anonymity_k = 3
        org_a.org.save()
    spec = {"slug": "hostile", "title": f"Title {HOSTILE}",
            "narrative": " ".join(["Nadia waits while the team decides without her."] * 8) + " " + HOSTILE,
            "perspective": {"name": f"Nadia {SHORT}", "role": f"Nurse {SHORT}"},
            "emotions": [{"label": "hurt", "intensity": 0.7}, {"label": "frustration", "intensity": 0.5}],
            "themes": ["exclusion"], "discussion_prompts": [f"Prompt {HOSTILE}"]}
    with organization_scope(org_a.org.id):
        scenario = scenario_import(organization=org_a.org, raw=json.dumps(spec).encode(), filename="s.json")[0]
    with unscoped():
        workshop = workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title=f"Session {HOSTILE}",
                                   scenarios=[scenario], capacity=40)
        workshop = workshop_open(workshop=workshop, actor=org_a.facilitator)
    phone = Client()
    joined = phone.post(reverse("participants:join", args=[workshop.join_token]), {"pseudonym": SHORT, "consent": "on"})
    assert joined.status_code == 302
    life = phone.post(reverse("participants:profile_life"), {"domains": f"chess, {HOSTILE}", "avoid": SHORT})
    assert life.status_code == 302, life.content.decode()[:2000]
    memories = phone.post(reverse("participants:profile_memories"), {"memory_1": f"My chess club {HOSTILE}"})
    assert memories.status_code == 302, memories.content.decode()[:2000]
    with unscoped():
        participant = Participant.objects.get(workshop=workshop)
    finish_analogies(participant)
    factories.answer_before(phone, 1)
    after = phone.post(reverse("participants:after", args=[1]), {
        "labels": ["hurt"], "intensity": 4, "understanding": 5, "reflection": f"Mine {HOSTILE}",
        "share_reflection": "share", "resonance": 4})
    assert after.status_code == 302, after.content.decode()[:2000]
    others = []
    for i in range(2):  # the room's packet needs k people
        other, _ = factories.joined_participant(workshop, f"Peer{i}", domains=["rowing"])
        finish_analogies(other)
        answer(other, scenario, before=["hurt"], after=["hurt"], reflection=f"Peer {HOSTILE}", share=True)
        others.append(other)
    with unscoped():
        workshop_wall_set(workshop=workshop, revealed=True, actor=org_a.facilitator)
        workshop.refresh_from_db()
    return {"workshop": workshop, "scenario": scenario, "participant": participant, "phone": phone}


def assert_inert(name, body):
    problems = inline_code(body)
    assert not problems, f"{name}: {problems}"
    assert all(src and src.startswith("/static/") for src in script_sources(body)), name
    assert SCRIPT not in body and "<img src=x" not in body, name


def test_every_page_shows_hostile_text_escaped_and_runs_none_of_it(client, org_a, hostile):
    workshop, scenario, phone = hostile["workshop"], hostile["scenario"], hostile["phone"]
    participant_pages = {
        "home": reverse("participants:home"), "scenario": reverse("participants:scenario", args=[1]),
        "after": reverse("participants:after", args=[1]), "done": reverse("participants:done"),
        "packet": reverse("participants:packet"),
    }
    client.force_login(org_a.admin)
    console_pages = {
        "workshops": reverse("facilitator:home"),
        "workshop": reverse("facilitator:workshop", args=[workshop.public_id]),
        "projector": reverse("facilitator:projector", args=[workshop.public_id]),
        "monitor": reverse("facilitator:monitor", args=[workshop.public_id]),
        "monitor_live": reverse("facilitator:monitor_live", args=[workshop.public_id]),
        "scenarios": reverse("facilitator:scenarios"), "scenario": reverse("facilitator:scenario", args=[scenario.pk]),
        "scenario_edit": reverse("facilitator:scenario_edit", args=[scenario.pk]),
        "settings": reverse("facilitator:organization"), "audit": reverse("facilitator:audit"),
    }
    shown = set()
    for who, browser, pages in (("participant", phone, participant_pages), ("admin", client, console_pages)):
        for name, url in pages.items():
            response = browser.get(url)
            assert response.status_code == 200, f"{who} {name}: {response.status_code}"
            body = response.content.decode()
            assert_inert(f"{who} {name}", body)
            if ESCAPED_SCRIPT in body:
                shown.add(f"{who} {name}")
    # The payload really reached the pages that display people's words (so the checks above had work to do).
    for page in ("participant home", "participant scenario", "participant after", "admin workshops",
                 "admin workshop", "admin projector", "admin monitor",
                 "admin scenario", "admin scenario_edit"):
        assert page in shown, f"{page} did not show the hostile text at all"


def pdf_words(pdf: bytes) -> str:
    """The packet's text without spacing, hyphenation or case (headings are set in capitals)."""
    return "".join(pdf_text(pdf)[0].replace("\x00", "").split()).replace("\u2010", "").lower()


def test_the_packets_print_hostile_text_literally_with_no_active_content(hostile):
    workshop, participant = hostile["workshop"], hostile["participant"]
    mine, room, fetcher = render_both(workshop, participant)
    literal = "".join(SCRIPT.split()).lower()
    for name, pdf, places in (("participant", mine, ("Title", "Mine", "Prompt")),
                              ("facilitator", room, ("Session", "Prompt", "Peer"))):
        words = pdf_words(pdf)
        for place in places:
            assert f"{place.lower()}{literal}" in words, f"{name} packet: {place} is not printed as text"
        assert "<imgsrc=xonerror=alert(1)>" in words
        assert b"/JavaScript" not in pdf and b"/JS " not in pdf and b"/Launch" not in pdf and b"/URI" not in pdf
        reader = PdfReader(io.BytesIO(pdf))
        assert all("/Annots" not in page for page in reader.pages), f"{name} packet has links or attachments"
    assert fetcher.refused == []


@pytest.mark.parametrize("page, field", [
    ("participants:profile_life", "domains"),
    ("participants:profile_memories", "memory_1"),
    ("participants:after", "reflection"),
])
def test_a_100_kb_answer_gets_a_form_error_and_is_not_stored(workshop_a, page, field):
    answering = page == "participants:after"  # the profile pages are open until the profile is done
    participant, token = factories.joined_participant(workshop_a, "Verbose", domains=["choir"],
                                                      with_profile=answering)
    phone = Client()
    phone.cookies[PARTICIPANT_COOKIE] = token
    if answering:
        finish_analogies(participant)
        factories.answer_before(phone, 1)
    data = {"domains": "choir", "labels": ["hurt"], "intensity": 3, "understanding": 4, "resonance": 3,
            "share_reflection": "private", field: HUGE}
    response = phone.post(reverse(page, args=[1]) if page == "participants:after" else reverse(page), data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    with unscoped():
        stored = Participant.objects.get(pk=participant.pk)
        assert HUGE not in json.dumps(stored.profile) and not stored.responses.filter(reflection=HUGE).exists()


def test_a_100_kb_name_or_workshop_title_gets_a_form_error(client, org_a, workshop_a):
    response = client.post(reverse("participants:join", args=[workshop_a.join_token]),
                           {"pseudonym": HUGE, "consent": "on"})
    assert response.status_code == 200 and "at most 40 characters" in response.content.decode()
    client.force_login(org_a.facilitator)
    response = client.post(reverse("facilitator:workshop_new"), {"title": HUGE, "capacity": 30, "language": "en"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(reverse("facilitator:scenario_new"), {"title": "T", "narrative": HUGE})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
