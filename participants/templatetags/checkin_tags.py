"""{% checkin_card %}: the check-in card on a participant's page (participants/checkin_views.py)."""

from django import template

from participants.checkin_views import checkin_card_context

register = template.Library()


@register.inclusion_tag("participants/_checkin.html", takes_context=True)
def checkin_card(context: template.Context) -> dict:
    request = context.get("request")
    participant = getattr(request, "participant", None)
    card = checkin_card_context(participant=participant, next_url=request.get_full_path() if request else "")
    return {**card, "csrf_token": context.get("csrf_token"), "participant": participant}
