"""{% choice_input choice %}: one radio or checkbox of a form field, the same markup as ``{{ choice.tag }}``
without rendering Django's widget templates for every option. A profile page has 25 options: through the widget
templates they were most of the page's CPU (issue 15, the join burst)."""

from django import template
from django.forms.boundfield import BoundWidget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def choice_input(choice: BoundWidget) -> SafeString:
    data = choice.data
    value = "" if data["value"] is None else format_html(' value="{}"', str(data["value"]))
    # As django/forms/widgets/attrs.html writes them: in order, True as a bare name, False left out.
    attrs = format_html_join("", "{}", ((format_html(" {}", name) if v is True else format_html(' {}="{}"', name, v),)
                                        for name, v in data["attrs"].items() if v is not False))
    return format_html('<input type="{}" name="{}"{}{}>', data["type"], data["name"], value, attrs)
