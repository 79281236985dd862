"""Reading and writing a participant's ActivityRecord: ``content`` is encrypted JSON text (what they wrote),
``facts`` plain JSON (what may be counted: choices, grades, roles, times; never anyone's words)."""

from __future__ import annotations

import json

from django.utils import timezone

from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity


def record_for(*, participant: Participant, activity: WorkshopActivity) -> ActivityRecord:
    """The participant's record of this activity, made on first use."""
    from workshop.activities.registry import activity_for  # the kinds' modules use this one

    record, _created = ActivityRecord.objects.get_or_create(
        participant=participant, activity=activity,
        defaults={"organization_id": participant.organization_id, "kind": activity.kind,
                  "step": activity_for(activity.kind).steps[0].name})
    return record


def record_content(record: ActivityRecord | None) -> dict:
    """What the participant wrote, decrypted (an empty dict when nothing was)."""
    if record is None or not record.content:
        return {}
    try:
        found = json.loads(record.content)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def record_update(*, record: ActivityRecord, facts: dict | None = None, content: dict | None = None,
                  step: str | None = None, done: bool = False) -> ActivityRecord:
    """Merge top-level keys into the record's facts and content, optionally move its step or mark it done."""
    fields = ["updated"]
    if facts:
        record.facts = {**(record.facts or {}), **facts}
        fields.append("facts")
    if content:
        record.content = json.dumps({**record_content(record), **content}, ensure_ascii=False)
        fields.append("content")
    if step is not None:
        record.step = step
        fields.append("step")
    if done and record.done_at is None:
        record.done_at = timezone.now()
        fields.append("done_at")
    record.save(update_fields=fields)
    return record
