"""The built-in engine: no network, deterministic, fast. Runs the pipeline over candidate sources."""

from __future__ import annotations

import dataclasses
import itertools
import random
import time
from collections.abc import Iterator

from .checks import lexical_units, run_checks
from .compose import Composition, compose
from .models import AnalogyResult, EngineInputError, ProfileSpec, ScenarioSpec, Source, Usage
from .profile_map import NEUTRAL_FRAMING, ParticipantMap, map_participant
from .sources import AUDIENCES, Candidate, domain_candidates, memory_candidates, universal_candidates
from .structure import ScenarioStructure, analyze_scenario, scenario_hash

MAX_ATTEMPTS = 40


def _participant(profile: ProfileSpec, mode: str) -> ParticipantMap:
    pmap = map_participant(profile)
    if mode == "generic":
        # Nothing personal is used; only the avoid list still applies (it protects the participant).
        pmap = dataclasses.replace(pmap, framing=NEUTRAL_FRAMING, stakes=(), domains=(), memories=(),
                                   own_words=frozenset(), seed="")
    return pmap


GENERIC_STRATEGY = "universal:none:imagined:mixed"  # the comparison condition: the same for everyone, never chosen
MAX_STRATEGIES = 8  # the loop chooses among at most this many (its own limit is higher)


def audience_order(pmap: ParticipantMap) -> tuple[str, ...]:
    """The participant's scenes, preferred first: a quiet participant's one-to-one moments, else the group."""
    return ("one_to_one", "group") if pmap.framing.quiet else AUDIENCES


def named_strategy(kind: str, family: str | None, audience: str) -> str:
    """A built-in strategy's name from its parts: a memory is recalled, anything else imagined."""
    framing = "recalled" if kind == "own_experience" else "imagined"
    return f"{kind}:{family or 'none'}:{framing}:{audience}"


def strategy_name(candidate: Candidate) -> str:
    """The named strategy an analogy was written by: source kind, domain family, framing (recalled or imagined)
    and the audience of the scene it tells (group or one-to-one)."""
    return named_strategy(candidate.kind, candidate.family, candidate.audience)


@dataclasses.dataclass
class Prepared:
    pmap: ParticipantMap
    memories: tuple[Candidate, ...]  # the memory candidates that clearly fit this scenario (none in generic mode)
    eligible: list[str] | None = None  # filled on first use


# The last few participants' prepared inputs: the worker asks for the eligible strategies, then writes by one,
# and must not map the profile, score its memories and try its strategies twice.
_PREPARED: dict[tuple[str, str, str], Prepared] = {}
_PREPARED_MAX = 64


def _prepared(scenario: ScenarioSpec, structure: ScenarioStructure, profile: ProfileSpec, mode: str) -> Prepared:
    key = (scenario_hash(scenario), profile.model_dump_json(), mode)
    found = _PREPARED.get(key)
    if found is None:
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.clear()
        pmap = _participant(profile, mode)
        found = _PREPARED[key] = Prepared(pmap, () if mode == "generic" else tuple(memory_candidates(structure, pmap)))
    return found


def _seed(scenario: ScenarioSpec, pmap: ParticipantMap, variant: int = 0) -> str:
    return scenario_hash(scenario) + ":" + pmap.seed + (f":variant{variant}" if variant else "")


def _own(structure: ScenarioStructure, pmap: ParticipantMap, seed: str, strategy: str) -> Iterator[Candidate]:
    """A strategy's own candidates: its family's (or the universal) situations whose scene is its audience."""
    kind, family, _, audience = strategy.split(":")
    rng = random.Random(f"{seed}:{strategy}")
    if kind == "domain":
        own = dataclasses.replace(pmap, domains=tuple(d for d in pmap.domains if d.family == family))
        return domain_candidates(structure, own, rng, audience)
    return universal_candidates(structure, rng, pmap.language, audience)


def _default(structure: ScenarioStructure, pmap: ParticipantMap, memories: tuple[Candidate, ...],
             seed: str) -> Iterator[Candidate]:
    """The engine's own order: the memories that fit, then the participant's domains, then universal situations,
    each in the participant's scenes first."""
    rng = random.Random(seed)
    yield from memories
    for audience in audience_order(pmap):
        yield from domain_candidates(structure, pmap, rng, audience)
    for audience in audience_order(pmap):
        yield from universal_candidates(structure, rng, pmap.language, audience)


def _pool(structure: ScenarioStructure, pmap: ParticipantMap, memories: tuple[Candidate, ...], seed: str,
          strategy: str | None) -> Iterator[Candidate]:
    """Candidates best first; with a chosen strategy, that strategy's candidates first and the others after
    them, only for when none of its own passes the checks."""
    if strategy is None:
        return _default(structure, pmap, memories, seed)
    if strategy.startswith("own_experience:"):
        chosen: Iterator[Candidate] = (c for c in memories if strategy_name(c) == strategy)
    else:
        chosen = _own(structure, pmap, seed, strategy)
    rest = (c for c in _default(structure, pmap, memories, seed) if strategy_name(c) != strategy)
    return itertools.chain(chosen, rest)


@dataclasses.dataclass(frozen=True)
class _Written:
    candidate: Candidate
    composition: Composition
    checks: dict[str, bool]

    @property
    def passed(self) -> bool:
        return all(self.checks.values())


