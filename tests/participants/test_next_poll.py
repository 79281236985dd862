"""What a phone waiting for the room polls (/p/next, every few seconds, by every waiting phone of a 2,000-person
room): at every place in the flow it answers what the flow itself says (the participant's place, and its page),
and it finds all that in one SQL statement, as the status poll does."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participants.flow import place_url
from tests import factories
from workshop.activities.flow import participant_place
from workshop.activities.kinds import ActivityKind, Pacing
from workshop.participants.instruments import instrument
from workshop.participants.models import ActivityRecord, Analogy, Participant, Response
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.activities import ActivityPlan
from workshop.workshops.models import Workshop, WorkshopActivity
from workshop.workshops.services import workshop_create, workshop_open

KINDS = (ActivityKind.ANALOGY, ActivityKind.EMPATHY_MAP, ActivityKind.COMMITMENT, ActivityKind.LISTENING)


@pytest.fixture
def paced(org_a) -> Workshop:
    """Presenter-paced: a scenario with analogy, an empathy map, a commitment, a listening lab, in that order."""
    with unscoped():
        scenario = next(s for s in factories.builtin_scenarios() if s.slug == "decided-at-the-whiteboard")
        workshop = workshop_create(organization_id=org_a.org.id, owner=org_a.facilitator, title="Paced",
                                   scenarios=[scenario], capacity=40, pacing=Pacing.PRESENTER,
                                   activities=[ActivityPlan(kind, scenario) for kind in KINDS])
        return workshop_open(workshop=workshop, actor=org_a.facilitator)


def the_flows_answer(participant: Participant) -> dict:
    """What /p/next answered before it had a lean path: the whole participant, placed by the flow."""
    with organization_scope(participant.organization_id):
        whole = Participant.objects.select_related("workshop").get(pk=participant.pk)
        place = participant_place(whole)
        return {"step": place.step, "position": place.position, "url": place_url(place, whole)}


def poll(client) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("participants:next"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return response.json(), len(queries.captured_queries)


def activity(workshop: Workshop, position: int) -> WorkshopActivity:
    with unscoped():
        return WorkshopActivity.objects.get(workshop=workshop, position=position)


def record(participant: Participant, workshop: Workshop, position: int, **fields) -> None:
    with unscoped():
        found = activity(workshop, position)
        ActivityRecord.objects.update_or_create(
            participant=participant, activity=found,
            defaults={"organization_id": participant.organization_id, "kind": found.kind, **fields})


def room_at(workshop: Workshop, position: int) -> None:
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(current_position=position)


def test_the_poll_answers_what_the_flow_says_at_every_place(client, as_participant, paced):
    participant, token = factories.joined_participant(paced, "Robin", with_profile=False)
    as_participant(token)
    scenario_id = activity(paced, 1).scenario_id
    seen = []

    def check(step: str, position: int | None, url: str, *, queries: int = 1) -> None:
        answer, made = poll(client)
        assert answer == the_flows_answer(participant) == {"step": step, "position": position, "url": url}
        assert made <= queries, (step, made)
        seen.append(step)

    # Before the profile is done, the person's profile answers are read only then (a few more queries).
    check("joined", None, reverse("participants:profile_personality", args=[1]), queries=4)
    with unscoped():
        Participant.objects.filter(pk=participant.pk).update(personality_answers={"1": 4})
    check("profile", None, reverse("participants:profile_personality", args=[1]), queries=4)
    with unscoped():
        tool = instrument(paced.instrument)
        Participant.objects.filter(pk=participant.pk).update(
            step=Participant.Step.SCENARIOS, personality_answers={str(i.number): 4 for p in range(1, tool.pages + 1)
                                                                  for i in tool.page_items(p)})
    check("before", 1, reverse("participants:scenario", args=[1]))
    with unscoped():
        response = Response.objects.create(organization_id=paced.organization_id, participant=participant,
                                           scenario_id=scenario_id, pre_labels=["hurt"], pre_understanding=3)
        Analogy.objects.create(organization_id=paced.organization_id, participant=participant,
                               scenario_id=scenario_id, condition="personalized", state="running")
    check("analogy", 1, reverse("participants:scenario", args=[1]))
    with unscoped():
        Analogy.objects.filter(participant=participant).update(state="done")
    check("after", 1, reverse("participants:scenario", args=[1]))
    with unscoped():
        Response.objects.filter(pk=response.pk).update(post_labels=["hurt"], post_understanding=6)
    # The room is still on activity 1: the phone waits (the answer the waiting page follows, as it always was).
    check("waiting", 2, "/p/waiting/")
    room_at(paced, 2)
    check("goal", 2, "/p/a/2/")
    record(participant, paced, 2, step="inside")
    check("inside", 2, "/p/a/2/")
    record(participant, paced, 2, step="ask", done_at=timezone.now())
    check("waiting", 3, "/p/waiting/")
    room_at(paced, 3)
    check("commit", 3, "/p/a/3/")
    due = (timezone.now() - timedelta(days=1)).isoformat()
    record(participant, paced, 3, step="commit", done_at=timezone.now() - timedelta(days=8),
           facts={"followup_due": due})
    check("followup", 3, "/p/a/3/")
    record(participant, paced, 3, step="commit", facts={"followup_due": due, "followup_at": due})
    # The listening lab's room state is read only for it (one more query), as the flow reads it.
    check("waiting", 4, "/p/waiting/", queries=2)
    room_at(paced, 4)
    check("group", 4, "/p/a/4/", queries=2)
    with unscoped():
        WorkshopActivity.objects.filter(pk=activity(paced, 4).pk).update(room_state={"state": "done"})
    check("done", None, "/p/done/", queries=2)
    with unscoped():
        Workshop.objects.filter(pk=paced.pk).update(pacing=Pacing.SELF, current_position=1)
        WorkshopActivity.objects.filter(pk=activity(paced, 4).pk).update(room_state={})
    check("group", 4, "/p/a/4/", queries=2)
    with unscoped():
        Participant.objects.filter(pk=participant.pk).update(deleted_at=timezone.now())
    check("joined", None, "/p/", queries=3)  # their data deleted: only how far they got is kept
    assert seen.count("waiting") == 3


def test_a_waiting_phone_is_answered_in_one_statement(client, as_participant, paced):
    participant, token = factories.joined_participant(paced, "Robin", with_profile=False)
    with unscoped():
        Participant.objects.filter(pk=participant.pk).update(step=Participant.Step.SCENARIOS)
        scenario_id = activity(paced, 1).scenario_id
        Response.objects.create(organization_id=paced.organization_id, participant=participant,
                                scenario_id=scenario_id, pre_labels=["hurt"], pre_understanding=3,
                                post_labels=["hurt"], post_understanding=6)
    as_participant(token)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(reverse("participants:next")).json()
    assert answer == {"step": "waiting", "position": 2, "url": "/p/waiting/"}
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert "memories" not in queries.captured_queries[0]["sql"]


def test_an_unknown_or_missing_token_gets_not_found(client, as_participant, paced):
    assert client.get(reverse("participants:next")).status_code == 404
    as_participant("not-a-token")
    assert client.get(reverse("participants:next")).status_code == 404


def test_another_organizations_participant_is_answered_only_their_own_place(client, as_participant, paced, org_b):
    outsider_room = factories.open_workshop(org_b, title="Their workshop", scenarios=1)
    _outsider, token = factories.joined_participant(outsider_room, "Eve")
    as_participant(token)
    answer = client.get(reverse("participants:next")).json()
    assert answer == {"step": "before", "position": 1, "url": reverse("participants:scenario", args=[1])}
