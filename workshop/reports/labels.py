"""Words for the report's keys, translatable (the keys themselves stay stable in exports and the API)."""

from django.utils.translation import gettext_lazy

from workshop.engine import DOMAIN_FAMILIES

FUNNEL = {
    "joined": gettext_lazy("Joined"),
    "profile": gettext_lazy("Completed the profile"),
    "before": gettext_lazy("Answered before the analogy"),
    "analogy": gettext_lazy("Received the analogy"),
    "after": gettext_lazy("Answered again after it"),
    "reflection": gettext_lazy("Wrote a reflection"),
}
SOURCE = {
    "own_experience": gettext_lazy("Their own memory"),
    "domain": gettext_lazy("Their own life domain"),
    "universal": gettext_lazy("A universal situation"),
    "unknown": gettext_lazy("Not recorded"),
}
NO_FAMILY = gettext_lazy("No life domain (a universal situation, or not recorded)")
CONDITION = {
    "personalized": gettext_lazy("Personalized analogy"),
    "generic": gettext_lazy("Generic analogy"),
}
EFFECT = {
    "negligible": gettext_lazy("negligible"),
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
    "large": gettext_lazy("large"),
}


def family_labels() -> dict[str, str]:
    return {**DOMAIN_FAMILIES, "unknown": str(NO_FAMILY)}


def report_labels() -> dict[str, dict[str, str]]:
    return {"funnel": {k: str(v) for k, v in FUNNEL.items()}, "source": {k: str(v) for k, v in SOURCE.items()},
            "family": family_labels(), "condition": {k: str(v) for k, v in CONDITION.items()}}
