"""The commitment: written as "When ..., I will ...", optionally from one of the scenario's discussion prompts;
kept encrypted; in the participant's packet; the projector sees only how many committed, at k."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.activities.lab import activity_of, lab_path, lab_workshop, phones
from tests.debrief.conftest import pdf_text
from workshop.activities.commitment_services import CommitmentRefused, commitment_prompts, commitment_save
from workshop.activities.kinds import ActivityKind
from workshop.activities.registry import activity_for
from workshop.debrief.render import render_pdf
from workshop.debrief.selectors import participant_packet_context
from workshop.participants.models import ActivityRecord, Participant
from workshop.tenancy.scope import organization_scope, unscoped

pytestmark = pytest.mark.django_db

COMMITMENT = {"situation": "someone joins our stand-up by video", "action": "ask them first what they think"}


@pytest.fixture
def room(org_a):
    workshop = lab_workshop(org_a, kinds=(ActivityKind.COMMITMENT,), title="Commitment session")
    return workshop, activity_of(workshop, ActivityKind.COMMITMENT), phones(workshop, ["Ada", "Ben", "Chidi"])


def test_the_page_offers_the_scenarios_discussion_prompts_and_saves_the_commitment(room):
    workshop, activity, (ada, *_rest) = room
    page = ada.get(lab_path(activity)).content.decode()
    assert "What could the team change so that decisions reach the people who are not in the room?" in page
    response = ada.post(lab_path(activity), {"prompt": 2, **COMMITMENT})
    assert response.status_code == 302 and response.url == "/p/done/"
    with unscoped():
        record = ActivityRecord.objects.get(participant_id=ada.id, activity=activity)
        assert record.done_at is not None and record.facts["prompt"] == 2
        due = timezone.datetime.fromisoformat(record.facts["followup_due"])
        assert abs(due - (record.done_at + timedelta(days=workshop.followup_days))) < timedelta(seconds=5)
        assert Participant.objects.get(pk=ada.id).step == Participant.Step.DONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, facts FROM participants_activityrecord WHERE id = %s", [record.id])
        stored, facts = cursor.fetchone()
    assert "stand-up" not in stored and "stand-up" not in str(facts), "the words are stored encrypted, apart"


def test_the_commitment_needs_what_you_will_do(room):
    _workshop, activity, (ada, *_rest) = room
    page = ada.post(lab_path(activity), {"situation": "a meeting", "action": ""}).content.decode()
    assert "Write what you will do." in page
    with unscoped(), pytest.raises(CommitmentRefused):
        commitment_save(participant=Participant.objects.get(pk=ada.id), activity=activity, prompt=None,
                        situation="x", action="  ")


def test_the_commitment_is_in_the_participants_packet_and_nobody_elses(room):
    _workshop, activity, (ada, ben, _chidi) = room
    ada.post(lab_path(activity), {"prompt": "", **COMMITMENT})
    ben.post(lab_path(activity), {"situation": "a colleague is talked over", "action": "say I want to hear them"})
    with unscoped():
        participant = Participant.objects.select_related("workshop", "organization").get(pk=ada.id)
    with organization_scope(participant.organization_id):
        text, _pages = pdf_text(render_pdf("pdf/participant_packet.html",
                                           participant_packet_context(participant=participant)))
    flat = " ".join(text.split())
    assert "When someone joins our stand-up by video, I will ask them first what they think" in flat
    assert "check-in opens on" in flat
    assert "talked over" not in flat


def test_the_summary_page_shows_it_and_it_can_be_changed_before_the_check_in(room):
    _workshop, activity, (ada, *_rest) = room
    ada.post(lab_path(activity), {"prompt": "", **COMMITMENT})
    assert "I will ask them first what they think" in ada.get("/p/done/").content.decode()
    ada.post(lab_path(activity) + "?change=1", {"prompt": "", "situation": COMMITMENT["situation"],
                                                "action": "wait for them to speak first"})
    assert "wait for them to speak first" in ada.get(lab_path(activity)).content.decode()


def test_the_room_sees_how_many_committed_only_at_k(room):
    _workshop, activity, phones_ = room
    for phone, prompt in zip(phones_, (0, 0, ""), strict=True):
        phone.post(lab_path(activity), {"prompt": prompt, **COMMITMENT})
    declared = activity_for(ActivityKind.COMMITMENT)
    with unscoped():
        assert declared.room_result(activity, k=4) is None
        result = declared.room_result(activity, k=3)
    with unscoped():
        first_prompt = commitment_prompts(activity=activity, language="en")[0]
    assert result == {"kind": "commitment", "people": 3, "from_prompt": 0.67,
                      "prompts": [{"prompt": 0, "people": 2, "text": first_prompt}]}
    assert "stand-up" not in str(result)
