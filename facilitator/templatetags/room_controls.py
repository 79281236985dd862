"""{% room_controls workshop back="monitor" %}: what the projector shows and, with presenter pacing, moving the room
to the next activity. One tag, so the monitor, the workshop page and the projector include the same controls
without each view loading what they need."""
from django import template
from django.utils.translation import get_language

from workshop.activities.flow import workshop_activities
from workshop.activities.kinds import Pacing
from workshop.activities.registry import activity_for
from workshop.workshops.models import Workshop
from workshop.workshops.projector import ProjectorMode, projector_mode_shown

register = template.Library()


def activity_title(activity, language: str) -> str:
    """"2. Empathy map: The rota she used to write", as the console lists an activity."""
    label = str(activity_for(activity.kind).label)
    if activity.scenario is None:
        return f"{activity.position}. {label}"
    return f"{activity.position}. {label}: {activity.scenario.localized(language).title}"


@register.inclusion_tag("facilitator/_room_controls.html", takes_context=True)
def room_controls(context, workshop: Workshop, back: str = "monitor", compact: bool = False) -> dict:
    activities = workshop_activities(workshop=workshop)
    language = get_language()
    current = next((a for a in activities if a.position == workshop.current_position), None)
    mode = projector_mode_shown(workshop)
    modes = [(value, label) for value, label in ProjectorMode.choices
             if value != ProjectorMode.WALL or workshop.show_reflections]
    return {
        "workshop": workshop, "back": back, "compact": compact, "csrf_token": context.get("csrf_token"),
        "presenter": workshop.pacing == Pacing.PRESENTER, "is_open": workshop.state == Workshop.State.OPEN,
        "activities": [(a.position, activity_title(a, language)) for a in activities],
        "current": current, "current_title": activity_title(current, language) if current else "",
        "total": len(activities), "has_next": workshop.current_position < len(activities),
        "has_previous": workshop.current_position > 1, "mode": mode, "modes": modes,
    }
