"""{% fig figure "percent" %}: a report figure as text, or why it is hidden ("fewer than 5")."""

from django import template
from django.utils.translation import gettext as _

from workshop.reports.anonymity import SMALL

register = template.Library()

FORMATS = {
    "int": lambda v: f"{v:,.0f}",
    "percent": lambda v: f"{v:.0%}",
    "one": lambda v: f"{v:.1f}",
    "two": lambda v: f"{v:.2f}",
    "signed": lambda v: f"{v:+.2f}",
    "points": lambda v: f"{100 * v:+.1f}",  # a change of a 0..1 score, in percentage points
}


@register.simple_tag(takes_context=True)
def fig(context, figure, style: str = "int") -> str:
    """Autoescaped by the template like any other string."""
    if figure is None:
        return "—"
    if figure.suppressed:
        if figure.status == SMALL:
            return _("fewer than %(k)s") % {"k": context.get("report").k}
        return _("withheld")
    if figure.value is None:
        return "—"
    return FORMATS[style](figure.value)


@register.filter
def num(value, style: str = "two") -> str:
    if value is None:
        return "—"
    return FORMATS[style](value)


@register.filter
def label(key: str, labels: dict) -> str:
    return str(labels.get(key, str(key).replace("_", " ")))
