"""Strategy names as people read them: "domain:team_sport:imagined:group" -> "Their own life domain (team sport),
imagined, a group scene". The names themselves stay stable in the rows and exports."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshop.reports.labels import FAMILY, SOURCE

FRAMING = {
    "recalled": gettext_lazy("recalled"),
    "imagined": gettext_lazy("imagined"),
    "llm": gettext_lazy("written by the LLM"),
}
AUDIENCE = {
    "group": gettext_lazy("a group scene"),  # the participant among several others
    "one_to_one": gettext_lazy("a one-to-one scene"),  # between them and one other person
    "mixed": gettext_lazy("scene not told"),  # an own memory whose scene cannot be read, and the generic text
}


def strategy_label(name: str) -> str:
    """A strategy in words; a name from a later engine, as it is."""
    kind, family, *rest = [*name.split(":"), "", ""][:4]
    if kind not in SOURCE:
        return name
    source = str(SOURCE[kind])
    if family in FAMILY:
        source = _("%(source)s (%(family)s)") % {"source": source, "family": FAMILY[family]}
    words = [source, *(str(table[part]) for table, part in zip((FRAMING, AUDIENCE), rest, strict=True)
                       if part in table)]
    return ", ".join(words)
