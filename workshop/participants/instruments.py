"""Personality instruments (Mini-IPIP, TIPI) and values, loaded from data/instruments.yaml, and their scoring."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db import models
from django.utils.translation import gettext_lazy

DATA = Path(__file__).with_name("data") / "instruments.yaml"
TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
ITEMS_PER_PAGE = 5


class InstrumentId(models.TextChoices):
    """The personality instruments a workshop can use, declared once: each id is a section of instruments.yaml."""

    MINI_IPIP = "mini_ipip", gettext_lazy("Mini-IPIP (20 items)")
    TIPI = "tipi", gettext_lazy("TIPI (10 items)")


@dataclass(frozen=True)
class Item:
    number: int
    key: str
    reverse: bool
    text: dict[str, str]


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    stem: dict[str, str]
    scale: tuple[dict[str, str], ...]
    items: tuple[Item, ...]

    @property
    def scale_max(self) -> int:
        return len(self.scale)

    @property
    def pages(self) -> int:
        return -(-len(self.items) // ITEMS_PER_PAGE)

    def page_items(self, page: int) -> tuple[Item, ...]:
        return self.items[(page - 1) * ITEMS_PER_PAGE: page * ITEMS_PER_PAGE]

    def score(self, answers: dict[str, int]) -> dict[str, float]:
        """Traits on the engine's 1..7 scale: the mean of each trait's items (reverse-keyed items flipped),
        stretched from this instrument's scale to 1..7. A trait with no answer yet stays at the middle, 4."""
        sums: dict[str, list[float]] = {t: [] for t in TRAITS}
        for item in self.items:
            raw = answers.get(str(item.number))
            if raw is None:
                continue
            value = self.scale_max + 1 - raw if item.reverse else raw
            sums[item.key].append(value)
        out = {}
        for trait, values in sums.items():
            if not values:
                out[trait] = 4.0
                continue
            mean = sum(values) / len(values)
            out[trait] = round(1 + (mean - 1) * 6 / (self.scale_max - 1), 2)
        return out


@cache
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@cache
def instrument(instrument_id: str) -> Instrument:
    raw = _data()[instrument_id]
    items = tuple(Item(number=i, key=it["key"], reverse=it["reverse"], text={"en": it["en"], "ko": it["ko"]})
                  for i, it in enumerate(raw["items"], 1))
    return Instrument(id=instrument_id, name=raw["name"], stem=raw["stem"], scale=tuple(raw["scale"]), items=items)


def values() -> dict[str, dict[str, str]]:
    return _data()["values"]


def text(entry: dict[str, str], language: str) -> str:
    return entry.get(language) or entry["en"]


def emotion_name(label: str, language: str) -> str:
    return text(_data()["emotions"].get(label, {"en": label}), language)


def domain_suggestions(language: str) -> list[str]:
    suggestions = _data()["domain_suggestions"]
    return suggestions.get(language) or suggestions["en"]


@cache
def _prompts() -> dict:
    return yaml.safe_load((DATA.parent / "prompts.yaml").read_text(encoding="utf-8"))


def memory_prompts(themes: list[str], language: str, limit: int = 3) -> list[str]:
    """Prompts for the relational themes the workshop's scenarios carry (topic tags map to them)."""
    from workshop.engine import THEMES

    relational: list[str] = []
    for theme in themes:
        info = THEMES.get(theme, {})
        found = [theme] if info.get("relational") else list(info.get("maps_to", []))
        relational += [t for t in found if t not in relational]
    prompts = _prompts()
    chosen = [text(prompts[t], language) for t in relational if t in prompts]
    default = text(prompts["default"], language)
    return ([default] + [p for p in chosen if p != default])[:limit]
