"""A listener's feedback is theirs alone: the rules' grades of their reflection, their words, and their
observer's rating and flagged moment reach the listener and nobody else: not the speaker, not the observer
who wrote it, not the facilitator or admin, not another organization. The room sees skill levels only
once they cover k people."""

import pytest
from rest_framework.test import APIClient

from tests.activities.lab import activity_of, lab_path, lab_workshop, phones, room_state
from workshop.activities.listening_feedback import Mechanism, tip
from workshop.activities.listening_services import listening_feedback
from workshop.activities.registry import activity_for
from workshop.api.services import api_token_create
from workshop.participants.models import Participant
from workshop.tenancy.scope import unscoped

pytestmark = pytest.mark.django_db

PARAPHRASE = "So when the Zanzibar offsite was planned, you were kept out of it"
MOMENT = "The long pause before your question, Quillon-moment"


def api(team, role: str) -> APIClient:
    with unscoped():
        _token, key = api_token_create(organization_id=team.org.id, user=getattr(team, role), name="privacy")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def lab_round_one(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi"])
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    roles = room_state(activity)["groups"][0]["roles"]["1"]
    by_id = {p.id: p for p in room}
    listener, speaker, observer = by_id[roles["listener"]], by_id[roles["speaker"]], by_id[roles["observers"][0]]
    listener.post(lab_path(activity), {"round": 1, "paraphrase": PARAPHRASE, "feeling": "left out",
                                       "question": "What did that week feel like?"})
    observer.post(lab_path(activity), {"round": 1, "emotional_reactions": "strong", "interpretations": "weak",
                                       "explorations": "strong", "moment": MOMENT})
    return workshop, activity, listener, speaker, observer


def _secrets() -> list[str]:
    return [PARAPHRASE, "Quillon-moment", tip(Mechanism.EMOTIONS, "strong"), tip(Mechanism.INTERPRETATIONS, "strong")]


def test_the_listener_sees_their_feedback_and_their_observers_rating(lab_round_one):
    _workshop, activity, listener, _speaker, _observer = lab_round_one
    page = listener.get(lab_path(activity)).content.decode()
    for secret in _secrets():
        assert secret in page
    assert "observer: clearly" in page and "observer: partly" in page


@pytest.mark.parametrize("who", ["speaker", "observer"])
def test_the_speaker_and_the_observer_do_not_see_the_listeners_feedback(lab_round_one, who):
    _workshop, activity, listener, speaker, observer = lab_round_one
    other = {"speaker": speaker, "observer": observer}[who]
    page = other.get(lab_path(activity)).content.decode()
    for secret in _secrets():
        assert secret not in page
    with unscoped():
        fresh = activity_of(activity.workshop)
        assert listening_feedback(participant=Participant.objects.get(pk=other.id), activity=fresh) == []
        assert len(listening_feedback(participant=Participant.objects.get(pk=listener.id), activity=fresh)) == 1


def test_the_observer_sees_it_for_their_own_rounds_only_after_the_roles_rotate(lab_round_one):
    _workshop, activity, listener, speaker, observer = lab_round_one
    speaker.post(lab_path(activity), {"round": 1})
    roles = room_state(activity)["groups"][0]["roles"]["2"]
    assert roles["listener"] == speaker.id and observer.id == roles["speaker"]
    for phone in (speaker, observer, listener):
        page = phone.get(lab_path(activity)).content.decode()
        if phone is listener:
            assert PARAPHRASE in page
        else:
            assert PARAPHRASE not in page and "Quillon-moment" not in page


@pytest.mark.parametrize("role", ["facilitator", "admin", "analyst"])
def test_staff_pages_and_the_api_never_show_the_feedback(lab_round_one, client, org_a, role):
    workshop, _activity, *_people = lab_round_one
    client.force_login(getattr(org_a, role))
    responses = [client.get(f"/f/workshops/{workshop.public_id}/{page}")
                 for page in ("", "monitor/", "monitor/live/", "projector/")]
    if role != "analyst":  # analysts see reports, not workshops
        assert [r.status_code for r in responses] == [200, 200, 200, 200]
    bodies = [r.content.decode() for r in responses]
    bodies.append(api(org_a, role).get("/api/v1/participants/", {"workshop": workshop.public_id}).content.decode())
    for body in bodies:
        for secret in _secrets():
            assert secret not in body


def test_another_organization_sees_nothing(lab_round_one, client, org_b):
    workshop, *_rest = lab_round_one
    client.force_login(org_b.admin)
    assert client.get(f"/f/workshops/{workshop.public_id}/monitor/").status_code == 404
    body = api(org_b, "admin").get("/api/v1/participants/").content.decode()
    for secret in [*_secrets(), "Ada", "Chidi"]:
        assert secret not in body


def test_the_room_sees_skill_levels_only_at_k_people(lab_round_one):
    _workshop, activity, *_people = lab_round_one
    with unscoped():
        fresh = activity_of(activity.workshop)
        assert activity_for(fresh.kind).room_result(fresh, k=3) is None, "one listener so far"
        assert activity_for(fresh.kind).room_result(fresh, k=1)["people"] == 1
