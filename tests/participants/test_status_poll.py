"""The status a waiting phone polls every few seconds: right, and cheap (a room of 2,000 polls ~670 times a
second), so it finds the participant and the state in one small query and never decrypts their memories."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from workshop.participants.models import Analogy
from workshop.tenancy import crypto
from workshop.tenancy.scope import unscoped


def test_the_poll_says_the_state_of_the_analogy_at_that_position(client, as_participant, workshop_a):
    participant, token = factories.joined_participant(workshop_a, "Robin", memory="my secret canoe trip")
    with unscoped():
        first, second = sorted(Analogy.objects.filter(participant=participant), key=lambda a: a.scenario_id)
        positions = list(workshop_a.workshop_scenarios.order_by("position").values_list("scenario_id", flat=True))
        Analogy.objects.filter(pk=(first if first.scenario_id == positions[1] else second).pk).update(state="failed")
    as_participant(token)
    assert client.get(reverse("participants:analogy_status", args=[2])).json()["state"] == "failed"
    assert client.get(reverse("participants:analogy_status", args=[1])).json()["state"] in {"pending", "done"}
    assert client.get(reverse("participants:analogy_status", args=[3])).status_code == 404


def test_the_poll_makes_one_query_and_decrypts_nothing(client, as_participant, workshop_a, monkeypatch):
    _participant, token = factories.joined_participant(workshop_a, "Robin", memory="my secret canoe trip")
    decrypted = []
    real = crypto.decrypt_text
    monkeypatch.setattr(crypto, "decrypt_text", lambda value: decrypted.append(value) or real(value))
    as_participant(token)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("participants:analogy_status", args=[1]))
    assert response.status_code == 200
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert decrypted == []
    assert not any("ORDER BY" in q["sql"] for q in queries.captured_queries)


def test_an_unknown_or_missing_token_gets_not_found(client, as_participant, workshop_a):
    url = reverse("participants:analogy_status", args=[1])
    assert client.get(url).status_code == 404
    as_participant("not-a-token")
    assert client.get(url).status_code == 404


def test_the_poll_answers_in_the_participants_language(client, as_participant, workshop_a):
    participant, token = factories.joined_participant(workshop_a, "Robin")
    with unscoped():
        participant.__class__.objects.filter(pk=participant.pk).update(language="ko")
    as_participant(token)
    response = client.get(reverse("participants:analogy_status", args=[1]))
    assert response["Content-Language"] == "ko"
    assert response.json()["label"] != "Queued"
