"""Activities whose steps a participant fills in one after the other (empathy map, perspective-getting, bystander
rehearsal): saving a step in their ActivityRecord, and releasing what they wrote to the room.

Saving: each step's answers are merged into the record (``content``: their words, encrypted; ``facts``: what
may be counted). Saving the furthest step moves the record on; saving an earlier one (the participant went
back) keeps where they were. Saving the last step marks the activity done. ``facts["rev"]`` counts the
changes to what the room may be shown (their words, the counted facts, whether they share); a re-save that
changes nothing leaves it, so the room does not lose someone who only pressed the button again.

Releasing: a room result built from people's words changes only in batches of at least k people, as the wall
of reflections does (workshop/workshops/room.py). WorkshopActivity.room_state keeps which records (and which
revision of each) the room has been shown, never their words. A record that changes, stops being shared or
whose author deleted their data leaves the result at once and waits for the next batch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity

RELEASE_SLOT = "released_records"  # the slot of room_state this module owns

# Control characters (tab and line breaks aside) and the bidirectional overrides and isolates, which can make
# a note on the projector read differently from what was typed. Right-to-left text itself needs none of them.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def text_clean(value: str) -> str:
    """A participant's note as kept: the unwanted characters out, spaces collapsed, trimmed."""
    return " ".join(_UNWANTED.sub("", value or "").split())


def record_of(*, participant: Participant, activity: WorkshopActivity) -> ActivityRecord | None:
    return ActivityRecord.objects.filter(participant_id=participant.pk, activity_id=activity.pk).first()


def record_words(record: ActivityRecord | None) -> dict:
    """What the participant wrote (decrypted), {} when nothing or when it cannot be read."""
    if record is None or not record.content:
        return {}
    try:
        found = json.loads(record.content)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def step_save(*, participant: Participant, activity: WorkshopActivity, step: str, words: dict | None = None,
              facts: dict | None = None, shared: bool | None = None, shared_default: bool = True,
              uncounted: Iterable[str] = (), update: Callable[[dict], tuple[dict, dict]] | None = None
              ) -> ActivityRecord:
    """Save one step of a stepped activity for the participant (idempotent: a double submit writes the same
    answer). ``words`` and ``facts`` are merged into the record's; ``update``, given the words saved so far
    (read under the record's lock), returns more words and facts to merge. ``shared`` sets whether the room
    may be shown their words (None: unchanged; a new record starts at ``shared_default``). ``uncounted``:
    fact keys the room is never shown, whose change does not make a new revision."""
    from workshop.activities.flow import participant_settle  # the flow imports the registry, which imports us
    from workshop.activities.registry import activity_for

    names = activity_for(activity.kind).step_names()
    if step not in names:
        raise ValueError(f"{activity.kind} has no step {step!r}")
    with transaction.atomic():
        record, _created = ActivityRecord.objects.select_for_update().get_or_create(
            participant=participant, activity=activity,
            defaults={"organization_id": participant.organization_id, "kind": activity.kind, "step": names[0],
                      "shared": shared_default})
        before_words, before_facts, before_shared = record_words(record), dict(record.facts or {}), record.shared
        more_words, more_facts = update(before_words) if update else ({}, {})
        after_words = {**before_words, **(words or {}), **more_words}
        after_facts = {**before_facts, **(facts or {}), **more_facts}
        if shared is not None:
            record.shared = shared
        counted = [key for key in after_facts if key not in set(uncounted) | {"rev"}]
        if (after_words != before_words or record.shared != before_shared
                or any(after_facts.get(key) != before_facts.get(key) for key in counted)):
            after_facts["rev"] = int(before_facts.get("rev", 0)) + 1
        record.content = json.dumps(after_words, ensure_ascii=False)
        record.facts = after_facts
        at, furthest = names.index(step), names.index(record.step) if record.step in names else 0
        if record.done_at is None and at >= furthest:
            if at == len(names) - 1:
                record.step, record.done_at = step, timezone.now()
            else:
                record.step = names[at + 1]
        record.save()
        if record.done_at is not None:
            participant_settle(participant)
    return record


def step_to_show(*, record: ActivityRecord | None, names: list[str], asked: str | None) -> str:
    """The step a phone page shows: the one asked for (?step=) when the participant has reached it, else the
    one they are on (the last one once they are done)."""
    if record is None:
        reached = 0
    elif record.done_at is not None:
        reached = len(names) - 1
    else:
        reached = names.index(record.step) if record.step in names else 0
    if asked in names and names.index(asked) <= reached:
        return asked
    return names[reached]


def counting_records(activity: WorkshopActivity) -> list[ActivityRecord]:
    """The activity's records of people who have not deleted their data, with their facts (no words)."""
    return list(ActivityRecord.objects.filter(activity_id=activity.pk, participant__deleted_at__isnull=True)
                .defer("content").order_by("id"))


def _live(entries: list[dict], revisions: dict[int, int]) -> list[dict]:
    return [entry for entry in entries if revisions.get(entry["id"]) == entry["rev"]]


def released(*, activity: WorkshopActivity, k: int, records: list[ActivityRecord]) -> list[ActivityRecord] | None:
    """The records the room may be shown now, from ``records`` (those that count at this moment, one per
    person): a new batch joins once at least k people's records are waiting, and a record that changed since
    it was shown waits again. None while fewer than k people's records are shown."""
    revisions = {r.id: int((r.facts or {}).get("rev", 0)) for r in records}

    def waiting(entries: list[dict]) -> list[ActivityRecord]:
        shown = {entry["id"] for entry in entries}
        return [r for r in records if r.id not in shown]

    entries = _live((activity.room_state or {}).get(RELEASE_SLOT, []), revisions)
    if len({r.participant_id for r in waiting(entries)}) >= k:
        with transaction.atomic():
            locked = WorkshopActivity.objects.select_for_update().get(pk=activity.pk)
            state = dict(locked.room_state or {})
            entries = _live(state.get(RELEASE_SLOT, []), revisions)
            batch = waiting(entries)
            if len({r.participant_id for r in batch}) >= k:
                entries += [{"id": r.id, "rev": revisions[r.id]} for r in batch]
                state[RELEASE_SLOT] = entries
                locked.room_state = state
                locked.save(update_fields=["room_state"])
            activity.room_state = state
    by_id = {r.id: r for r in records}
    shown = [by_id[entry["id"]] for entry in entries]
    if len({r.participant_id for r in shown}) < k:
        return None
    return shown


def words_of(records: list[ActivityRecord]) -> dict[int, dict]:
    """The words of these records (decrypted), by record id: one query, only for records already released."""
    rows = ActivityRecord.objects.filter(pk__in=[r.id for r in records]).only("id", "content")
    return {row.id: record_words(row) for row in rows}
