"""The monitor counts how many people are at each step and lists each one by pseudonym."""

from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room
from workshop.participants.models import Analogy, Participant, Response
from workshop.tenancy.scope import unscoped


def _counts(response) -> dict[str, int]:
    return {step["key"]: step["count"] for step in response.context["steps"]}


def test_it_counts_people_at_each_step(client, org_a, workshop_a):
    room(workshop_a, 2, prefix="Joiner", step="profile")
    with unscoped():
        Participant.objects.filter(pseudonym="Joiner 001").update(personality_answers={"1": 4})
    room(workshop_a, 3, prefix="Reader", analogy="running")  # profile done, nothing answered yet
    room(workshop_a, 1, prefix="Waiter", analogy="pending", before=True)
    room(workshop_a, 4, prefix="Thinker", analogy="done", before=True)
    room(workshop_a, 2, prefix="Finisher", step="done", before=True, after=True)
    client.force_login(org_a.facilitator)

    response = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id]))

    assert response.status_code == 200
    assert _counts(response) == {"joined": 1, "profile": 1, "before": 3, "analogy": 1, "after": 4, "done": 2}
    assert response.context["total"] == 12


def test_the_second_scenario_counts_once_the_first_is_answered(client, org_a, workshop_a):
    (person,) = room(workshop_a, 1, analogy="done", before=True, after=True)
    with unscoped():
        second = Response.objects.filter(participant=person).order_by("id").last()
        second.post_labels, second.post_understanding = [], None
        second.save()
        Analogy.objects.filter(participant=person, scenario_id=second.scenario_id).update(state="failed")
    client.force_login(org_a.facilitator)

    response = client.get(reverse("facilitator:monitor_live", args=[workshop_a.public_id]))

    assert _counts(response)["analogy"] == 1
    (row,) = response.context["rows"]
    assert (row.step, row.position) == ("analogy", 2)


def test_it_lists_each_participant_by_pseudonym_with_their_step(client, org_a, workshop_a):
    factories.joined_participant(workshop_a, "Robin", with_profile=False)
    factories.joined_participant(workshop_a, "Sasha")
    client.force_login(org_a.facilitator)

    body = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).content.decode()

    assert "Robin" in body and "Sasha" in body
    assert "Joined" in body and "Before the analogy" in body


def test_a_participant_who_deleted_their_data_is_counted_but_not_listed(client, org_a, workshop_a):
    (gone,) = room(workshop_a, 1, prefix="Gone", step="done")
    with unscoped():
        Participant.objects.filter(pk=gone.pk).update(pseudonym="", deleted_at=gone.consent_at)
    client.force_login(org_a.facilitator)

    response = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id]))

    assert _counts(response)["done"] == 1
    assert response.context["rows"] == []
    assert "1 deleted their data" in response.content.decode()


def test_the_workshop_page_links_to_the_monitor(client, org_a, workshop_a):
    client.force_login(org_a.facilitator)
    body = client.get(reverse("facilitator:workshop", args=[workshop_a.public_id])).content.decode()
    assert reverse("facilitator:monitor", args=[workshop_a.public_id]) in body


def test_without_javascript_the_monitor_refreshes_itself_and_with_it_polls_a_fragment(client, org_a, workshop_a):
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:monitor", args=[workshop_a.public_id])).content.decode()
    fragment = client.get(reverse("facilitator:monitor_live", args=[workshop_a.public_id]))

    assert 'http-equiv="refresh"' in page
    assert f'data-live-url="{reverse("facilitator:monitor_live", args=[workshop_a.public_id])}"' in page
    assert "js/monitor.js" in page
    assert fragment["Cache-Control"] == "no-store"
    assert "<html" not in fragment.content.decode() and 'id="steps-h"' in fragment.content.decode()
