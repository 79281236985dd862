"""A scenario in more than one language.

A scenario is written in its primary language (its own fields) and may carry translations: for another
language, any of its texts (title, narrative, perspective, discussion prompts, theme words). Whatever a
translation leaves out is shown, and given to the engine, in the primary language. The emotions are labels,
the same in every language.

Stored translations are flat ({"ko": {"title": ..., "perspective_name": ...}}); files and the API write
them as the scenario itself is written, with a nested perspective ({"ko": {"perspective": {"name": ...}}}).

Two optional texts are for activities, never for the engine (spec_data leaves them out): ``when_asked``, what
the person said when someone asked them (perspective-getting shows it after the participant's questions), and
``witness``, the seat of someone who was there (bystander rehearsal replays the scenario from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from workshop.engine import THEMES

# The site's languages are the scenarios' languages: declared once, in settings.LANGUAGES.
LANGUAGE_CHOICES: list[tuple[str, str]] = list(settings.LANGUAGES)
SCENARIO_LANGUAGES: tuple[str, ...] = tuple(code for code, _label in LANGUAGE_CHOICES)
DEFAULT_LANGUAGE = "en"

# Texts the activities show and the engine never reads (see above), in every language like the rest.
ACTIVITY_TEXT_FIELDS = ("when_asked", "witness")
TEXT_FIELDS = ("title", "narrative", "perspective_name", "perspective_role", "perspective_pronouns",
               "discussion_prompts", "themes", *ACTIVITY_TEXT_FIELDS)
LIST_FIELDS = frozenset({"discussion_prompts", "themes"})
PERSPECTIVE_KEYS = ("name", "role", "pronouns")
# A translation block in a file or the API: the scenario's own text fields, nothing else.
BLOCK_KEYS = ("title", "narrative", "perspective", "themes", "discussion_prompts", *ACTIVITY_TEXT_FIELDS)
MAX_SPEC_THEMES = 12


@dataclass(frozen=True)
class ScenarioText:
    """What a reader sees of a scenario in one language. ``language`` is the language of the narrative as
    shown (the primary language when the scenario has no narrative in the language asked for)."""

    language: str
    title: str
    narrative: str
    perspective_name: str
    perspective_role: str
    perspective_pronouns: str
    discussion_prompts: list[str]
    themes: list[str]
    when_asked: str = ""  # what the person said when asked; empty: the scenario has no such text
    witness: str = ""  # the seat of someone who was there; empty: the scenario names none


def language_supported(language: str | None) -> str | None:
    """The language code when scenarios can be written in it, else None ("ko-KR" counts as "ko")."""
    code = (language or "").strip().lower().split("-")[0].split("_")[0]
    return code if code in SCENARIO_LANGUAGES else None


def translation_flat(block: dict[str, Any]) -> dict[str, Any]:
    """A translation block as written in files and the API -> the stored fields, the empty ones left out."""
    flat: dict[str, Any] = {key: block.get(key) for key in ("title", "narrative", "themes", "discussion_prompts",
                                                            *ACTIVITY_TEXT_FIELDS)}
    perspective = block.get("perspective") or {}
    if isinstance(perspective, dict):
        flat.update({f"perspective_{key}": perspective.get(key) for key in PERSPECTIVE_KEYS})
    return {key: value for key, value in flat.items() if value not in (None, "", [])}


def translation_block(flat: dict[str, Any]) -> dict[str, Any]:
    """Stored translation fields -> the block written in files and the API."""
    block: dict[str, Any] = {key: flat[key] for key in ("title", "narrative") if flat.get(key)}
    perspective = {key: flat[f"perspective_{key}"] for key in PERSPECTIVE_KEYS if flat.get(f"perspective_{key}")}
    if perspective:
        block["perspective"] = perspective
    block.update({key: list(flat[key]) for key in ("themes", "discussion_prompts") if flat.get(key)})
    block.update({key: flat[key] for key in ACTIVITY_TEXT_FIELDS if flat.get(key)})
    return block


def texts_in(*, primary: dict[str, Any], primary_language: str, translations: dict[str, dict],
             language: str | None) -> ScenarioText:
    """The texts in ``language``, each field falling back to the primary language where it is not translated."""
    code = language_supported(language) or primary_language
    chosen = (translations.get(code) or {}) if code != primary_language else {}
    values = {field: chosen.get(field) or primary[field] for field in TEXT_FIELDS}
    shown = code if chosen.get("narrative") or code == primary_language else primary_language
    return ScenarioText(language=shown, **{f: list(v) if f in LIST_FIELDS else v for f, v in values.items()})


def known_themes_everywhere(*, primary_themes: list, translations: dict[str, dict]) -> list[str]:
    """The engine's known theme ids (they are the same in every language) among all versions' theme words."""
    every = [*primary_themes, *(t for flat in translations.values() for t in flat.get("themes") or [])]
    return [t for t in dict.fromkeys(every) if isinstance(t, str) and t in THEMES]


def spec_data(*, slug: str, emotions: list, text: ScenarioText, language: str, known_themes: list[str]) -> dict:
    """The engine's ScenarioSpec as a dict, in ``language``: its texts (with their fallbacks), and the theme
    words of that language followed by the known theme ids of every version, so that a translation whose own
    words the engine does not know still carries the structure the scenario was written with."""
    themes = list(dict.fromkeys([*text.themes, *known_themes]))[:MAX_SPEC_THEMES]
    return {
        "slug": slug,
        "title": text.title,
        "narrative": text.narrative,
        "perspective": {"name": text.perspective_name, "role": text.perspective_role,
                        "pronouns": text.perspective_pronouns},
        "emotions": emotions,
        "themes": themes,
        "discussion_prompts": list(text.discussion_prompts),
        "language": language,
    }


def hangul_share(text: str) -> float:
    """The share of the text's letters that are Hangul (0.0 for a text without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
               for ch in letters) / len(letters)


def language_of_text(text: str) -> str | None:
    """"ko" for a text mostly in Hangul, "en" for one with almost none, None when it is mixed or empty: a
    check that a story was put under the language it is written in, never a language detector."""
    if not any(ch.isalpha() for ch in text):
        return None
    share = hangul_share(text)
    return "ko" if share >= 0.6 else "en" if share <= 0.05 else None
