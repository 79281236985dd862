"""Words for the report's keys, translatable (the keys themselves stay stable in exports and the API)."""

from django.utils.translation import gettext_lazy

from workshop.engine import DOMAIN_FAMILIES
from workshop.scenarios.themes import THEME_LABELS

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
# The engine's life-domain families (workshop/engine/data/families.yaml), as people read them.
FAMILY = {
    "team_sport": gettext_lazy("team sport"),
    "individual_sport": gettext_lazy("individual sport"),
    "music_performing": gettext_lazy("music and performing arts"),
    "arts_crafts": gettext_lazy("arts and crafts"),
    "games_online": gettext_lazy("games and online communities"),
    "school_university": gettext_lazy("school and university"),
    "family_caregiving": gettext_lazy("family and caregiving"),
    "friends": gettext_lazy("friends"),
    "cooking_food": gettext_lazy("cooking and food"),
    "faith": gettext_lazy("faith community"),
    "community_volunteering": gettext_lazy("community and volunteering"),
    "moving_travel": gettext_lazy("moving and travel"),
    "nature_pets_outdoors": gettext_lazy("nature, pets and the outdoors"),
}
NO_FAMILY = gettext_lazy("No life domain (a universal situation, or not recorded)")
CONDITION = {
    "personalized": gettext_lazy("Personalized analogy"),
    "generic": gettext_lazy("Generic analogy"),
}
FILTER = {
    "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("To"),
    "scenario": gettext_lazy("Scenario"),
    "theme": gettext_lazy("Theme"),
    "facilitator": gettext_lazy("Facilitator"),
    "workshop": gettext_lazy("Workshop"),
}
EFFECT = {
    "negligible": gettext_lazy("negligible"),
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
    "large": gettext_lazy("large"),
}


def family_labels() -> dict[str, str]:
    """Every family the engine knows, by its translated name (an engine family added later: its own label)."""
    return {**{fid: str(FAMILY.get(fid, label)) for fid, label in DOMAIN_FAMILIES.items()}, "unknown": str(NO_FAMILY)}


def theme_labels() -> dict[str, str]:
    """The known themes' names; a free theme someone typed is shown as typed."""
    return {tid: str(label) for tid, label in THEME_LABELS.items()}


def report_labels() -> dict[str, dict[str, str]]:
    return {"funnel": {k: str(v) for k, v in FUNNEL.items()}, "source": {k: str(v) for k, v in SOURCE.items()},
            "family": family_labels(), "theme": theme_labels(), "filter": {k: str(v) for k, v in FILTER.items()},
            "condition": {k: str(v) for k, v in CONDITION.items()}}
