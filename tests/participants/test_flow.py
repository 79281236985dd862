"""The participant's whole path through the test client: profile a page at a time, before, analogy,
after, summary, and 'delete my data'."""

from django.db import connection
from django.urls import reverse

from tests import factories
from tests.participants.test_join import join
from workshop.participants.answers import emotion_choices
from workshop.participants.instruments import instrument
from workshop.participants.models import Analogy, Participant, Response
from workshop.participants.services import analogy_run
from workshop.tenancy.middleware import PARTICIPANT_COOKIE
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import organization_scope, unscoped

MEMORY = "The choir gave my solo to the new tenor and nobody told me why."
REFLECTION = "I never noticed how often we do this to the quiet ones."


def me(workshop) -> Participant:
    with unscoped():
        return Participant.objects.get(workshop=workshop)


def answer_profile(client, workshop, *, memory=MEMORY):
    tool = instrument(workshop.instrument)
    for page in range(1, tool.pages + 1):
        data = {f"item_{item.number}": 4 for item in tool.page_items(page)}
        response = client.post(reverse("participants:profile_personality", args=[page]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("participants:profile_values"), {"values": ["benevolence", "achievement", "security"]})
    client.post(reverse("participants:profile_life"), {"domains": "choir, baking bread", "avoid": "dogs"})
    return client.post(reverse("participants:profile_memories"), {"memory_1": memory})


def write_analogies(workshop):
    with unscoped():
        pending = list(Analogy.objects.filter(participant__workshop=workshop, state="pending"))
    with organization_scope(workshop.organization_id):
        for analogy in pending:
            analogy_run(analogy_id=analogy.id)


def test_the_profile_is_a_few_short_pages_saved_as_the_participant_goes(client, workshop_a):
    join(client, workshop_a)
    assert client.get(reverse("participants:profile"))["Location"] == reverse("participants:profile_personality",
                                                                               args=[1])
    client.post(reverse("participants:profile_personality", args=[1]), {f"item_{i}": 5 for i in range(1, 6)})
    # The connection drops; coming back later continues where they were.
    assert client.get(reverse("participants:profile"))["Location"] == reverse("participants:profile_personality",
                                                                               args=[2])
    assert len(me(workshop_a).personality_answers) == 5
    assert "traits" in me(workshop_a).profile


def test_values_must_be_exactly_three(client, workshop_a):
    join(client, workshop_a)
    response = client.post(reverse("participants:profile_values"), {"values": ["power", "security"]})
    assert "Please pick exactly three (you picked 2)." in response.content.decode()


def test_the_whole_path_from_profile_to_summary(client, workshop_a):
    join(client, workshop_a)
    response = answer_profile(client, workshop_a)
    assert response["Location"] == reverse("participants:scenario", args=[1])
    participant = me(workshop_a)
    assert participant.step == "scenarios" and participant.profile["values"] == ["benevolence", "achievement",
                                                                                   "security"]
    assert participant.profile["traits"]["extraversion"] == 4.0 and participant.profile["avoid"] == ["dogs"]
    write_analogies(workshop_a)
    with unscoped():
        scenarios = [ws.scenario for ws in workshop_a.workshop_scenarios.order_by("position")]
    for position, scenario in enumerate(scenarios, 1):
        page = client.get(reverse("participants:scenario", args=[position])).content.decode()
        assert "Before your analogy" in page and "article" not in page  # no analogy before the first answers
        targets = [e["label"] for e in scenario.emotions]
        distractor = next(c for c in emotion_choices(participant=me(workshop_a), scenario=scenario) if c not in targets)
        factories.answer_before(client, position, labels=[distractor], understanding=2)
        page = client.get(reverse("participants:scenario", args=[position])).content.decode()
        assert 'class="card analogy"' in page
        response = client.post(reverse("participants:after", args=[position]), {
            "labels": targets, "intensity": 4, "understanding": 6, "reflection": REFLECTION,
            "share_reflection": "share" if position == 1 else "private", "resonance": 5})
        assert response.status_code == 302
    assert response["Location"] == reverse("participants:done")
    assert me(workshop_a).step == "done"
    summary = client.get(reverse("participants:done")).content.decode()
    assert "0% match" in summary and "100% match" in summary
    with unscoped():
        shared = list(Response.objects.filter(participant=me(workshop_a)).order_by("scenario_id")
                      .values_list("share_reflection", flat=True))
    assert sorted(shared) == [False, True]


def test_double_submits_and_second_tabs_do_not_duplicate_anything(client, workshop_a):
    join(client, workshop_a)
    answer_profile(client, workshop_a)
    again = client.post(reverse("participants:profile_memories"), {"memory_1": "another memory"})
    assert again.status_code == 302
    with unscoped():
        assert Analogy.objects.filter(participant__workshop=workshop_a).count() == 2
    factories.answer_before(client, 1, labels=["hurt"])
    factories.answer_before(client, 1, labels=["joy"])  # the back button, a resubmit: the first answer stays
    with unscoped():
        response = Response.objects.get(participant__workshop=workshop_a)
    assert response.pre_labels == ["hurt"]


def test_memories_and_reflections_are_encrypted_at_rest(client, workshop_a):
    join(client, workshop_a)
    answer_profile(client, workshop_a)
    write_analogies(workshop_a)
    factories.answer_before(client, 1)
    client.post(reverse("participants:after", args=[1]), {
        "labels": ["hurt"], "intensity": 3, "understanding": 5, "reflection": REFLECTION,
        "share_reflection": "private", "resonance": 4})
    with connection.cursor() as cursor:
        cursor.execute("SELECT memories, profile FROM participants_participant")
        memories, profile = cursor.fetchone()
        cursor.execute("SELECT reflection FROM participants_response")
        (reflection,) = cursor.fetchone()
    assert "choir gave my solo" not in memories and "choir gave my solo" not in str(profile)
    assert "quiet ones" not in reflection
    with unscoped():
        assert Response.objects.get().reflection == REFLECTION  # and the participant still reads it


def test_the_facilitator_never_sees_a_memory_or_a_private_reflection(client, workshop_a, org_a):
    join(client, workshop_a)
    answer_profile(client, workshop_a)
    write_analogies(workshop_a)
    factories.answer_before(client, 1)
    client.post(reverse("participants:after", args=[1]), {
        "labels": ["hurt"], "intensity": 3, "understanding": 5, "reflection": REFLECTION,
        "share_reflection": "private", "resonance": 4})
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:workshop", args=[workshop_a.public_id])).content.decode()
    assert "Robin" in page and "choir gave my solo" not in page and "quiet ones" not in page


def test_delete_my_data_removes_everything_personal_and_keeps_an_anonymous_count(client, workshop_a):
    join(client, workshop_a)
    answer_profile(client, workshop_a)
    write_analogies(workshop_a)
    factories.answer_before(client, 1)
    page = client.get(reverse("participants:delete")).content.decode()
    assert "What stays: only an anonymous count" in page
    response = client.post(reverse("participants:delete"))
    assert "Your data is deleted" in response.content.decode()
    assert response.cookies[PARTICIPANT_COOKIE].value == ""
    participant = me(workshop_a)
    assert participant.deleted_at and participant.pseudonym == "" and participant.profile == {}
    assert participant.memories == "" and participant.personality_answers == {}
    with unscoped():
        assert not Analogy.objects.filter(participant=participant).exists()
        assert not Response.objects.filter(participant=participant).exists()
        assert Participant.objects.filter(workshop=workshop_a).count() == 1  # the anonymous count
    assert client.get(reverse("participants:home")).status_code == 404
    with unscoped():
        event = AuditEvent.objects.get(action="participant.delete_data")
    assert event.organization_id == workshop_a.organization_id and "Robin" not in str(event.detail)


def test_a_tipi_workshop_asks_ten_items_on_two_pages(client, org_a):
    workshop = factories.open_workshop(org_a)
    with unscoped():
        type(workshop).objects.filter(pk=workshop.pk).update(instrument="tipi")
        workshop.refresh_from_db()
    join(client, workshop)
    page = client.get(reverse("participants:profile_personality", args=[1])).content.decode()
    assert "Extraverted, enthusiastic." in page and "page 1 of 2" in page
    assert client.get(reverse("participants:profile_personality", args=[3])).status_code == 404


def test_hostile_and_unusual_text_is_kept_and_shown_escaped(client, workshop_a):
    join(client, workshop_a, name="Dalia")
    answer_profile(client, workshop_a, memory="<script>alert('x')</script> שלום 🌻")
    write_analogies(workshop_a)
    factories.answer_before(client, 1)
    client.post(reverse("participants:after", args=[1]), {
        "labels": ["hurt"], "intensity": 3, "understanding": 5, "reflection": "<img src=x onerror=alert(1)> 마음",
        "share_reflection": "share", "resonance": 4})
    client.post(reverse("participants:after", args=[1]), {"labels": ["hurt"]})  # incomplete: a clear error
    page = client.get(reverse("participants:after", args=[1])).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; 마음" in page


def test_the_participant_can_switch_to_korean(client, workshop_a):
    join(client, workshop_a)
    page = client.get(reverse("participants:profile_personality", args=[1]) + "?lang=ko").content.decode()
    assert '<html lang="ko">' in page and "이 문장이 당신을 얼마나 정확하게 설명하나요?" in page
    assert me(workshop_a).language == "ko"
    assert '<html lang="ko">' in client.get(reverse("participants:profile_values")).content.decode()


def test_the_live_status_speaks_the_participants_language(client, workshop_a, as_participant):
    participant, token = factories.joined_participant(workshop_a, "Jiwoo", domains=["hiking"])
    as_participant(token)
    factories.answer_before(client, 1)
    english = client.get(reverse("participants:analogy_status", args=[1])).json()
    korean = client.get(reverse("participants:analogy_status", args=[1]) + "?lang=ko").json()
    assert english == {"state": "pending", "label": "Queued"}
    assert korean["state"] == "pending" and korean["label"] != "Queued" and korean["label"]
