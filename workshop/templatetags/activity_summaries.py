"""{{ item.record|activity_summary }}: a participant's own work in an activity, as its kind shows it to them on
their summary page and in their packet (the kind's ``summary_data``). Only ever given the reader's own record."""

from django import template

from workshop.activities.registry import activity_for

register = template.Library()


@register.filter
def activity_summary(record) -> dict:
    if record is None:
        return {}
    summary = getattr(activity_for(record.kind), "summary_data", None)
    return summary(record) if summary is not None else {}
