"""Room results that change only in batches: a figure the projector shows is computed again only once at
least k people have contributed something it does not hold yet (as workshop/workshops/room.py does for the
before/after figures and the wall), so watching one person finish never moves it. The released result is
kept in WorkshopActivity.room_state under a slot of its own, with the contributions it covers."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from workshop.workshops.models import WorkshopActivity


def _waiting(snapshot: dict | None, contributions: dict[str, int]) -> set[int]:
    shown = set(snapshot["keys"]) if snapshot else set()
    return {person for key, person in contributions.items() if key not in shown}


def batched_result(*, activity: WorkshopActivity, k: int, slot: str, contributions: dict[str, int],
                   compute: Callable[[list[str]], dict]) -> dict | None:
    """The released result, after releasing a new one if the contributions not in it come from >= k people.
    ``contributions`` maps a contribution's key to the person who made it; ``compute`` makes the result from
    the keys it covers (never from anyone's words). None until a release covers at least k people."""
    snapshot = (activity.room_state or {}).get(slot)
    if len(_waiting(snapshot, contributions)) >= k:
        with transaction.atomic():
            locked = WorkshopActivity.objects.select_for_update().get(pk=activity.pk)
            state = dict(locked.room_state or {})
            snapshot = state.get(slot)
            if len(_waiting(snapshot, contributions)) >= k:
                keys = sorted(contributions)
                snapshot = {"keys": keys, "people": len(set(contributions.values())), "result": compute(keys)}
                state[slot] = snapshot
                locked.room_state = state
                locked.save(update_fields=["room_state"])
            activity.room_state = state
    if not snapshot or snapshot["people"] < k:
        return None
    return {**snapshot["result"], "people": snapshot["people"]}
