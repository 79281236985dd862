"""A participant's own finished activities as their summary shows them, for their packet: the kinds with a
summary template of their own (a scenario with analogy is shown in full by the packet itself)."""

from __future__ import annotations

from workshop.activities.registry import activity_for
from workshop.participants.models import ActivityRecord, Participant
from workshop.workshops.models import WorkshopActivity


def participant_activity_items(*, participant: Participant, language: str) -> list[dict]:
    """In the workshop's order, each finished activity with its kind's summary template: the same ``item`` the
    summary page gives that template (position, kind, label, text, record, summary_template)."""
    records = {r.activity_id: r for r in ActivityRecord.objects.filter(participant_id=participant.pk,
                                                                        done_at__isnull=False)}
    items = []
    for activity in (WorkshopActivity.objects.filter(workshop_id=participant.workshop_id, id__in=records)
                     .select_related("scenario").order_by("position")):
        declared = activity_for(activity.kind)
        if declared.summary_template is None:
            continue
        items.append({"position": activity.position, "kind": activity.kind, "label": declared.label,
                      "text": activity.scenario.localized(language) if activity.scenario else None,
                      "record": records[activity.id], "summary_template": declared.summary_template})
    return items
