"""Scenario themes are free text in the facilitator's own words ("microaggression", "hybrid work").

The engine's known themes are suggestions: a word that names one of them (its id, "remote work", or its label,
"being left out") is stored as that id, so libraries, filters and reports group them together; any other word
is kept as typed, lower-case, and shown as typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import ValidationError

from workshop.engine import THEMES, EngineInputError, ScenarioSpec, analyze_scenario

if TYPE_CHECKING:
    from workshop.scenarios.models import Scenario


def _key(word: str) -> str:
    return " ".join(word.replace("_", " ").split()).lower()


_KNOWN: dict[str, str] = {
    **{_key(info["label"]): tid for tid, info in THEMES.items()},
    **{_key(tid): tid for tid in THEMES},
}


def theme_normalize(word: str) -> str:
    """The id of the known theme the word names, else the word itself, lower-case with single spaces."""
    key = _key(word)
    return _KNOWN.get(key, key)


def themes_normalize(words: Iterable[str]) -> list[str]:
    """Each word normalized, blanks and repeats dropped, in the order given."""
    out: list[str] = []
    for word in words:
        theme = theme_normalize(word)
        if theme and theme not in out:
            out.append(theme)
    return out


def theme_label(theme: str) -> str:
    """What to show: a known theme's label, any other theme as it was typed."""
    info = THEMES.get(theme)
    return info["label"] if info else theme


def theme_labels(themes: Iterable[object]) -> list[str]:
    return [theme_label(t) for t in themes if isinstance(t, str)]


def themes_match(themes: Iterable[object], query: str) -> bool:
    """Whether a scenario's themes include the one asked for (by id, label or free word, any case)."""
    wanted = theme_normalize(query)
    return bool(wanted) and any(isinstance(t, str) and theme_normalize(t) == wanted for t in themes)


def theme_suggestions() -> dict[str, list[str]]:
    """The known themes' labels to suggest: what happens to the person first, then what it touches."""
    return {
        "relational": [info["label"] for info in THEMES.values() if info.get("relational")],
        "topics": [info["label"] for info in THEMES.values() if not info.get("relational")],
    }


def theme_filter_choices(used: Iterable[object]) -> list[tuple[str, str]]:
    """(value, label) for a theme filter: the known themes, then the free themes the scenarios use."""
    known = [(tid, info["label"].capitalize()) for tid, info in THEMES.items()]
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
