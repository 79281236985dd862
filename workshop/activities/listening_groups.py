"""The listening lab's groups and rounds, as plain data in WorkshopActivity.room_state. No database here:
listening_services.py locks the row, calls these functions and saves the result, so the same arrivals in the
same order always give the same groups and roles.

Groups. People are grouped in the order they arrived at the lab, in threes (speaker, listener, observer).
Numbers that do not divide by three give pairs, never a group of four: with a remainder of two, one pair; with
a remainder of one, two pairs (4 = 2 + 2, 7 = 3 + 2 + 2). Listening is the skill being practised, and in a pair
both people listen (the offline feedback stands in for the observer), while in a group of four one person
would never get to listen in three rounds.

Start. The rounds begin when the facilitator starts them, or by themselves once every participant of the
workshop has arrived and there are at least three.

Late joiners. Someone who arrives once the rounds have begun joins a pair that has a round left, from that
pair's next round. Otherwise they wait for the next round anywhere in the room: two or more waiting people then
form new groups (as above), starting at the room's round; one waiting person joins the group that is moving
on, if it has fewer than four people (a second observer).

Rounds. Three. Each group moves on when everyone in it has finished their part of the round (the speaker has
spoken, the listener has written back, each observer has rated), or when the facilitator moves the room on
(the slowest groups move one round). Roles rotate so that each person gets each role when the group's size
and their arrival allow: each round's roles are the assignment that repeats the fewest roles anyone already
had (a repeated listener counts double), ties going to the order people arrived. The lab is done when every
group has finished its third round.
"""

from __future__ import annotations

from itertools import permutations

from django.db import models
from django.utils.translation import gettext_lazy

ROUNDS = 3
MAX_GROUP = 4  # a late joiner may make a group of four (two observers); never more
AUTO_START = 3  # the rounds begin by themselves only with at least this many people


class Role(models.TextChoices):
    SPEAKER = "speaker", gettext_lazy("Speaker")
    LISTENER = "listener", gettext_lazy("Listener")
    OBSERVER = "observer", gettext_lazy("Observer")


class LabState(models.TextChoices):
    GATHERING = "gathering", gettext_lazy("Gathering")
    RUNNING = "running", gettext_lazy("In rounds")
    DONE = "done", gettext_lazy("Finished")


def new_state() -> dict:
    return {"version": 0, "state": LabState.GATHERING.value, "arrivals": [], "pending": [], "groups": []}


def partition(people: list[int]) -> list[list[int]]:
    """Groups of three in the given order; a remainder of two makes one pair, a remainder of one two pairs."""
    n = len(people)
    if n < 2:
        return []
    trios, remainder = divmod(n, 3)
    sizes = {0: [3] * trios, 2: [3] * trios + [2], 1: [3] * (trios - 1) + [2, 2]}[remainder]
    groups, start = [], 0
    for size in sizes:
        groups.append(people[start:start + size])
        start += size
    return groups


def active_members(group: dict, round_number: int) -> list[int]:
    return [m for m in group["members"] if group["joins"][str(m)] <= round_number]


def group_finished(group: dict) -> bool:
    return group["round"] > ROUNDS


def lab_round(state: dict) -> int:
    """The room's round: the slowest group's (ROUNDS + 1 once every group has finished)."""
    rounds = [g["round"] for g in state["groups"] if not group_finished(g)]
    return min(rounds) if rounds else ROUNDS + 1


def _role_counts(group: dict, before: int) -> dict[int, dict[str, int]]:
    counts = {m: {role: 0 for role in Role.values} for m in group["members"]}
    for number, roles in group["roles"].items():
        if int(number) < before:
            counts[roles["speaker"]][Role.SPEAKER] += 1
            counts[roles["listener"]][Role.LISTENER] += 1
            for observer in roles["observers"]:
                counts[observer][Role.OBSERVER] += 1
    return counts


def _assign(group: dict, round_number: int) -> tuple[int, int, list[int]]:
    people = active_members(group, round_number)
    counts = _role_counts(group, round_number)
    best = None
    for listener, speaker in permutations(range(len(people)), 2):
        observers = [p for i, p in enumerate(people) if i not in (listener, speaker)]
        cost = (2 * counts[people[listener]][Role.LISTENER] + counts[people[speaker]][Role.SPEAKER]
                + sum(counts[o][Role.OBSERVER] for o in observers))
        if best is None or (cost, listener, speaker) < best[0]:
            best = ((cost, listener, speaker), people[listener], people[speaker], observers)
    return best[1], best[2], best[3]


def _prompt(group_index: int, group: dict, round_number: int, prompts: list[str]) -> str:
    used = {roles.get("prompt") for roles in group["roles"].values()}
    fresh = [p for p in prompts if p not in used] or prompts
    return fresh[(group_index * ROUNDS + round_number) % len(fresh)] if fresh else ""