def _write(pool: Iterator[Candidate], structure: ScenarioStructure, pmap: ParticipantMap, seed: str,
           scenario_words: set[str], variant: int = 0) -> _Written | None:
    """The first candidate whose analogy passes the checks (after the `variant` earlier ones), else the one that
    passed most of them; None for an empty pool."""
    best: _Written | None = None
    passing_to_skip = variant  # another analogy: pass over the sources earlier variants were built on
    for attempt, candidate in enumerate(pool):
        composition = compose(candidate, structure, pmap, random.Random(f"{seed}:{attempt}"))
        written = _Written(candidate, composition,
                           run_checks(composition.text, structure, scenario_words, pmap, set(pmap.own_words)))
        if best is None or sum(written.checks.values()) > sum(best.checks.values()) or written.passed:
            best = written
        if written.passed and passing_to_skip > 0 and attempt + 1 < MAX_ATTEMPTS:
            passing_to_skip -= 1
            continue
        if written.passed or attempt + 1 >= MAX_ATTEMPTS:
            break
    return best


def _scenario_words(scenario: ScenarioSpec) -> set[str]:
    return lexical_units(f"{scenario.perspective.name} {scenario.perspective.role}")


def _eligible(scenario: ScenarioSpec, structure: ScenarioStructure, prepared: Prepared, mode: str) -> list[str]:
    if prepared.eligible is not None:
        return prepared.eligible
    pmap, memories = prepared.pmap, prepared.memories
    if mode == "generic":
        found = [GENERIC_STRATEGY]
    elif memories:  # an own memory that clearly fits is always used: nothing is left to choose
        found = [strategy_name(memories[0])]
    else:
        # Each family's (then the universal) scenes that can be written for this participant: a strategy is
        # offered only when one of its own candidates passes the checks.
        seed, words = _seed(scenario, pmap), _scenario_words(scenario)
        families = dict.fromkeys(d.family for d in pmap.domains)
        sources = [*(("domain", family) for family in families), ("universal", None)]
        found = []
        for kind, family in sources:
            for audience in audience_order(pmap):
                name = named_strategy(kind, family, audience)
                written = _write(_own(structure, pmap, seed, name), structure, pmap, seed, words)
                if written is not None and written.passed:
                    found.append(name)
        universal = [n for n in found if n.startswith("universal:")]
        found = [n for n in found if not n.startswith("universal:")][: MAX_STRATEGIES - len(universal)] + universal
        if not found:  # nothing passes: the engine still writes its best, by its own order
            found = [strategy_name(_write(_default(structure, pmap, memories, seed), structure, pmap, seed,
                                          words).candidate)]
    prepared.eligible = found
    return found


def eligible_strategies(scenario: ScenarioSpec, profile: ProfileSpec, *, mode: str = "personalized") -> list[str]:
    """The strategies the engine can write this participant's analogy by, in the participant's order: one when
    an own memory clearly fits (it is always used) and in generic mode (the same for everyone); else, per
    life-domain family of theirs and then for a universal situation, each scene (group, one-to-one) one of its
    analogies can be written in for this scenario, the participant's preferred scene first."""
    structure = analyze_scenario(scenario)
    return _eligible(scenario, structure, _prepared(scenario, structure, profile, mode), mode)


def fitting_memory(scenario: ScenarioSpec, profile: ProfileSpec) -> str | None:
    """The text of the own memory an own-experience strategy retells, None when no memory clearly fits."""
    structure = analyze_scenario(scenario)
    memories = _prepared(scenario, structure, profile, "personalized").memories
    return memories[0].memory.text if memories and memories[0].memory else None


def generate_builtin(scenario: ScenarioSpec, profile: ProfileSpec, *,
                     mode: str = "personalized", variant: int = 0, strategy: str | None = None) -> AnalogyResult:
    started = time.perf_counter()
    structure = analyze_scenario(scenario)
    prepared = _prepared(scenario, structure, profile, mode)
    pmap, memories = prepared.pmap, prepared.memories
    seed = _seed(scenario, pmap, variant)
    if strategy is not None and strategy not in (eligible := _eligible(scenario, structure, prepared, mode)):
        raise EngineInputError(f"strategy: {strategy!r} is not one this participant's analogy can be written by "
                               f"(one of {', '.join(eligible)})")
    if mode == "generic":
        pool: Iterator[Candidate] = universal_candidates(structure, random.Random(seed))
    else:
        pool = _pool(structure, pmap, memories, seed, strategy)
    written = _write(pool, structure, pmap, seed, _scenario_words(scenario), variant)
    assert written is not None  # every relational theme has universal situations
    candidate, composition = written.candidate, written.composition
    return AnalogyResult(
        engine="builtin",
        mode="generic" if mode == "generic" else "personalized",
        title=composition.title,
        text=composition.text,
        source=Source(kind=candidate.kind, domain=candidate.family),
        mapping=composition.mapping,
        emotions=list(structure.target_emotions),
        bridge=composition.bridge,
        checks=written.checks,
        usage=Usage(latency_ms=round((time.perf_counter() - started) * 1000)),
        structure=structure.describe(),
        strategy=GENERIC_STRATEGY if mode == "generic" else strategy_name(candidate),
    )
