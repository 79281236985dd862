"""The built-in engine: no network, deterministic, fast. Runs the pipeline over candidate sources."""

from __future__ import annotations

import dataclasses
import itertools
import random
import time
from collections.abc import Iterator

from .checks import lexical_units, run_checks
from .compose import compose
from .models import AnalogyResult, EngineInputError, ProfileSpec, ScenarioSpec, Source, Usage
from .profile_map import NEUTRAL_FRAMING, ParticipantMap, map_participant
from .sources import Candidate, candidates, domain_candidates, memory_candidates, universal_candidates
from .structure import ScenarioStructure, analyze_scenario, scenario_hash

MAX_ATTEMPTS = 40


def _participant(profile: ProfileSpec, mode: str) -> ParticipantMap:
    pmap = map_participant(profile)
    if mode == "generic":
        # Nothing personal is used; only the avoid list still applies (it protects the participant).
        pmap = dataclasses.replace(pmap, framing=NEUTRAL_FRAMING, stakes=(), domains=(), memories=(),
                                   own_words=frozenset(), seed="")
    return pmap


def _social(pmap: ParticipantMap) -> str:
    return "group" if pmap.framing.group else ("one_to_one" if pmap.framing.quiet else "mixed")


def _named(kind: str, family: str | None, pmap: ParticipantMap) -> str:
    framing = "recalled" if kind == "own_experience" else "imagined"
    return f"{kind}:{family or 'none'}:{framing}:{_social(pmap)}"


def strategy_name(candidate: Candidate, pmap: ParticipantMap) -> str:
    """The named strategy an analogy was written by: source kind, domain family, framing."""
    return _named(candidate.kind, candidate.family, pmap)


def _eligible(pmap: ParticipantMap, memories: tuple[Candidate, ...], mode: str) -> list[str]:
    if mode == "generic":
        return [_named("universal", None, pmap)]
    if memories:  # an own memory that clearly fits is always used: nothing is left to choose
        return [strategy_name(memories[0], pmap)]
    families = dict.fromkeys(domain.family for domain in pmap.domains)
    return [*(_named("domain", family, pmap) for family in families), _named("universal", None, pmap)]


# The last few participants' prepared inputs: the worker asks for the eligible strategies, then writes by one,
# and must not map the profile and score its memories twice.
_PREPARED: dict[tuple[str, str, str], tuple[ParticipantMap, tuple[Candidate, ...]]] = {}
_PREPARED_MAX = 64


def _prepared(scenario: ScenarioSpec, structure: ScenarioStructure, profile: ProfileSpec,
              mode: str) -> tuple[ParticipantMap, tuple[Candidate, ...]]:
    """The participant's map and the memory candidates that clearly fit this scenario (none in generic mode)."""
    key = (scenario_hash(scenario), profile.model_dump_json(), mode)
    found = _PREPARED.get(key)
    if found is None:
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.clear()
        pmap = _participant(profile, mode)
        found = _PREPARED[key] = (pmap, () if mode == "generic" else tuple(memory_candidates(structure, pmap)))
    return found


def eligible_strategies(scenario: ScenarioSpec, profile: ProfileSpec, *, mode: str = "personalized") -> list[str]:
    """The strategies the engine can write this participant's analogy by, in the participant's order: one when
    an own memory clearly fits (it is always used) and in generic mode (the same for everyone); else one per
    life-domain family of theirs, then a universal situation."""
    pmap, memories = _prepared(scenario, analyze_scenario(scenario), profile, mode)
    return _eligible(pmap, memories, mode)


def _pool(structure: ScenarioStructure, pmap: ParticipantMap, memories: tuple[Candidate, ...], seed: str,
          strategy: str | None) -> Iterator[Candidate]:
    """Candidates best first; with a chosen strategy, that strategy's candidates first and the others after
    them, only for when none of its own passes the checks."""
    if strategy is None:
        return candidates(structure, pmap, random.Random(seed), memories)
    kind, family = strategy.split(":")[:2]
    rng = random.Random(f"{seed}:{strategy}")
    if kind == "domain":
        own = dataclasses.replace(pmap, domains=tuple(d for d in pmap.domains if d.family == family))
        chosen: Iterator[Candidate] = domain_candidates(structure, own, rng)
    elif kind == "universal":
        chosen = universal_candidates(structure, rng, pmap.language)
    else:
        chosen = (c for c in memories if strategy_name(c, pmap) == strategy)
    rest = (c for c in candidates(structure, pmap, random.Random(seed), memories)
            if strategy_name(c, pmap) != strategy)
    return itertools.chain(chosen, rest)


def generate_builtin(scenario: ScenarioSpec, profile: ProfileSpec, *,
                     mode: str = "personalized", variant: int = 0, strategy: str | None = None) -> AnalogyResult:
    started = time.perf_counter()
    structure = analyze_scenario(scenario)
    pmap, memories = _prepared(scenario, structure, profile, mode)
    seed = scenario_hash(scenario) + ":" + pmap.seed + (f":variant{variant}" if variant else "")
    scenario_words = lexical_units(f"{scenario.perspective.name} {scenario.perspective.role}")
    if strategy is not None and strategy not in _eligible(pmap, memories, mode):
        raise EngineInputError(f"strategy: {strategy!r} is not one this participant's analogy can be written by "
                               f"(one of {', '.join(_eligible(pmap, memories, mode))})")
    if mode == "generic":
        pool: Iterator[Candidate] = universal_candidates(structure, random.Random(seed))
    else:
        pool = _pool(structure, pmap, memories, seed, strategy)

    best = None
    passing_to_skip = variant  # another analogy: pass over the sources earlier variants were built on
    for attempt, candidate in enumerate(pool):
        composition = compose(candidate, structure, pmap, random.Random(f"{seed}:{attempt}"))
        checks = run_checks(composition.text, structure, scenario_words, pmap, set(pmap.own_words))
        passed = all(checks.values())
        if best is None or sum(checks.values()) > sum(best[2].values()) or passed:
            best = (candidate, composition, checks)
        if passed and passing_to_skip > 0 and attempt + 1 < MAX_ATTEMPTS:
            passing_to_skip -= 1
            continue
        if passed or attempt + 1 >= MAX_ATTEMPTS:
            break
    assert best is not None  # every relational theme has universal situations
    candidate, composition, checks = best
    return AnalogyResult(
        engine="builtin",
        mode="generic" if mode == "generic" else "personalized",
        title=composition.title,
        text=composition.text,
        source=Source(kind=candidate.kind, domain=candidate.family),
        mapping=composition.mapping,
        emotions=list(structure.target_emotions),
        bridge=composition.bridge,
        checks=checks,
        usage=Usage(latency_ms=round((time.perf_counter() - started) * 1000)),
        structure=structure.describe(),
        strategy=strategy_name(candidate, pmap),
    )
