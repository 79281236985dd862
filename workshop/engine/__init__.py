"""The analogy engine: pure Python, no Django. See DESIGN.md, "The analogy engine"."""

from __future__ import annotations

from .builtin import eligible_strategies, generate_builtin
from .llm import LLMConfig, generate_openai, llm_test_connection
from .models import AnalogyResult, EngineInputError, ProfileSpec, ScenarioSpec, parse_profile, parse_scenario
from .structure import ScenarioStructure, analyze_scenario
from .vocabulary import DOMAIN_FAMILIES, EMOTIONS, THEMES, domain_family

ENGINES = ("builtin", "openai")
MODES = ("personalized", "generic")


def generate(scenario: ScenarioSpec, profile: ProfileSpec, *, engine: str = "builtin",
             mode: str = "personalized", llm: LLMConfig | None = None, variant: int = 0,
             strategy: str | None = None) -> AnalogyResult:
    """One analogy for one participant and one scenario. engine="openai" needs `llm`; when the model cannot
    give a valid answer the built-in engine answers and the result says why (`fallback_reason`).

    ``variant`` asks for another analogy than the earlier ones ("try another"): 0 is the first answer, and the
    same variant of the same input always gives the same output.

    ``strategy``: write by this one of ``eligible_strategies(scenario, profile)`` (built-in) or of
    ``llm_eligible_strategies`` (openai), as the learning loop chose it; None lets the engine take its own best
    source."""
    if engine not in ENGINES:
        raise EngineInputError(f"engine: unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    if mode not in MODES:
        raise EngineInputError(f"mode: unknown mode {mode!r} (one of {', '.join(MODES)})")
    if not isinstance(scenario, ScenarioSpec):
        raise EngineInputError("scenario: expected a ScenarioSpec")
    if not isinstance(profile, ProfileSpec):
        raise EngineInputError("profile: expected a ProfileSpec")
    if not isinstance(variant, int) or not 0 <= variant <= 20:
        raise EngineInputError("variant: must be a whole number from 0 to 20")
    if engine == "openai":
        if not isinstance(llm, LLMConfig):
            raise EngineInputError("llm: engine 'openai' needs llm=LLMConfig(...)")
        return generate_openai(scenario, profile, mode=mode, llm=llm, variant=variant, strategy=strategy)
    return generate_builtin(scenario, profile, mode=mode, variant=variant, strategy=strategy)


__all__ = [
    "DOMAIN_FAMILIES", "EMOTIONS", "THEMES", "AnalogyResult", "EngineInputError", "LLMConfig", "ProfileSpec",
    "ScenarioSpec", "ScenarioStructure", "analyze_scenario", "domain_family", "eligible_strategies", "generate",
    "parse_profile", "llm_test_connection", "parse_scenario",
]
