"""'Delete my data' also takes what a participant wrote in the activities (notes, questions, a commitment, a
listening-lab reflection) and their check-in taps; the retention purge keeps only the counts."""
import json

from tests import factories
from workshop.activities.kinds import ActivityKind
from workshop.participants.answers import participant_delete_data
from workshop.participants.models import ActivityRecord, RoomCheckin
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import WorkshopActivity

SECRET = "I would ask her whether the 4 pm school run is the real reason"


def with_records(workshop):
    participant, _token = factories.joined_participant(workshop, "Robin")
    with unscoped():
        activity = WorkshopActivity.objects.create(organization=workshop.organization, workshop=workshop,
                                                   position=9, kind=ActivityKind.EMPATHY_MAP)
        ActivityRecord.objects.create(organization=workshop.organization, participant=participant,
                                      activity=activity, kind=activity.kind, step="ask",
                                      content=json.dumps({"questions": [SECRET]}), facts={"notes": 4})
        RoomCheckin.objects.create(organization=workshop.organization, workshop=workshop, participant=participant,
                                   poll=1, value=2)
    return participant


def test_deleting_my_data_takes_my_activity_notes_and_check_ins(workshop_a):
    participant = with_records(workshop_a)
    with unscoped():
        participant_delete_data(participant=participant)
        assert not ActivityRecord.objects.filter(participant=participant).exists()
        assert not RoomCheckin.objects.filter(participant=participant).exists()


def test_the_retention_purge_keeps_the_counts_and_takes_the_words(workshop_a):
    participant = with_records(workshop_a)
    with unscoped():
        participant_delete_data(participant=participant, audit=False, keep_anonymous_answers=True)
        record = ActivityRecord.objects.get(participant=participant)
    assert record.content == "" and record.facts == {"notes": 4} and not record.shared
