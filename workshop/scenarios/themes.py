"""Scenario themes are free text in the facilitator's own words ("microaggression", "hybrid work").

The engine's known themes are suggestions: a word that names one of them (its id, "remote work", or its label,
"being left out") is stored as that id, so libraries, filters and reports group them together; any other word
is kept as typed, lower-case, and shown as typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from workshop.engine import THEMES, EngineInputError, ScenarioSpec, analyze_scenario

if TYPE_CHECKING:
    from workshop.scenarios.models import Scenario


# The known themes' names as people read them, in every page, filter, report and packet (the engine's labels
# in workshop/engine/data/vocabulary.yaml are its English matching words). A test checks every theme has one.
THEME_LABELS = {
    "exclusion": gettext_lazy("being left out"),
    "voice_and_credit": gettext_lazy("not being heard or credited"),
    "underestimated": gettext_lazy("being underestimated"),
    "stereotype": gettext_lazy("being judged by a stereotype"),
    "loss_of_role": gettext_lazy("losing a role that mattered"),
    "insecurity_threat": gettext_lazy("living with a threat you cannot control"),
    "conflicting_duties": gettext_lazy("being torn between two duties"),
    "guilt": gettext_lazy("guilt about letting others down"),
    "unfair_blame": gettext_lazy("being blamed unfairly"),
    "otherness": gettext_lazy("being the odd one out"),
    "caregiving": gettext_lazy("caregiving"),
    "parenthood": gettext_lazy("parenthood"),
    "age": gettext_lazy("age"),
    "disability_neurodiversity": gettext_lazy("disability and neurodiversity"),
    "language_accent": gettext_lazy("language and accent"),
    "religion_culture": gettext_lazy("religion and culture"),
    "gender": gettext_lazy("gender"),
    "remote_work": gettext_lazy("remote work"),
    "job_insecurity": gettext_lazy("job insecurity"),
    "health": gettext_lazy("health"),
    "class_background": gettext_lazy("class background"),
    "sexuality": gettext_lazy("sexuality"),
}


def _key(word: str) -> str:
    return " ".join(word.replace("_", " ").split()).lower()


_KNOWN: dict[str, str] = {
    **{_key(info["label"]): tid for tid, info in THEMES.items()},
    **{_key(tid): tid for tid in THEMES},
}


def _known_translated() -> dict[str, str]:
    """The known themes' labels in every language of the site (a Korean facilitator types the Korean name)."""
    known: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            known.update({_key(str(label)): tid for tid, label in THEME_LABELS.items()})
    return known


def theme_normalize(word: str) -> str:
    """The id of the known theme the word names, else the word itself, lower-case with single spaces."""
    key = _key(word)
    return _KNOWN.get(key) or _known_translated().get(key, key)


def themes_normalize(words: Iterable[str]) -> list[str]:
    """Each word normalized, blanks and repeats dropped, in the order given."""
    out: list[str] = []
    for word in words:
        theme = theme_normalize(word)
        if theme and theme not in out:
            out.append(theme)
    return out


def theme_label(theme: str) -> str:
    """What to show: a known theme's label in the language in use, any other theme as it was typed."""
    return str(THEME_LABELS[theme]) if theme in THEME_LABELS else theme


def theme_labels(themes: Iterable[object]) -> list[str]:
    return [theme_label(t) for t in themes if isinstance(t, str)]


def themes_match(themes: Iterable[object], query: str) -> bool:
    """Whether a scenario's themes include the one asked for (by id, label or free word, any case)."""
    wanted = theme_normalize(query)
    return bool(wanted) and any(isinstance(t, str) and theme_normalize(t) == wanted for t in themes)


def theme_suggestions() -> dict[str, list[str]]:
    """The known themes' labels to suggest: what happens to the person first, then what it touches."""
    return {
        "relational": [theme_label(tid) for tid, info in THEMES.items() if info.get("relational")],
        "topics": [theme_label(tid) for tid, info in THEMES.items() if not info.get("relational")],
    }


def theme_filter_choices(used: Iterable[object]) -> list[tuple[str, str]]:
    """(value, label) for a theme filter: the known themes, then the free themes the scenarios use."""
    known = [(tid, theme_label(tid).capitalize()) for tid in THEMES]
    free = sorted({t for t in used if isinstance(t, str) and t and t not in THEMES})
    return known + [(t, t) for t in free]


def scenario_relational_themes(scenario: Scenario) -> list[str]:
    """The engine's relational themes for a stored scenario, strongest first: what its free theme words and its
    narrative add up to. The stored themes when the engine cannot read the scenario."""
    try:
        structure = analyze_scenario(ScenarioSpec.model_validate(scenario.to_spec_dict()))
    except (EngineInputError, ValidationError):
        return [t for t in scenario.themes if isinstance(t, str)]
    return list(structure.relational_themes)
