"""The monitor reads a fixed number of queries however many people are in the room."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.facilitator.rooms import room
from workshop.participants.models import Analogy
from workshop.tenancy.scope import unscoped


def _mixed_room(workshop, count: int) -> None:
    """A room at every step, with every analogy status, answers past k and shared reflections."""
    share = count // 5
    room(workshop, share, prefix="Joined", step="profile")
    room(workshop, share, prefix="Waiting", analogy="running", before=True)
    people = room(workshop, share, prefix="Failed", analogy="failed")
    room(workshop, share, prefix="Fallback", analogy="done", fallback_reason="openai: timeout", before=True)
    room(workshop, count - 4 * share, prefix="Done", step="done", before=True, after=True,
         reflection="I remembered my first team", share=True)
    with unscoped():
        assert Analogy.objects.filter(participant__in=people, state="failed").exists()


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("name", ["facilitator:monitor", "facilitator:monitor_live"])
def test_the_query_count_does_not_grow_from_5_to_200_participants(client, org_a, org_b, name):
    from tests import factories

    small = factories.open_workshop(org_a, title="Small room", capacity=500)
    large = factories.open_workshop(org_a, title="Large room", capacity=500)
    _mixed_room(small, 5)
    _mixed_room(large, 200)
    client.force_login(org_a.facilitator)
    client.get(reverse(name, args=[small.public_id]))  # warm the session and the per-process caches
    client.get(reverse(name, args=[large.public_id]))  # the first look releases the room's batches of k

    few, small_body = _queries(client, reverse(name, args=[small.public_id]))
    many, large_body = _queries(client, reverse(name, args=[large.public_id]))

    assert large_body.count(">Retry<") == 40 * 2 and small_body.count(">Retry<") == 2
    assert "data:image/svg+xml;base64," in large_body  # the chart is drawn: 40 people answered before and after
    assert few == many, f"{few} queries for 5 people, {many} for 200"
    assert many <= 12
