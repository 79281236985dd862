"""The LLM's strategies: the built-in engine's eligible kinds, families and scenes, framed "llm".

An LLM analogy and a built-in one from the same source are different arms for the loop (their quality differs),
so the names differ in the framing only: "domain:faith:imagined:group" is the built-in engine's,
"domain:faith:llm:group" the LLM's. Without a chosen strategy the LLM picks its own source and the scene it
reports, "mixed" when it reports none.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..builtin import eligible_strategies, named_strategy
from ..models import EngineInputError, ProfileSpec, ScenarioSpec

LLM_FRAMING = "llm"
SCENES = ("group", "one_to_one")


@dataclass(frozen=True)
class Strategy:
    kind: str  # own_experience | domain | universal
    family: str | None  # the domain family; None for a universal situation (and an own memory of no family)
    audience: str  # group | one_to_one | mixed

    @property
    def llm_name(self) -> str:
        return f"{self.kind}:{self.family or 'none'}:{LLM_FRAMING}:{self.audience}"

    @property
    def builtin_name(self) -> str:
        return named_strategy(self.kind, self.family, self.audience)


def parse_strategy(name: str) -> Strategy:
    """A 4-part strategy name (either engine's) as its parts."""
    parts = name.split(":")
    if len(parts) != 4 or parts[0] not in ("own_experience", "domain", "universal"):
        raise EngineInputError(f"strategy: {name!r} is not a strategy name (kind:family:framing:audience)")
    kind, family, _, audience = parts
    return Strategy(kind, None if family == "none" else family, audience)


def llm_strategy(name: str) -> str:
    """The LLM's counterpart of a built-in strategy."""
    return parse_strategy(name).llm_name


def builtin_strategy(name: str) -> str:
    """The built-in engine's counterpart of an LLM strategy (for the fallback)."""
    return parse_strategy(name).builtin_name


def llm_eligible_strategies(scenario: ScenarioSpec, profile: ProfileSpec, *, mode: str = "personalized") -> list[str]:
    """The strategies an LLM analogy can be asked to follow for this participant: the same sources and scenes
    the built-in engine can write for them (so a fallback has its counterpart), in the same order. One when an
    own memory clearly fits: the LLM is then told to retell that memory."""
    return [llm_strategy(name) for name in eligible_strategies(scenario, profile, mode=mode)]
