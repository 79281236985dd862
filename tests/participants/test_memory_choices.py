"""On the memory page a participant may also say what happened in each memory and how it felt. The choices are
stored with the memory, encrypted like it, reach the engine, and are never shown to staff."""

import json
import re

from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

import workshop.participants.services as services
from participants.forms import MEMORY_FEELINGS, MemoryEvent
from tests import factories
from tests.api.conftest import token_for
from tests.participants.test_flow import me
from tests.participants.test_join import join
from workshop.engine import EMOTIONS
from workshop.engine.vocabulary import MEMORY_EVENTS
from workshop.participants.instruments import instrument
from workshop.participants.models import Analogy, Participant
from workshop.participants.services import analogy_run, participant_experiences, participant_memories
from workshop.tenancy.scope import organization_scope, unscoped

MEMORY = "My running club booked the relay team dinner and I only saw it in the photos the next morning."


def answer_memories(client, **data):
    return client.post(reverse("participants:profile_memories"), data)


def reach_the_memory_page(client, workshop):
    join(client, workshop)
    tool = instrument(workshop.instrument)
    for page in range(1, tool.pages + 1):
        client.post(reverse("participants:profile_personality", args=[page]),
                    {f"item_{item.number}": 4 for item in tool.page_items(page)})
    client.post(reverse("participants:profile_values"), {"values": ["benevolence", "achievement", "security"]})
    client.post(reverse("participants:profile_life"), {"domains": "running club, cooking"})
    assert client.get(reverse("participants:profile"))["Location"] == reverse("participants:profile_memories")


def staff_api(team):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(team, 'admin')}")
    return client


def test_the_choices_are_declared_once_with_the_engines_ids():
    assert set(MemoryEvent.values) == set(MEMORY_EVENTS)
    assert set(MEMORY_FEELINGS) <= set(EMOTIONS) and len(MEMORY_FEELINGS) <= 10


def test_the_page_works_without_javascript_and_folds_the_choices_away(client, workshop_a):
    reach_the_memory_page(client, workshop_a)
    page = client.get(reverse("participants:profile_memories")).content.decode()
    # The only script is the check-in card's, which every phone page carries (it fetches the card while the
    # facilitator's poll is open); the memory page itself needs none.
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script src="/static/js/checkin.js" defer>'], scripts
    assert page.count('<details class="memory-more">') >= 1 and "<summary>" in page
    assert '<input type="checkbox" name="events_1" value="left_out"' in page
    assert '<input type="checkbox" name="feelings_1" value="hurt"' in page
    assert "I was left out" in page and "Someone else got the credit" in page
    # What a browser without JavaScript sends: the plain form fields.
    response = answer_memories(client, memory_1=MEMORY, events_1=["left_out", "not_credited"],
                               feelings_1=["hurt", "loneliness"])
    assert response.status_code == 302 and response["Location"] == reverse("participants:scenario", args=[1])
    assert participant_experiences(me(workshop_a)) == [
        {"text": MEMORY, "events": ["left_out", "not_credited"], "feelings": ["hurt", "loneliness"]}]


def test_the_choices_are_stored_encrypted_with_the_memory(client, workshop_a):
    reach_the_memory_page(client, workshop_a)
    answer_memories(client, memory_1=MEMORY, events_1=["not_credited"], feelings_1=["loneliness"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT memories, profile FROM participants_participant")
        memories, profile = cursor.fetchone()
    for plain in ("relay team dinner", "not_credited", "loneliness", "events", "feelings"):
        assert plain not in memories and plain not in str(profile), plain
    assert participant_memories(me(workshop_a)) == [MEMORY]  # the texts, for those who only need them


def test_the_choices_reach_the_engine(client, workshop_a, monkeypatch):
    reach_the_memory_page(client, workshop_a)
    answer_memories(client, memory_1=MEMORY, events_1=["left_out"], feelings_1=["hurt", "embarrassment"],
                    events_2=["blamed"])  # choices under a memory left empty go nowhere
    seen = []
    real = services.generate
    monkeypatch.setattr(services, "generate", lambda scenario, profile, **kw: seen.append(profile) or real(
        scenario, profile, **kw))
    with unscoped():
        analogy = Analogy.objects.filter(participant__workshop=workshop_a).first()
    with organization_scope(workshop_a.organization_id):
        assert analogy_run(analogy_id=analogy.id) == "done"
    [experience] = seen[0].experiences
    assert (experience.text, experience.events, experience.feelings) == (MEMORY, ["left_out"], ["hurt",
                                                                                                "embarrassment"])


def test_memories_stored_as_plain_texts_before_are_still_read(workshop_a):
    participant, _ = factories.joined_participant(workshop_a, "Older", memory="The choir went on tour without me.")
    with unscoped():  # how memories were stored before they carried choices: a list of texts
        participant.memories = json.dumps(["The choir went on tour without me."])
        participant.save(update_fields=["memories"])
        participant.refresh_from_db()
    assert participant_experiences(participant) == [
        {"text": "The choir went on tour without me.", "events": [], "feelings": []}]
    assert participant_memories(participant) == ["The choir went on tour without me."]
    with unscoped():
        analogy = Analogy.objects.filter(participant=participant).first()
    with organization_scope(workshop_a.organization_id):
        assert analogy_run(analogy_id=analogy.id) == "done"


def test_an_unknown_choice_is_an_error_on_the_page_not_a_crash(client, workshop_a):
    reach_the_memory_page(client, workshop_a)
    response = answer_memories(client, memory_1=MEMORY, events_1=["abducted_by_aliens"], feelings_1=["smug"])
    body = response.content.decode()
    assert response.status_code == 200 and me(workshop_a).step == Participant.Step.PROFILE
    assert body.count('role="alert"') >= 2 and "<details class=\"memory-more\" open>" in body


def test_staff_never_see_what_happened_or_how_it_felt(client, workshop_a, org_a, org_b):
    reach_the_memory_page(client, workshop_a)
    answer_memories(client, memory_1=MEMORY, events_1=["not_credited"], feelings_1=["helplessness"])
    words = [MemoryEvent.NOT_CREDITED.label, "not_credited", "helplessness", "relay team dinner"]
    client.force_login(org_a.facilitator)
    pages = [client.get(reverse(name, args=[workshop_a.public_id])).content.decode()
             for name in ("facilitator:workshop", "facilitator:monitor", "facilitator:monitor_live")]
    pages.append(staff_api(org_a).get("/api/v1/participants/").content.decode())
    for page in pages:
        assert "Robin" in page or "robin" in page.lower()
        assert not [w for w in words if re.search(re.escape(str(w)), page, re.IGNORECASE)]
    client.force_login(org_b.admin)  # and the outsider does not even find the workshop
    assert client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).status_code == 404
