"""{% checkin_card %}: the facilitator's check-in card on a participant's page (templates/participants/base.html;
the tap and the card's refresh are participants/checkin_views.py)."""

from django import template

from workshop.learning.checkin import checkin_card as card

register = template.Library()


@register.inclusion_tag("participants/_checkin.html", takes_context=True)
def checkin_card(context: template.Context) -> dict:
    request = context.get("request")
    participant = getattr(request, "participant", None)
    return {**card(participant=participant), "participant": participant, "csrf_token": context.get("csrf_token"),
            "checkin_next": request.get_full_path() if request else ""}
