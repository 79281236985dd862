"""The monitor's refresh sends only what changed since the screen's last one (its cursor), and pages the list, so
a refresh costs about the same in a room of 5 or of 2,000 (issue 15)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilitator import monitor_room
from tests import factories
from tests.facilitator.rooms import room, targets
from workshop.participants.answers import response_after_save, response_before_save
from workshop.participants.models import Analogy
from workshop.participants.services import analogy_retry
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.selectors import workshop_scenarios


def refresh(client, workshop, cursor: str = "", page: int = 1):
    url = reverse("facilitator:monitor_live", args=[workshop.public_id])
    response = client.get(url, {"since": cursor, "page": page} if cursor else {"page": page})
    assert response.status_code == 200
    return response


def rows_in(response) -> list[str]:
    return re.findall(r'<tr id="row-([^"]+)"', response.content.decode())


def parts_in(response) -> list[str]:
    return re.findall(r'id="part-([a-z]+)"', response.content.decode())


def test_with_nothing_changed_a_refresh_sends_nothing_but_its_new_cursor(client, org_a, workshop_a):
    room(workshop_a, 30, analogy="done", before=True)
    client.force_login(org_a.facilitator)
    first = refresh(client, workshop_a)

    again = refresh(client, workshop_a, first["X-Monitor-Cursor"])

    assert first["X-Monitor-Patch"] == "0" and len(rows_in(first)) == 30
    assert again["X-Monitor-Patch"] == "1"
    assert parts_in(again) == [] and rows_in(again) == []
    assert again["X-Monitor-Cursor"] and again["X-Monitor-Cursor"] != first["X-Monitor-Cursor"]


def test_when_one_person_answers_only_their_row_and_the_counts_are_sent(client, org_a, workshop_a):
    people = room(workshop_a, 20, analogy="done")
    client.force_login(org_a.facilitator)
    cursor = refresh(client, workshop_a)["X-Monitor-Cursor"]
    with unscoped():
        scenario = workshop_scenarios(workshop=workshop_a)[0]
        response_before_save(participant=people[7], scenario=scenario, labels=["joy"], intensity=3, understanding=3)

    patch = refresh(client, workshop_a, cursor)

    assert rows_in(patch) == [people[7].public_id]
    assert parts_in(patch) == ["steps", "rows"]
    assert patch.context["steps"][3] == {"key": "analogy", "label": "Waiting for the analogy", "count": 0}
    assert [s["count"] for s in patch.context["steps"] if s["key"] in ("before", "after")] == [19, 1]


def test_an_analogy_put_back_in_the_queue_changes_its_row(client, org_a, workshop_a):
    people = room(workshop_a, 3, analogy="failed")
    client.force_login(org_a.facilitator)
    first = refresh(client, workshop_a)
    assert first.content.decode().count(">Retry<") == 3 * 2
    with organization_scope(org_a.org.id):
        analogy_retry(analogy=Analogy.objects.filter(participant=people[1]).first(), actor=org_a.facilitator)

    patch = refresh(client, workshop_a, first["X-Monitor-Cursor"])

    assert rows_in(patch) == [people[1].public_id]
    assert "Queued" in patch.content.decode() and patch.content.decode().count(">Retry<") == 1


def test_the_list_is_paged_with_failed_analogies_first(client, org_a, workshop_a):
    room(workshop_a, 100, prefix="Calm", analogy="done")
    failed = room(workshop_a, 10, prefix="Stuck", analogy="failed")
    client.force_login(org_a.facilitator)

    first, last = refresh(client, workshop_a), refresh(client, workshop_a, page=3)

    assert rows_in(first)[:10] == [p.public_id for p in failed] and len(rows_in(first)) == monitor_room.PAGE_SIZE
    assert len(rows_in(last)) == 110 - 2 * monitor_room.PAGE_SIZE
    assert "Page 3 of 3" in last.content.decode() and "Page 1 of 3" in first.content.decode()
    assert first.context["total"] == 110  # the counts cover everyone, not only the page


def test_a_cursor_from_another_page_or_workshop_gets_the_whole_fragment(client, org_a, workshop_a):
    other = factories.open_workshop(org_a, title="Another room")
    room(workshop_a, 60)
    room(other, 2)
    client.force_login(org_a.facilitator)
    cursor = refresh(client, workshop_a)["X-Monitor-Cursor"]

    for response in (refresh(client, other, cursor), refresh(client, workshop_a, cursor, page=2),
                     refresh(client, workshop_a, "no-such-cursor")):
        assert response["X-Monitor-Patch"] == "0"
        assert {"steps", "shift", "wall", "people"} <= set(parts_in(response))


def test_another_process_that_never_saw_the_room_shows_the_same(client, org_a, workshop_a):
    people = room(workshop_a, 12, analogy="done", before=True)
    client.force_login(org_a.facilitator)
    refresh(client, workshop_a)
    with unscoped():
        scenario = workshop_scenarios(workshop=workshop_a)[0]
        response_after_save(participant=people[0], scenario=scenario, labels=targets(scenario), intensity=4,
                            understanding=6, reflection="", share_reflection=False, resonance=4)
    kept = refresh(client, workshop_a).context
    monitor_room._rooms.clear()  # a process that starts now

    fresh = refresh(client, workshop_a).context

    assert [(r.key, r.step, r.position) for r in kept["rows"]] == [(r.key, r.step, r.position) for r in fresh["rows"]]
    assert kept["steps"] == fresh["steps"]


def test_a_refresh_after_a_change_reads_as_few_queries_at_5_and_at_200(client, org_a):
    small = factories.open_workshop(org_a, title="Small room", capacity=500)
    large = factories.open_workshop(org_a, title="Large room", capacity=500)
    few_people, many_people = room(small, 5, analogy="done"), room(large, 200, analogy="done")
    client.force_login(org_a.facilitator)
    counted = []
    for workshop, people in ((small, few_people), (large, many_people)):
        cursor = refresh(client, workshop)["X-Monitor-Cursor"]
        with unscoped():
            scenario = workshop_scenarios(workshop=workshop)[0]
            response_before_save(participant=people[1], scenario=scenario, labels=["joy"], intensity=3,
                                 understanding=3)
        with CaptureQueriesContext(connection) as captured:
            patch = refresh(client, workshop, cursor)
        assert rows_in(patch) == [people[1].public_id]
        counted.append(len(captured))

    assert counted[0] == counted[1], counted
