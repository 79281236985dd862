"""The live monitor cannot be differenced: reading the room's figures before and after one named participant
answers reveals nothing about that person, because the figures change only when a batch of k people is
complete. The wall adds reflections the same way, in a shuffled order, so order does not tie a reflection
to the person who just finished. Both the monitor and the projector obey it."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room, targets
from workshop.participants.answers import participant_delete_data, response_after_save, response_before_save
from workshop.participants.models import Response
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.models import RoomRelease, Workshop
from workshop.workshops.room import room_snapshot
from workshop.workshops.selectors import workshop_scenarios

K = 3


@pytest.fixture
def k3(org_a):
    with unscoped():
        org_a.org.anonymity_k = K
        org_a.org.save(update_fields=["anonymity_k"])
    return org_a


@pytest.fixture
def one_scenario(k3):
    workshop = factories.open_workshop(k3, title="One scenario", scenarios=1)
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(wall_revealed=True)
        workshop.refresh_from_db()
    return workshop


def answers(name: str, workshop, *, before_right: bool, after_right: bool, reflection: str = "",
            share: bool = False, position: int = 1):
    """A named participant joins and answers a scenario, as the phone pages save it."""
    with unscoped():
        participant, _ = factories.joined_participant(workshop, name)
        scenario = workshop_scenarios(workshop=workshop)[position - 1]
    return answer_as(participant, scenario, before_right=before_right, after_right=after_right,
                     reflection=reflection, share=share)


def answer_as(participant, scenario, *, before_right: bool, after_right: bool, reflection: str = "",
              share: bool = False):
    right, wrong = targets(scenario), ["joy"]
    with unscoped():
        response_before_save(participant=participant, scenario=scenario, labels=right if before_right else wrong,
                             intensity=3, understanding=3)
        response_after_save(participant=participant, scenario=scenario, labels=right if after_right else wrong,
                            intensity=4, understanding=6, reflection=reflection, share_reflection=share,
                            resonance=4)
    return participant


def figures(client, workshop) -> tuple[tuple, object]:
    """What the facilitator reads: the shift section of the live monitor (its words, and the numbers the chart
    draws; the chart's SVG carries a fresh element id each time), and the figure behind it."""
    response = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id]))
    body = response.content.decode()
    section = re.search(r'<section class="card" aria-labelledby="shift-h">.*?</section>', body, re.S).group(0)
    shift = response.context["shift"]
    drawn = [(label, g.people, g.accuracy_before, g.accuracy_after) for label, g in shift["groups"]]
    return (re.sub(r'src="[^"]*"', "", section), drawn), shift["room"]


def monitor_wall(client, workshop) -> list[str]:
    response = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id]))
    return [r.reflection for r in response.context["wall"]]


def projector_wall(client, workshop) -> list[str]:
    response = client.get(reverse("facilitator:projector", args=[workshop.public_id]))
    return [r.reflection for r in response.context["wall"]]


def test_one_participant_answering_does_not_move_the_figures_until_a_batch_of_k_completes(client, one_scenario):
    workshop = one_scenario
    room(workshop, K, before=True, after=True)  # wrong before, right after: 0.00 -> 1.00
    client.force_login(workshop_owner(workshop))
    seen, figure = figures(client, workshop)
    assert (figure.people, figure.accuracy_before, figure.accuracy_after) == (K, 0.0, 1.0)

    # The attack: watch the figure, let one named person answer, read it again.
    for i in range(K - 1):
        answers(f"Target {i}", workshop, before_right=True, after_right=False)  # the opposite of the room
        monitor = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id])).content.decode()
        assert f"Target {i}" in monitor  # the facilitator does know who just finished ...
        assert figures(client, workshop)[0] == seen  # ... and learns nothing from the figures

    answers("Completes the batch", workshop, before_right=True, after_right=False)
    _, figure = figures(client, workshop)
    assert (figure.people, figure.accuracy_before, figure.accuracy_after) == (2 * K, 0.5, 0.5)


def test_changing_or_deleting_one_answer_does_not_move_the_figures(client, one_scenario):
    workshop = one_scenario
    people = room(workshop, K, before=True, after=True)
    client.force_login(workshop_owner(workshop))
    seen, _ = figures(client, workshop)
    with unscoped():
        scenario = workshop_scenarios(workshop=workshop)[0]

    answer_as(people[0], scenario, before_right=True, after_right=False)  # comes back to change it
    assert figures(client, workshop)[0] == seen
    with unscoped():
        participant_delete_data(participant=people[1])
    assert figures(client, workshop)[0] == seen


def test_below_k_nothing_is_shown_and_the_count_is_all_that_moves(client, one_scenario):
    workshop = one_scenario
    client.force_login(workshop_owner(workshop))
    for i in range(K - 1):
        answers(f"Early {i}", workshop, before_right=False, after_right=True)
        (section, drawn), figure = figures(client, workshop)
        assert figure is None and drawn == [] and "<img" not in section and f"So far {i + 1} ha" in section


