"""The listening lab's groups: formed in arrival order in threes (pairs for the remainder), late joiners
placed, roles rotated over three rounds, the same result for the same arrivals."""

import pytest

from workshop.activities.listening_groups import (
    ROUNDS,
    LabState,
    Role,
    active_members,
    lab_advance,
    lab_arrive,
    lab_finish_part,
    new_state,
    partition,
    person_done,
)

PROMPTS = ["p1", "p2", "p3", "p4"]


def _room(n: int) -> dict:
    state = new_state()
    for person in range(1, n + 1):
        lab_arrive(state, person, expected=n, prompts=PROMPTS)
    return state


def _sizes(state: dict) -> list[int]:
    return [len(g["members"]) for g in state["groups"]]


def _finish_round(state: dict) -> None:
    for group in list(state["groups"]):
        number = group["round"]
        for person in active_members(group, number):
            lab_finish_part(state, person, number, PROMPTS)


def _roles(state: dict, person: int) -> list[str]:
    group = next(g for g in state["groups"] if person in g["members"])
    out = []
    for number in sorted(group["roles"], key=int):
        roles = group["roles"][number]
        out.append(Role.SPEAKER if roles["speaker"] == person else Role.LISTENER if roles["listener"] == person
                   else Role.OBSERVER if person in roles["observers"] else "")
    return out


@pytest.mark.parametrize(("people", "sizes"), [(3, [3]), (4, [2, 2]), (5, [3, 2]), (7, [3, 2, 2]), (2, [2]),
                                                (6, [3, 3]), (8, [3, 3, 2]), (1, [])])
def test_groups_are_threes_in_arrival_order_and_the_remainder_makes_pairs(people, sizes):
    state = _room(people)
    if people < 3:
        assert state["state"] == LabState.GATHERING, "two people wait for the facilitator"
        lab_advance(state, PROMPTS)
    assert _sizes(state) == sizes
    flat = [m for g in state["groups"] for m in g["members"]]
    assert flat == list(range(1, people + 1)) if sizes else flat == []
    assert state["state"] == (LabState.RUNNING if sizes else LabState.GATHERING)


def test_partition_never_makes_a_group_of_four_or_a_single():
    for n in range(2, 40):
        assert all(size in (2, 3) for size in map(len, partition(list(range(n))))), n


def test_the_rounds_wait_for_everyone_expected_unless_the_facilitator_starts_them():
    state = new_state()
    for person in (1, 2, 3):
        lab_arrive(state, person, expected=5, prompts=PROMPTS)
    assert state["state"] == LabState.GATHERING and state["groups"] == []
    assert lab_advance(state, PROMPTS) == 1
    assert _sizes(state) == [3]


def test_in_a_trio_everyone_has_each_role_once_over_three_rounds():
    state = _room(3)
    for _ in range(ROUNDS):
        _finish_round(state)
    assert state["state"] == LabState.DONE
    for person in (1, 2, 3):
        assert sorted(_roles(state, person)) == sorted(Role.values)
        assert person_done(state, person)


def test_in_a_pair_both_listen_and_both_speak():
    state = _room(5)
    for _ in range(ROUNDS):
        _finish_round(state)
    for person in (4, 5):
        assert Role.LISTENER in _roles(state, person) and Role.SPEAKER in _roles(state, person)
    for person in (1, 2, 3):
        assert sorted(_roles(state, person)) == sorted(Role.values)


def test_seven_people_every_one_listens_at_least_once():
    state = _room(7)
    for _ in range(ROUNDS):
        _finish_round(state)
    assert all(Role.LISTENER in _roles(state, p) for p in range(1, 8))


def test_a_group_moves_on_only_when_all_of_it_has_finished_and_not_before():
    state = _room(5)
    trio, pair = state["groups"]
    lab_finish_part(state, 1, 1, PROMPTS)
    lab_finish_part(state, 2, 1, PROMPTS)
    assert trio["round"] == 1
    for person in pair["members"]:
        lab_finish_part(state, person, 1, PROMPTS)
    assert pair["round"] == 2 and trio["round"] == 1, "groups go at their own pace"
    lab_finish_part(state, 3, 1, PROMPTS)
    assert trio["round"] == 2


def test_a_part_for_a_round_already_moved_on_does_not_count():
    state = _room(3)
    _finish_round(state)
    assert lab_finish_part(state, 1, 1, PROMPTS) is False
    assert state["groups"][0]["finished"] == []


def test_a_late_joiner_fills_a_pair_from_its_next_round():
    state = _room(5)
    lab_arrive(state, 6, expected=5, prompts=PROMPTS)
    pair = state["groups"][1]
    assert pair["members"] == [4, 5, 6] and state["pending"] == []
    assert active_members(pair, 1) == [4, 5], "not in the round already under way"
    for person in (4, 5):
        lab_finish_part(state, person, 1, PROMPTS)
    assert active_members(pair, 2) == [4, 5, 6]
    for _ in range(ROUNDS - 1):
        _finish_round(state)
    assert Role.LISTENER in _roles(state, 6), "the late joiner still gets to listen"
    assert _roles(state, 6)[0] == "" and all(_roles(state, 6)[1:]), "no role in round 1, one in each after"


def test_late_joiners_with_no_pair_to_fill_wait_for_the_next_round_then_form_a_group():
    state = _room(3)
    lab_arrive(state, 4, expected=3, prompts=PROMPTS)
    lab_arrive(state, 5, expected=3, prompts=PROMPTS)
    assert state["pending"] == [4, 5] and _sizes(state) == [3]
    _finish_round(state)
    assert state["pending"] == [] and _sizes(state) == [3, 2]
    assert state["groups"][1]["round"] == 1, "a new group starts at the room's round"


def test_one_late_joiner_with_no_pair_joins_the_group_moving_on_as_a_second_observer():
    state = _room(3)
    lab_arrive(state, 4, expected=3, prompts=PROMPTS)
    _finish_round(state)
    group = state["groups"][0]
    assert group["members"] == [1, 2, 3, 4] and active_members(group, 2) == [1, 2, 3, 4]
    assert len(group["roles"]["2"]["observers"]) == 2


def test_the_facilitator_moves_the_slowest_groups_and_ends_the_lab_after_the_third_round():
    state = _room(5)
    for person in (4, 5):
        lab_finish_part(state, person, 1, PROMPTS)
    assert lab_advance(state, PROMPTS) == 2
    assert [g["round"] for g in state["groups"]] == [2, 2]
    assert lab_advance(state, PROMPTS) == 3
    assert lab_advance(state, PROMPTS) == ROUNDS + 1
    assert state["state"] == LabState.DONE
    assert all(person_done(state, p) for p in range(1, 6))


def test_the_same_arrivals_give_the_same_groups_roles_and_prompts():
    def run() -> dict:
        state = _room(7)
        lab_arrive(state, 8, expected=7, prompts=PROMPTS)
        for _ in range(ROUNDS):
            _finish_round(state)
        return state

    assert run() == run()


def test_a_speaker_gets_a_prompt_and_a_group_does_not_repeat_one():
    state = _room(3)
    for _ in range(ROUNDS):
        _finish_round(state)
    prompts = [r["prompt"] for r in state["groups"][0]["roles"].values()]
    assert len(set(prompts)) == ROUNDS and set(prompts) <= set(PROMPTS)
