"""The openai engine: analysis, one participant call, at most one repair, else the built-in engine answers."""

from __future__ import annotations

from ..builtin import generate_builtin
from ..models import AnalogyResult, MappingPair, ProfileSpec, ScenarioSpec, Source
from ..profile_map import generic_map, map_participant
from ..structure import ScenarioStructure
from ..textutil import clean, words
from ..vocabulary import domain_family
from .analysis import scenario_structure
from .config import LLMConfig
from .output import DraftAnalogy, Problem, output_problem, validate_draft
from .prompts import analogy_messages, analogy_system_prompt, participant_data, repair_messages
from .transport import LLMFailure, LLMSession

MAX_TOKENS = 1200
REASON_CAP = 200


def _source(draft: DraftAnalogy, participant: dict | None) -> Source:
    """The kind the model claims, with the domain as a family id like the built-in engine's."""
    domain = draft.source.domain
    family = domain_family(domain) if domain else None
    if family is None and draft.source.kind == "domain" and participant:
        family = next((f for d in participant["life_domains"] if (f := domain_family(d))), None)
    return Source(kind=draft.source.kind, domain=family)


def fallback_reason(problems: list[Problem]) -> str:
    """Why the model's analogy was refused: the broken rules first (so a cut keeps them), then what was wrong."""
    rules = ", ".join(dict.fromkeys(p.rule for p in problems))
    return f"openai: invalid output after repair: {rules}: " + "; ".join(dict.fromkeys(p.reason for p in problems))


def _attempt(scenario: ScenarioSpec, profile: ProfileSpec, mode: str, variant: int,
             session: LLMSession) -> tuple[DraftAnalogy, dict[str, bool], dict | None, ScenarioStructure]:
    structure = scenario_structure(scenario, session)
    pmap = generic_map(profile) if mode == "generic" else map_participant(profile)
    participant = None if mode == "generic" else participant_data(profile, pmap)
    scenario_words = set(words(f"{scenario.perspective.name} {scenario.perspective.role}"))
    messages = analogy_messages(scenario, structure, participant, variant=variant, language=profile.language)

    def ask(msgs: list[dict]) -> tuple[str, DraftAnalogy | None, dict[str, bool], list[Problem]]:
        reply = session.chat(msgs, max_tokens=MAX_TOKENS)
        draft, checks, problems = validate_draft(
            reply.content, structure=structure, scenario_words=scenario_words, pmap=pmap,
            participant=participant, static_prompt=analogy_system_prompt())
        if reply.finish_reason == "length":
            problems.insert(0, output_problem("cut_off", "the reply was cut off at the token limit",
                                              "write a shorter analogy"))
        return reply.content, draft, checks, problems

    content, draft, checks, problems = ask(messages)
    if problems:
        content, draft, checks, problems = ask(repair_messages(messages, content,
                                                               [p.instruction for p in problems]))
    if problems or draft is None:
        raise LLMFailure(fallback_reason(problems))
    return draft, checks, participant, structure


def generate_openai(scenario: ScenarioSpec, profile: ProfileSpec, *, mode: str, llm: LLMConfig,
                    variant: int = 0) -> AnalogyResult:
    session = LLMSession(llm)
    try:
        draft, checks, participant, structure = _attempt(scenario, profile, mode, variant, session)
    except LLMFailure as failure:
        result = generate_builtin(scenario, profile, mode=mode, variant=variant)
        reason = failure.reason if len(failure.reason) <= REASON_CAP else failure.reason[: REASON_CAP - 1] + "…"
        return result.model_copy(update={"fallback_reason": reason, "usage": session.usage})
    source = _source(draft, participant)
    return AnalogyResult(
        engine="openai",
        mode="generic" if mode == "generic" else "personalized",
        title=draft.title,
        text=draft.text,
        source=source,
        mapping=[MappingPair(scenario=clean(p.scenario), analogy=clean(p.analogy)) for p in draft.mapping],
        emotions=list(structure.target_emotions),
        bridge=draft.bridge,
        checks=checks,
        usage=session.usage,
        structure=structure.describe(),
        strategy=f"{source.kind}:{source.domain or 'none'}:llm",
    )