def test_the_room_and_a_scenario_cannot_be_subtracted_to_single_out_an_answer(client, k3):
    """With two scenarios, the room figure holds only answers a released scenario figure holds: otherwise the
    room (4 answers) minus scenario 1 (3 answers) would be the one answer to scenario 2."""
    workshop = factories.open_workshop(k3, title="Two scenarios", scenarios=2)
    with unscoped():
        first, second = workshop_scenarios(workshop=workshop)
    alone = answers("Alone on scenario 2", workshop, before_right=False, after_right=True)
    answer_as(alone, second, before_right=True, after_right=False)
    for i in range(K - 1):
        answers(f"Only scenario 1, {i}", workshop, before_right=False, after_right=True)
    client.force_login(workshop_owner(workshop))

    response = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id]))

    groups = dict(response.context["shift"]["groups"])
    assert list(groups) == ["The whole room", f"1. {first.title}"]
    room_figure, scenario_figure = groups["The whole room"], groups[f"1. {first.title}"]
    assert (room_figure.answered, room_figure.accuracy_before, room_figure.accuracy_after) == (
        scenario_figure.answered, scenario_figure.accuracy_before, scenario_figure.accuracy_after) == (K, 0.0, 1.0)


def test_reflections_join_the_wall_only_in_batches_of_k_on_the_monitor_and_the_projector(client, one_scenario):
    workshop = one_scenario
    client.force_login(workshop_owner(workshop))
    for i in range(K - 1):
        answers(f"Sharer {i}", workshop, before_right=False, after_right=True, reflection=f"thought {i}", share=True)
        assert monitor_wall(client, workshop) == [] and projector_wall(client, workshop) == []

    answers("Third sharer", workshop, before_right=False, after_right=True, reflection="thought 2", share=True)

    assert sorted(monitor_wall(client, workshop)) == ["thought 0", "thought 1", "thought 2"]
    assert projector_wall(client, workshop) == monitor_wall(client, workshop)
    answers("Next one", workshop, before_right=False, after_right=True, reflection="thought 3", share=True)
    assert "thought 3" not in monitor_wall(client, workshop) + projector_wall(client, workshop)


def test_a_batch_joins_the_wall_in_an_order_unrelated_to_who_finished_last(client, k3):
    with unscoped():
        k3.org.anonymity_k = 10
        k3.org.save(update_fields=["anonymity_k"])
    workshop = factories.open_workshop(k3, title="Wall order", scenarios=1)
    with unscoped():
        Workshop.objects.filter(pk=workshop.pk).update(wall_revealed=True)
    finished = []
    for i in range(10):
        answers(f"Writer {i}", workshop, before_right=False, after_right=True, reflection=f"reflection {i}",
                share=True)
        finished.append(f"reflection {i}")
    client.force_login(workshop_owner(workshop))

    shown = monitor_wall(client, workshop)

    assert sorted(shown) == sorted(finished)
    # 10 reflections: the chance that a random order is the order they were written in is 1 in 3.6 million.
    assert shown != finished and shown != finished[::-1]
    with unscoped():
        by_id = [r.reflection for r in Response.objects.filter(participant__workshop=workshop).order_by("id")]
    assert shown != by_id
    # The order is drawn once, when the batch is released: polling again shows the same wall.
    assert monitor_wall(client, workshop) == shown == projector_wall(client, workshop)


def test_an_edited_reflection_leaves_the_wall_until_the_next_batch_and_a_deleted_one_leaves_at_once(
        client, one_scenario):
    workshop = one_scenario
    people = [answers(f"Writer {i}", workshop, before_right=False, after_right=True, reflection=f"first {i}",
                      share=True) for i in range(K)]
    client.force_login(workshop_owner(workshop))
    assert len(monitor_wall(client, workshop)) == K
    with unscoped():
        scenario = workshop_scenarios(workshop=workshop)[0]

    answer_as(people[0], scenario, before_right=False, after_right=True, reflection="rewritten", share=True)
    assert sorted(monitor_wall(client, workshop)) == ["first 1", "first 2"]
    with unscoped():
        participant_delete_data(participant=people[1])
    assert monitor_wall(client, workshop) == ["first 2"] == projector_wall(client, workshop)


def workshop_owner(workshop):
    with unscoped():
        return Workshop.objects.select_related("owner").get(pk=workshop.pk).owner


@pytest.mark.django_db(transaction=True)
def test_two_screens_releasing_the_same_batch_at_once_show_it_once_in_one_order(k3):
    """The monitor and the projector poll on their own; a batch they both find complete joins the wall once."""
    workshop = factories.open_workshop(k3, title="Two screens", scenarios=1)
    for i in range(K):
        answers(f"Writer {i}", workshop, before_right=False, after_right=True, reflection=f"words {i}", share=True)
    start, seen = threading.Barrier(2), []

    def look():
        try:
            start.wait(10)
            with organization_scope(workshop.organization_id):
                seen.append([r.id for r in room_snapshot(workshop=workshop, k=K).wall])
        finally:
            connection.close()

    screens = [threading.Thread(target=look) for _ in range(2)]
    for screen in screens:
        screen.start()
    for screen in screens:
        screen.join(30)

    with organization_scope(workshop.organization_id):
        final = [r.id for r in room_snapshot(workshop=workshop, k=K).wall]
        release = RoomRelease.objects.get(workshop=workshop)
    assert len(final) == len(set(final)) == K and len(release.wall) == K
    assert len(seen) == 2 and all(sorted(ids) == sorted(final) for ids in seen)
