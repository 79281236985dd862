"""The active-listening lab through the phone pages: arriving forms the groups, each role does its part,
the group moves on and the roles rotate; late joiners; the facilitator moves the room on (audited)."""

import pytest

from tests.activities.lab import activity_of, lab_path, lab_workshop, phones, room_state
from workshop.activities.flow import participant_place
from workshop.activities.listening_groups import ROUNDS, Role
from workshop.activities.listening_services import ListeningRefused, listening_advance, prompt_text
from workshop.participants.models import ActivityRecord, Participant
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped

pytestmark = pytest.mark.django_db


def _roles(activity, round_number: int, group: int = 0) -> dict:
    return room_state(activity)["groups"][group]["roles"][str(round_number)]


def _by_id(room, person_id):
    return next(p for p in room if p.id == person_id)


def _play_round(room, activity, round_number: int, group: int = 0) -> None:
    roles = _roles(activity, round_number, group)
    path = lab_path(activity)
    _by_id(room, roles["speaker"]).post(path, {"round": round_number})
    _by_id(room, roles["listener"]).post(path, {
        "round": round_number, "paraphrase": "So when the plan changed without you, you felt shut out",
        "feeling": "left out", "question": "What was the hardest moment for you?"})
    for observer in roles["observers"]:
        _by_id(room, observer).post(path, {"round": round_number, "emotional_reactions": "strong",
                                           "interpretations": "weak", "explorations": "strong", "moment": ""})


def test_three_phones_arrive_and_the_lab_forms_a_trio_in_arrival_order(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada Lovelace", "Ben", "Chidi"])
    activity = activity_of(workshop)
    first = room[0].get(lab_path(activity))
    assert first.status_code == 200 and "1 person is here" in first.content.decode()
    room[2].get(lab_path(activity))
    room[1].get(lab_path(activity))
    state = room_state(activity)
    assert state["groups"][0]["members"] == [room[0].id, room[2].id, room[1].id]
    page = room[1].get(lab_path(activity)).content.decode()
    assert "Round 1 of 3" in page and "<strong>Ada</strong>" in page
    assert "Lovelace" not in page, "the others see first names only"


def test_the_speaker_sees_a_prompt_from_the_workshops_themes_in_their_language(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi"], language="ko")
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    roles = _roles(activity, 1)
    assert roles["prompt"].split("-")[0] in ("exclusion", "voice"), "the scenario's themes choose the prompts"
    prompt = prompt_text(roles["prompt"], "ko")
    assert prompt.endswith("주세요.")
    assert prompt in _by_id(room, roles["speaker"]).get(lab_path(activity)).content.decode()
    assert prompt not in _by_id(room, roles["listener"]).get(lab_path(activity)).content.decode()


def test_roles_rotate_over_three_rounds_and_the_lab_then_sends_everyone_on(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi"])
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    seen = {p.id: [] for p in room}
    for number in range(1, ROUNDS + 1):
        roles = _roles(activity, number)
        seen[roles["speaker"]].append(Role.SPEAKER)
        seen[roles["listener"]].append(Role.LISTENER)
        for observer in roles["observers"]:
            seen[observer].append(Role.OBSERVER)
        _play_round(room, activity, number)
    assert all(sorted(roles) == sorted(Role.values) for roles in seen.values())
    with unscoped():
        assert ActivityRecord.objects.filter(activity=activity, done_at__isnull=False).count() == 3
        for phone in room:
            assert participant_place(Participant.objects.get(pk=phone.id)).step == "done"
            assert Participant.objects.get(pk=phone.id).step == Participant.Step.DONE
    page = room[0].get(lab_path(activity)).content.decode()
    assert "The lab is over for you" in page and 'href="/p/done/"' in page


def test_a_group_waits_for_its_last_member_before_moving_on(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi"])
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    roles = _roles(activity, 1)
    _by_id(room, roles["speaker"]).post(lab_path(activity), {"round": 1})
    page = _by_id(room, roles["speaker"]).get(lab_path(activity)).content.decode()
    assert "Waiting for the others in your group" in page
    assert room_state(activity)["groups"][0]["round"] == 1


def test_someone_cannot_do_another_roles_part(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi"])
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    roles = _roles(activity, 1)
    speaker = _by_id(room, roles["speaker"])
    speaker.post(lab_path(activity), {"round": 1, "paraphrase": "I pretend to be the listener", "feeling": "x",
                                      "question": "What?"})
    with unscoped():
        record = ActivityRecord.objects.get(activity=activity, participant_id=speaker.id)
    assert "grades" not in str(record.facts) and "pretend" not in record.content


def test_five_people_make_a_trio_and_a_pair_and_a_late_joiner_fills_the_pair(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi", "Dee", "Eli"])
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    assert [len(g["members"]) for g in room_state(activity)["groups"]] == [3, 2]
    late = phones(workshop, ["Fay"])[0]
    page = late.get(lab_path(activity)).content.decode()
    assert "You join a group at the next round" in page
    pair = room_state(activity)["groups"][1]
    assert pair["members"][-1] == late.id and pair["joins"][str(late.id)] == 2
    _play_round(room, activity, 1, group=1)
    assert late.id in [*_roles(activity, 2, 1)["observers"], _roles(activity, 2, 1)["listener"],
                       _roles(activity, 2, 1)["speaker"]]
    assert "Round 2 of 3" in late.get(lab_path(activity)).content.decode()


def test_four_people_make_two_pairs(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi", "Dee"])
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    assert [g["members"] for g in room_state(activity)["groups"]] == [[room[0].id, room[1].id],
                                                                     [room[2].id, room[3].id]]


def test_the_facilitator_starts_the_rounds_and_moves_the_room_on_and_it_is_audited(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi", "Dee"])
    activity = activity_of(workshop)
    for phone in room[:3]:
        phone.get(lab_path(activity))
    assert room_state(activity)["state"] == "gathering", "Dee has not arrived yet"
    with unscoped():
        assert listening_advance(activity=activity, actor=org_a.facilitator) == 1
        assert [len(g["members"]) for g in room_state(activity)["groups"]] == [3]
        for expected in (2, 3, ROUNDS + 1):
            assert listening_advance(activity=activity, actor=org_a.facilitator) == expected
        with pytest.raises(ListeningRefused):
            listening_advance(activity=activity, actor=org_a.facilitator)
        events = list(AuditEvent.objects.filter(organization=org_a.org, action="listening.advance")
                      .order_by("id").values_list("detail", flat=True))
    assert [e["round"] for e in events] == [1, 2, 3, ROUNDS + 1]
    late = room[3].get(lab_path(activity)).content.decode()
    assert "The lab finished before you arrived." in late and 'href="/p/done/"' in late


def test_the_rounds_cannot_start_with_one_person(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben"])
    activity = activity_of(workshop)
    room[0].get(lab_path(activity))
    with unscoped(), pytest.raises(ListeningRefused):
        listening_advance(activity=activity, actor=org_a.facilitator)


def test_a_poll_changes_only_when_the_phones_own_view_changes(org_a):
    workshop = lab_workshop(org_a)
    room = phones(workshop, ["Ada", "Ben", "Chidi", "Dee", "Eli"])
    activity = activity_of(workshop)
    for phone in room:
        phone.get(lab_path(activity))
    trio_member = room[0]
    before = trio_member.get(lab_path(activity), poll=1).json()["sig"]
    _play_round(room, activity, 1, group=1)  # the pair moves on
    assert trio_member.get(lab_path(activity), poll=1).json()["sig"] == before
    _play_round(room, activity, 1, group=0)
    assert trio_member.get(lab_path(activity), poll=1).json()["sig"] != before
