"""The flow declared once: where a participant is, what presenter pacing holds back, and what a plan may be."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from workshop.activities.flow import DONE, WAITING, participant_place, room_places, step_choices, workshop_activities
from workshop.activities.kinds import ActivityKind, Pacing
from workshop.tenancy.scope import unscoped
from workshop.workshops.activities import ActivityPlan, ActivityPlanError, plan_check, workshop_move_to
from workshop.workshops.models import Workshop
from workshop.workshops.services import workshop_create, workshop_open


def presenter_workshop(team, scenarios=2) -> Workshop:
    with unscoped():
        chosen = factories.builtin_scenarios()[:scenarios]
        workshop = workshop_create(organization_id=team.org.id, owner=team.facilitator, title="Paced",
                                   scenarios=chosen, capacity=40, pacing=Pacing.PRESENTER)
        return workshop_open(workshop=workshop, actor=team.facilitator)


def place(participant):
    with unscoped():
        participant.refresh_from_db()
        return participant_place(participant)


def test_a_default_workshop_is_one_scenario_with_analogy_per_scenario(workshop_a):
    with unscoped():
        activities = workshop_activities(workshop=workshop_a)
        scenario_ids = list(workshop_a.workshop_scenarios.order_by("position").values_list("scenario_id", flat=True))
    assert [a.kind for a in activities] == [ActivityKind.ANALOGY, ActivityKind.ANALOGY]
    assert [a.scenario_id for a in activities] == scenario_ids


def test_the_steps_of_a_scenario_with_analogy_in_order(client, as_participant, workshop_a):
    participant, token = factories.joined_participant(workshop_a, "Robin")
    assert place(participant).step == "before" and place(participant).position == 1
    as_participant(token)
    factories.answer_before(client, 1)
    assert place(participant).step in {"analogy", "after"}


def test_presenter_pacing_holds_the_phone_until_the_room_moves_on(client, as_participant, org_a):
    workshop = presenter_workshop(org_a)
    participant, token = factories.joined_participant(workshop, "Robin")
    as_participant(token)
    factories.answer_before(client, 1)
    with unscoped():
        from workshop.participants.models import Response

        response = Response.objects.get(participant=participant)
        Response.objects.filter(pk=response.pk).update(post_understanding=5)
    held = place(participant)
    assert (held.step, held.position) == (WAITING, 2)
    assert client.get(reverse("participants:scenario", args=[2]))["Location"] == reverse("participants:waiting")
    assert client.get(reverse("participants:next")).json()["step"] == WAITING
    with unscoped():
        workshop_move_to(workshop=workshop, position=2, actor=org_a.facilitator)
    assert place(participant).step == "before" and place(participant).position == 2
    assert client.get(reverse("participants:next")).json()["url"] == reverse("participants:scenario", args=[2])


def test_someone_behind_can_still_finish_when_the_room_moved_on(client, as_participant, org_a):
    workshop = presenter_workshop(org_a)
    participant, token = factories.joined_participant(workshop, "Slow")
    with unscoped():
        workshop_move_to(workshop=workshop, position=2, actor=org_a.facilitator)
    assert place(participant).position == 1 and place(participant).step == "before"


def test_a_self_paced_workshop_cannot_be_moved(org_a, workshop_a):
    with pytest.raises(ActivityPlanError, match="self-paced"):
        with unscoped():
            workshop_move_to(workshop=workshop_a, position=2, actor=org_a.facilitator)


def test_moving_to_an_activity_that_does_not_exist_is_refused(org_a):
    workshop = presenter_workshop(org_a)
    with pytest.raises(ActivityPlanError, match="no activity 9"):
        with unscoped():
            workshop_move_to(workshop=workshop, position=9, actor=org_a.facilitator)


def test_a_plan_the_flow_could_not_run_is_refused_with_a_message(db):
    scenario = factories.builtin_scenarios()[0]
    with pytest.raises(ActivityPlanError, match="at least one"):
        plan_check([])
    with pytest.raises(ActivityPlanError, match="needs a scenario"):
        plan_check([ActivityPlan(ActivityKind.ANALOGY, None)])
    with pytest.raises(ActivityPlanError, match="already has its analogy"):
        plan_check([ActivityPlan(ActivityKind.ANALOGY, scenario), ActivityPlan(ActivityKind.ANALOGY, scenario)])
    with pytest.raises(ActivityPlanError, match="choose a kind"):
        plan_check([ActivityPlan("juggling", scenario)])


def test_finishing_every_activity_marks_the_participant_done(client, as_participant, workshop_a):
    participant, token = factories.joined_participant(workshop_a, "Robin")
    as_participant(token)
    with unscoped():
        from workshop.activities.flow import participant_settle
        from workshop.participants.models import Response

        for scenario in [a.scenario for a in workshop_activities(workshop=workshop_a)]:
            Response.objects.create(organization=workshop_a.organization, participant=participant, scenario=scenario,
                                    pre_understanding=3, post_understanding=5)
        assert participant_settle(participant).step == DONE
        participant.refresh_from_db()
    assert participant.step == "done"


def test_where_a_whole_room_is_costs_the_same_few_queries_for_any_size(workshop_a):
    for n in range(3):
        factories.joined_participant(workshop_a, f"P{n}")
    with unscoped():
        people = list(workshop_a.participants.all())
        with CaptureQueriesContext(connection) as small:
            room_places(workshop=workshop_a, participants=people[:1])
        with CaptureQueriesContext(connection) as large:
            places = room_places(workshop=workshop_a, participants=people)
    assert len(large.captured_queries) == len(small.captured_queries) <= 4
    assert {p.step for p in places.values()} == {"before"}


def test_the_monitor_columns_follow_the_activities(workshop_a):
    with unscoped():
        columns = step_choices(workshop_activities(workshop=workshop_a))
    assert [c[0] for c in columns] == ["joined", "profile", "before", "analogy", "after", "before", "analogy",
                                       "after", "done"]
