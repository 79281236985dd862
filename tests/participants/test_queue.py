"""The queue path, proved with a real Celery worker process on the real broker (Redis in CI)."""

import io
from html import escape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import factories
from tests.conftest import wait_for
from workshop.debrief.models import DebriefPacket
from workshop.participants.models import Analogy
from workshop.participants.services import analogies_sweep, analogy_run
from workshop.tenancy.scope import organization_scope, unscoped

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def analogies_of(participant):
    with unscoped():
        return list(Analogy.objects.filter(participant=participant, is_current=True).order_by("scenario_id"))


def all_done(participant):
    rows = analogies_of(participant)
    return rows and all(a.state == "done" for a in rows)


def test_saving_a_profile_queues_one_analogy_per_scenario_and_the_worker_writes_them(celery_worker, org_a):
    workshop = factories.open_workshop(org_a, scenarios=2)
    participant, _ = factories.joined_participant(
        workshop, "Tomasz", domains=["amateur football", "beekeeping"],
        memory="The coach picked the cup final team without asking me and left me on the bench.")
    rows = analogies_of(participant)
    assert len(rows) == 2 and {a.version for a in rows} == {1}
    wait_for(lambda: all_done(participant), what="the worker to write both analogies")
    for analogy in analogies_of(participant):
        assert analogy.engine == "builtin" and analogy.attempts == 1
        words = analogy.text.lower()
        assert "football" in words or "bench" in words or "coach" in words, analogy.text
        assert len(analogy.mapping) >= 3


def test_a_participant_sees_the_analogy_and_downloads_their_pdf(celery_worker, client, org_a, as_participant):
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, token = factories.joined_participant(workshop, "Ilse", domains=["choir"])
    wait_for(lambda: all_done(participant), what="the analogy")
    as_participant(token)
    analogy = analogies_of(participant)[0]
    assert escape(analogy.title) not in client.get(reverse("participants:scenario", args=[1])).content.decode()
    factories.answer_before(client, 1, labels=[analogy.scenario.emotions[0]["label"]])
    page = client.get(reverse("participants:scenario", args=[1])).content.decode()
    assert escape(analogy.title) in page  # as the page writes it: a title may carry quotes
    client.post(reverse("participants:packet"))

    def ready_packet():
        with unscoped():
            return DebriefPacket.objects.filter(participant=participant, state="done").first()

    packet = wait_for(ready_packet, what="the PDF packet")
    response = client.get(reverse("participants:packet_download", args=[packet.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "debrief-" in response["Content-Disposition"] and "ilse" in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Ilse" in text and analogy.title.split(":")[0].strip('"')[:20] in text
    assert pdf.metadata.title and "Ilse" in pdf.metadata.title


def test_a_lost_message_is_recovered_by_the_sweeper(celery_worker, org_a, monkeypatch):
    workshop = factories.open_workshop(org_a, scenarios=1)
    # The broker 'loses' the message: enqueueing does nothing, the row stays pending.
    monkeypatch.setattr("workshop.participants.services.analogy_enqueue", lambda analogy: False)
    participant, _ = factories.joined_participant(workshop, "Lost", domains=["sailing"])
    monkeypatch.undo()
    assert analogies_of(participant)[0].state == "pending"
    with unscoped():
        Analogy.objects.filter(participant=participant).update(updated="2000-01-01T00:00:00Z")
        assert analogies_sweep() == 1
    wait_for(lambda: all_done(participant), what="the swept analogy")


def test_a_row_is_claimed_once_even_when_two_workers_get_the_same_message(org_a):
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Once", domains=["cycling"])
    analogy = analogies_of(participant)[0]
    with organization_scope(org_a.org.id):
        assert analogy_run(analogy_id=analogy.id) == "done"
        assert analogy_run(analogy_id=analogy.id) == "skipped"
    assert analogies_of(participant)[0].attempts == 1


def test_an_analogy_stuck_running_after_a_killed_worker_goes_back_to_the_queue(org_a, settings, monkeypatch):
    workshop = factories.open_workshop(org_a, scenarios=1)
    # Record the enqueues instead of sending them, from the join on: a worker left running by other tests must
    # not claim the row while this test plays the killed worker.
    sent = []
    monkeypatch.setattr("workshop.participants.services.analogy_enqueue",
                        lambda analogy: sent.append(analogy.id) or True)
    participant, _ = factories.joined_participant(workshop, "Stuck", domains=["judo"])
    sent.clear()
    with unscoped():
        Analogy.objects.filter(participant=participant).update(state="running", updated="2000-01-01T00:00:00Z")
        analogies_sweep()
        stuck = Analogy.objects.get(participant=participant)
        assert stuck.state == "pending"
    assert sent == [stuck.id]