def _enter_round(state: dict, index: int, round_number: int, prompts: list[str]) -> None:
    group = state["groups"][index]
    group["round"], group["finished"] = round_number, []
    if round_number > ROUNDS:
        return
    listener, speaker, observers = _assign(group, round_number)
    group["roles"][str(round_number)] = {"speaker": speaker, "listener": listener, "observers": observers,
                                         "prompt": _prompt(index, group, round_number, prompts)}


def _new_groups(state: dict, people: list[int], start: int, prompts: list[str]) -> None:
    for members in partition(people):
        state["groups"].append({"members": members, "joins": {str(m): start for m in members}, "round": start,
                                "roles": {}, "finished": []})
        _enter_round(state, len(state["groups"]) - 1, start, prompts)


def _bump(state: dict) -> None:
    state["version"] = state.get("version", 0) + 1


def lab_start(state: dict, prompts: list[str]) -> None:
    """Form the groups from everyone who has arrived, in arrival order, and begin round 1."""
    if state["state"] != LabState.GATHERING or len(state["arrivals"]) < 2:
        return
    state["state"] = LabState.RUNNING.value
    _new_groups(state, list(state["arrivals"]), 1, prompts)
    _bump(state)


def _join_pair(state: dict, person: int) -> bool:
    for group in state["groups"]:
        if len(group["members"]) < 3 and group["round"] < ROUNDS:
            group["members"].append(person)
            group["joins"][str(person)] = group["round"] + 1
            return True
    return False


def lab_arrive(state: dict, person: int, *, expected: int, prompts: list[str]) -> None:
    """Someone opens the lab. While gathering, the rounds begin by themselves once everyone expected (the
    workshop's participants) is here and they are at least three (a room still joining would otherwise start
    with its first two); the facilitator can start them any time. Later arrivals are late joiners."""
    if person in state["arrivals"]:
        return
    state["arrivals"].append(person)
    if state["state"] == LabState.GATHERING:
        if len(state["arrivals"]) >= max(expected, AUTO_START):
            lab_start(state, prompts)
    elif state["state"] == LabState.RUNNING and not _join_pair(state, person):
        state["pending"].append(person)
    _bump(state)


def _place_waiting(state: dict, moving: dict | None, round_number: int, prompts: list[str]) -> None:
    """At a round's turn: waiting people form new groups, or one joins the group that is moving on."""
    waiting = state["pending"]
    if len(waiting) >= 2:
        state["pending"] = []
        _new_groups(state, waiting, min(lab_round(state), ROUNDS), prompts)
    elif (len(waiting) == 1 and moving is not None and round_number <= ROUNDS
          and len(active_members(moving, round_number)) < MAX_GROUP):
        person = waiting[0]
        state["pending"] = []
        moving["members"].append(person)
        moving["joins"][str(person)] = round_number


def _advance_group(state: dict, index: int, prompts: list[str]) -> None:
    group = state["groups"][index]
    next_round = group["round"] + 1
    _place_waiting(state, group, next_round, prompts)
    _enter_round(state, index, next_round, prompts)
    if all(group_finished(g) for g in state["groups"]):
        state["state"] = LabState.DONE.value
        state["pending"] = []


def seat_of(state: dict, person: int) -> tuple[int, dict] | None:
    for index, group in enumerate(state["groups"]):
        if person in group["members"]:
            return index, group
    return None


def lab_finish_part(state: dict, person: int, round_number: int, prompts: list[str]) -> bool:
    """``person`` has done their part of ``round_number``. Their group moves on once everyone in it has.
    False when that round is not their group's current one (a second tab, a round already moved on)."""
    found = seat_of(state, person)
    if found is None or state["state"] != LabState.RUNNING:
        return False
    index, group = found
    if group["round"] != round_number or person not in active_members(group, round_number):
        return False
    if person not in group["finished"]:
        group["finished"].append(person)
    if set(active_members(group, round_number)) <= set(group["finished"]):
        _advance_group(state, index, prompts)
    _bump(state)
    return True


def lab_advance(state: dict, prompts: list[str]) -> int:
    """The facilitator moves the room on: gathering -> round 1, else the slowest groups one round. Returns the
    room's round afterwards (ROUNDS + 1 when the lab is done)."""
    if state["state"] == LabState.GATHERING:
        lab_start(state, prompts)
    elif state["state"] == LabState.RUNNING:
        slowest = lab_round(state)
        for index in [i for i, g in enumerate(state["groups"]) if g["round"] == slowest]:
            _advance_group(state, index, prompts)
        _bump(state)
    return lab_round(state) if state["state"] != LabState.GATHERING else 0


def person_done(state: dict, person: int) -> bool:
    """Whether the lab is over for ``person``: their group finished its rounds, or the whole lab is done."""
    if state.get("state") == LabState.DONE:
        return True
    found = seat_of(state, person)
    return found is not None and group_finished(found[1])
