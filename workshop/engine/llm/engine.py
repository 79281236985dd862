"""The openai engine: analysis, one participant call, at most one repair, else the built-in engine answers."""

from __future__ import annotations

from ..builtin import fitting_memory, generate_builtin
from ..models import AnalogyResult, EngineInputError, MappingPair, ProfileSpec, ScenarioSpec, Source
from ..profile_map import generic_map, map_participant
from ..structure import ScenarioStructure
from ..textutil import clean, words
from ..vocabulary import domain_family
from .analysis import scenario_structure
from .config import LLMConfig
from .output import DraftAnalogy, Problem, output_problem, source_problem, validate_draft
from .prompts import analogy_messages, analogy_system_prompt, participant_data, repair_messages, source_instruction
from .strategy import Strategy, llm_eligible_strategies, parse_strategy
from .transport import LLMFailure, LLMSession

MAX_TOKENS = 1200
REASON_CAP = 200


def _family(domain: str | None, kind: str, participant: dict | None, asked: Strategy | None) -> str | None:
    """The family id of the domain the model says it used, like the built-in engine's."""
    family = domain_family(domain) if domain else None
    if family is not None or kind != "domain" or not participant:
        return family
    # A domain the vocabulary does not place (the model's paraphrase): the participant's own domain it names,
    # else the family the task asked for, else the participant's first placed domain.
    said = (domain or "").casefold()
    for text in participant["life_domains"]:
        if said and (said in text.casefold() or text.casefold() in said) and (found := domain_family(text)):
            return found
    if asked is not None and asked.kind == "domain":
        return asked.family
    return next((f for d in participant["life_domains"] if (f := domain_family(d))), None)


def _written(draft: DraftAnalogy, participant: dict | None, asked: Strategy | None) -> Strategy:
    """The strategy the model says it wrote by: its source kind and family, and its scene (the one asked when it
    reports none, "mixed" when none was asked)."""
    kind = draft.source.kind
    if kind == "universal":
        family = None
    elif kind == "own_experience" and asked is not None and asked.kind == kind:
        family = asked.family  # the memory the task named, as the built-in engine reads it
    else:
        family = _family(draft.source.domain, kind, participant, asked)
    return Strategy(kind, family, draft.source.scene or (asked.audience if asked else "mixed"))


def fallback_reason(problems: list[Problem]) -> str:
    """Why the model's analogy was refused: the broken rules first (so a cut keeps them), then what was wrong."""
    rules = ", ".join(dict.fromkeys(p.rule for p in problems))
    return f"openai: invalid output after repair: {rules}: " + "; ".join(dict.fromkeys(p.reason for p in problems))


def _attempt(scenario: ScenarioSpec, profile: ProfileSpec, mode: str, variant: int, session: LLMSession,
             asked: Strategy | None) -> tuple[DraftAnalogy, dict[str, bool], Strategy, ScenarioStructure]:
    structure = scenario_structure(scenario, session)
    pmap = generic_map(profile) if mode == "generic" else map_participant(profile)
    participant = None if mode == "generic" else participant_data(profile, pmap)
    scenario_words = set(words(f"{scenario.perspective.name} {scenario.perspective.role}"))
    source = ""
    if asked is not None and participant is not None:
        memory = fitting_memory(scenario, profile) if asked.kind == "own_experience" else None
        source = source_instruction(asked, participant, memory)
    messages = analogy_messages(scenario, structure, participant, variant=variant, language=profile.language,
                                source=source)

    def ask(msgs: list[dict]) -> tuple[str, DraftAnalogy | None, dict[str, bool], list[Problem]]:
        reply = session.chat(msgs, max_tokens=MAX_TOKENS)
        draft, checks, problems = validate_draft(
            reply.content, structure=structure, scenario_words=scenario_words, pmap=pmap,
            participant=participant, static_prompt=analogy_system_prompt())
        if reply.finish_reason == "length":
            problems.insert(0, output_problem("cut_off", "the reply was cut off at the token limit",
                                              "write a shorter analogy"))
        if draft is not None and source and (off := source_problem(_written(draft, participant, asked), asked)):
            problems.append(off)
        return reply.content, draft, checks, problems

    def sound(problems: list[Problem]) -> bool:
        return all(p.rule == "source_asked" for p in problems)

    content, draft, checks, problems = ask(messages)
    if problems:
        first = (draft, checks, problems)
        content, draft, checks, problems = ask(repair_messages(messages, content,
                                                               [p.instruction for p in problems]))
        if not sound(problems) and sound(first[2]):
            draft, checks, problems = first  # the repair broke a rule; the first reply only missed the source
    # From another source than asked, but sound: kept, and the analogy names the strategy it was written by.
    if not sound(problems) or draft is None:
        raise LLMFailure(fallback_reason(problems))
    return draft, checks, _written(draft, participant, asked), structure


def generate_openai(scenario: ScenarioSpec, profile: ProfileSpec, *, mode: str, llm: LLMConfig,
                    variant: int = 0, strategy: str | None = None) -> AnalogyResult:
    """``strategy`` (one of ``llm_eligible_strategies``): the source and scene the model is asked to write from;
    the result's ``strategy`` names the one it wrote by. When the built-in engine answers instead, it writes by
    that strategy's built-in counterpart."""
    asked = None
    if strategy is not None:
        if strategy not in (eligible := llm_eligible_strategies(scenario, profile, mode=mode)):
            raise EngineInputError(f"strategy: {strategy!r} is not one this participant's LLM analogy can be "
                                   f"written by (one of {', '.join(eligible)})")
        asked = parse_strategy(strategy)
    session = LLMSession(llm)
    try:
        draft, checks, written, structure = _attempt(scenario, profile, mode, variant, session, asked)
    except LLMFailure as failure:
        result = generate_builtin(scenario, profile, mode=mode, variant=variant,
                                  strategy=asked.builtin_name if asked else None)  # same source and scene
        reason = failure.reason if len(failure.reason) <= REASON_CAP else failure.reason[: REASON_CAP - 1] + "…"
        return result.model_copy(update={"fallback_reason": reason, "usage": session.usage})
    return AnalogyResult(
        engine="openai",
        mode="generic" if mode == "generic" else "personalized",
        title=draft.title,
        text=draft.text,
        source=Source(kind=written.kind, domain=written.family),
        mapping=[MappingPair(scenario=clean(p.scenario), analogy=clean(p.analogy)) for p in draft.mapping],
        emotions=list(structure.target_emotions),
        bridge=draft.bridge,
        checks=checks,
        usage=session.usage,
        structure=structure.describe(),
        strategy=written.llm_name,
    )
