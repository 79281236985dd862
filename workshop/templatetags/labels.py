"""{{ code|emotion }} and {{ code|theme }}: a stored code in the words of the language in use.

Emotion names come from one table (workshop/participants/data/instruments.yaml), theme names from THEME_LABELS; a free
theme or an unknown label is shown as it was written.
"""

from django import template
from django.utils.translation import get_language

from workshop.participants.instruments import emotion_name
from workshop.scenarios.themes import theme_label

register = template.Library()


@register.filter
def emotion(label: object) -> str:
    return emotion_name(str(label), get_language() or "en")


@register.filter
def theme(code: object) -> str:
    return theme_label(str(code))
