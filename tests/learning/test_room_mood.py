"""The room's mood on the monitor: from the room's own writing, only once k people wrote, changing only in
batches of k new writers (so one person's words cannot be read off a change), never kept per person, and in
Korean as well as English."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room
from workshop.learning.room_mood import MOOD, room_mood
from workshop.participants.models import ActivityRecord, Response
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import RoomRelease, WorkshopActivity

K = 3
SAD = "I felt sad and lonely reading it, she was left out again."
GLAD = "I am grateful and hopeful, this was a wonderful session."


@pytest.fixture
def workshop(org_a, settings):
    settings.ROOM_MOOD_SECONDS = 0  # read the mood on every look: these tests look right after each change
    with unscoped():
        org_a.org.anonymity_k = K
        org_a.org.save(update_fields=["anonymity_k"])
    return factories.open_workshop(org_a, title="Mood room", scenarios=1)


def mood(workshop):
    with unscoped():
        return room_mood(workshop=workshop, k=K)


def figure(workshop) -> tuple:
    """What the mood says (not how many have written so far: that count is shown, as on the rest of the monitor)."""
    shown = mood(workshop)
    return shown.valence, shown.feelings, shown.people, shown.released


def monitor(client, workshop) -> str:
    body = client.get(reverse("facilitator:monitor_live", args=[workshop.public_id])).content.decode()
    return re.search(r'<section class="card" aria-labelledby="mood-h".*?</section>', body, re.S).group(0)


def test_below_k_writers_nothing_is_shown(client, org_a, workshop):
    room(workshop, K - 1, after=True, reflection=SAD, share=True)
    assert not mood(workshop).shown
    client.force_login(org_a.facilitator)
    section = monitor(client, workshop)
    assert 'id="mood-tone"' not in section and 'id="mood-feelings"' not in section
    assert "Shown once 3 people have written" in section and "So far 2 have." in section


def test_at_k_writers_the_monitor_shows_an_approximate_tone_and_the_feelings_named_most(client, org_a, workshop):
    room(workshop, K, after=True, reflection=SAD, share=True)
    client.force_login(org_a.facilitator)
    section = monitor(client, workshop)
    assert "approximate" in section
    assert re.search(r'id="mood-tone">Leaning unpleasant<', section)
    feelings = re.search(r'id="mood-feelings">([^<]*)<', section).group(1)
    assert "loneliness" in feelings and "sadness" in feelings
    assert "Read from the writing of 3 people." in section


def test_one_new_writer_does_not_move_the_mood_until_a_batch_of_k_completes(workshop):
    room(workshop, K, after=True, reflection=SAD, share=True)
    seen = figure(workshop)
    for i in range(K - 1):  # watch the mood, let one named person write the opposite, look again
        room(workshop, 1, prefix=f"Target {i}", after=True, reflection=GLAD, share=True)
        assert figure(workshop) == seen
    room(workshop, 1, prefix="Completes the batch", after=True, reflection=GLAD, share=True)
    moved = mood(workshop)
    assert moved.valence > seen[0] and moved.people == 2 * K


def test_a_changed_text_waits_for_k_new_writers_too(workshop):
    people = room(workshop, K, after=True, reflection=SAD, share=True)
    seen = figure(workshop)
    with unscoped():
        response = Response.objects.get(participant=people[0])
        response.reflection = GLAD
        response.save()
    assert figure(workshop) == seen


def test_older_writing_fades(workshop):
    from datetime import timedelta

    from django.utils import timezone

    room(workshop, K, after=True, reflection=SAD, share=True)
    start = timezone.now()
    with unscoped():
        room_mood(workshop=workshop, k=K, now=start)
    room(workshop, K, prefix="Later", after=True, reflection=GLAD, share=True)
    with unscoped():
        soon = room_mood(workshop=workshop, k=K, now=start + timedelta(minutes=1))
    other = factories.open_workshop(factories.organization_with_members("later"), title="Same, later", scenarios=1)
    room(other, K, after=True, reflection=SAD, share=True)
    with unscoped():
        room_mood(workshop=other, k=K, now=start)
    room(other, K, prefix="Later", after=True, reflection=GLAD, share=True)
    with unscoped():
        late = room_mood(workshop=other, k=K, now=start + timedelta(minutes=60))
    assert late.valence > soon.valence  # an hour on, the sad first batch counts for little


def test_nothing_is_kept_per_person_and_no_words_are_kept(workshop):
    people = room(workshop, K, after=True, reflection=SAD, share=True)
    mood(workshop)
    with unscoped():
        state = RoomRelease.objects.get(workshop=workshop).figures[MOOD]
    kept = json.dumps(state)
    assert "reading" not in kept and "left out" not in kept
    assert not any(str(p.id) in state for p in people)
    assert set(state) == {"read", "people", "weight", "valence_sum", "feelings", "released", "batches"}


def test_activity_notes_count_only_when_their_writer_let_them_count(workshop):
    people = room(workshop, K, step="scenarios", analogy=None)
    with unscoped():
        activity = WorkshopActivity.objects.create(organization_id=workshop.organization_id, workshop=workshop,
                                                   position=9, kind="empathy_map")
        for i, p in enumerate(people):
            ActivityRecord.objects.create(
                organization_id=workshop.organization_id, participant=p, activity=activity, kind="empathy_map",
                content=json.dumps({"feels": "anxious and worried", "says": ["I am scared"]}), shared=i > 0)
    assert not mood(workshop).shown  # one of the three kept theirs out of the room's result
    with unscoped():
        ActivityRecord.objects.filter(participant=people[0]).update(shared=True)
    shown = mood(workshop)
    assert shown.shown and shown.feelings[0].label == "anxiety"


def test_korean_writing_is_read_and_named_in_korean(client, org_a, workshop):
    room(workshop, K, after=True, reflection="그 사람이 소외되는 걸 보니 외롭고 슬펐어요. 정말 속상했어요.", share=True)
    shown = mood(workshop)
    assert shown.shown and shown.valence < 0
    assert {"loneliness", "sadness", "hurt"} & {f.label for f in shown.feelings}
    client.force_login(org_a.facilitator)
    client.post(reverse("set_language"), {"language": "ko", "next": "/"})
    section = monitor(client, workshop)
    feelings = re.search(r'id="mood-feelings">([^<]*)<', section).group(1)
    assert re.search(r"외로움|슬픔|상처", feelings)


def test_an_outsider_sees_no_mood(client, org_b, workshop):
    room(workshop, K, after=True, reflection=SAD, share=True)
    client.force_login(org_b.facilitator)
    assert client.get(reverse("facilitator:monitor_live", args=[workshop.public_id])).status_code == 404


def test_a_reflection_kept_private_is_never_read_into_the_mood(workshop):
    # "Keep it private: only I see it": not even an anonymous total of the room may read it.
    room(workshop, K, after=True, reflection=SAD, share=False)
    assert mood(workshop).writers == 0 and mood(workshop).valence is None
    room(workshop, K, prefix="Sharing", after=True, reflection=GLAD, share=True)
    assert figure(workshop)[2] == K  # the K who shared, not the 2K who wrote
