"""The next question asks which feelings the person has: before it is answered, no page or packet names them."""

from django.urls import reverse

from tests import factories
from tests.participants.test_flow import write_analogies
from workshop.debrief.selectors import participant_packet_context
from workshop.engine.vocabulary import emotion_named
from workshop.participants.answers import emotion_choices
from workshop.participants.models import Analogy
from workshop.participants.services import analogy_run
from workshop.tenancy.scope import organization_scope, unscoped


def _answer_before(client, participant, analogy):
    with unscoped():
        choices = emotion_choices(participant=participant, scenario=analogy.scenario)
    response = factories.answer_before(client, 1, labels=[next(c for c in choices if c not in analogy.emotions)])
    assert response.status_code == 302


def _first_analogy(participant) -> Analogy:
    with unscoped():
        return Analogy.objects.filter(participant=participant, is_current=True).order_by("scenario_id").first()


def test_the_analogy_page_names_no_target_feeling_before_the_after_answers(client, workshop_a, as_participant):
    participant, token = factories.joined_participant(workshop_a, domains=("amateur football",))
    write_analogies(workshop_a)
    analogy = _first_analogy(participant)
    labels = list(analogy.emotions)
    with unscoped():  # an analogy written before the engine stopped listing the feelings in its mapping
        analogy.mapping = [*analogy.mapping, {"scenario": "lonely and hurt", "analogy": "lonely and hurt"}]
        analogy.save(update_fields=["mapping"])
    as_participant(token)
    _answer_before(client, participant, analogy)
    page = client.get(reverse("participants:scenario", args=[1])).content.decode()
    assert 'class="card analogy"' in page
    assert analogy.text[:40] in page
    for label in labels:
        assert not emotion_named(page.split('class="card analogy"', 1)[1].split("Continue", 1)[0], label), label
    assert "lonely and hurt" not in page
    with organization_scope(workshop_a.organization_id):
        first = participant_packet_context(participant=participant)["items"][0]
    assert first["feelings"] is None and all("lonely" not in p["analogy"] for p in first["mapping"])


def test_after_the_answers_the_mapping_and_the_packet_may_name_them(client, workshop_a, as_participant):
    participant, token = factories.joined_participant(workshop_a, domains=("amateur football",))
    write_analogies(workshop_a)
    analogy = _first_analogy(participant)
    with unscoped():
        analogy.mapping = [*analogy.mapping, {"scenario": "lonely and hurt", "analogy": "lonely and hurt"}]
        analogy.save(update_fields=["mapping"])
    as_participant(token)
    _answer_before(client, participant, analogy)
    client.post(reverse("participants:after", args=[1]), {
        "labels": list(analogy.emotions), "intensity": 4, "understanding": 6, "reflection": "",
        "share_reflection": "private", "resonance": 4})
    page = client.get(reverse("participants:scenario", args=[1])).content.decode()
    assert "lonely and hurt" in page
    with organization_scope(workshop_a.organization_id):
        first = participant_packet_context(participant=participant)["items"][0]
    assert first["feelings"] is not None


def test_the_built_in_engine_writes_no_feeling_into_the_text_or_the_mapping(workshop_a):
    participant, _ = factories.joined_participant(workshop_a, domains=("playing guitar in a pub band",))
    with unscoped():
        rows = list(Analogy.objects.filter(participant=participant))
    with organization_scope(workshop_a.organization_id):
        for row in rows:
            analogy_run(analogy_id=row.id)
    for row in rows:
        row.refresh_from_db()
        shown = " ".join([row.text, row.title, *(f"{p['scenario']} {p['analogy']}" for p in row.mapping)])
        assert not [label for label in row.emotions if emotion_named(shown, label)]
