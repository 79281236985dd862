"""The built-in engine: no network, deterministic, fast. Runs the pipeline over candidate sources."""

from __future__ import annotations

import dataclasses
import random
import time

from .checks import lexical_units, run_checks
from .compose import compose
from .models import AnalogyResult, ProfileSpec, ScenarioSpec, Source, Usage
from .profile_map import NEUTRAL_FRAMING, ParticipantMap, map_participant
from .sources import Candidate, candidates, universal_candidates
from .structure import analyze_scenario, scenario_hash

MAX_ATTEMPTS = 40


def _participant(profile: ProfileSpec, mode: str) -> ParticipantMap:
    pmap = map_participant(profile)
    if mode == "generic":
        # Nothing personal is used; only the avoid list still applies (it protects the participant).
        pmap = dataclasses.replace(pmap, framing=NEUTRAL_FRAMING, stakes=(), domains=(), memories=(),
                                   own_words=frozenset(), seed="")
    return pmap


def generate_builtin(scenario: ScenarioSpec, profile: ProfileSpec, *,
                     mode: str = "personalized", variant: int = 0) -> AnalogyResult:
    started = time.perf_counter()
    structure = analyze_scenario(scenario)
    pmap = _participant(profile, mode)
    seed = scenario_hash(scenario) + ":" + pmap.seed + (f":variant{variant}" if variant else "")
    rng = random.Random(seed)
    scenario_words = lexical_units(f"{scenario.perspective.name} {scenario.perspective.role}")
    pool = universal_candidates(structure, rng) if mode == "generic" else candidates(structure, pmap, rng)

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


def strategy_name(candidate: Candidate, pmap: ParticipantMap) -> str:
    """The named strategy an analogy was written by: source kind, domain family, framing."""
    framing = "recalled" if candidate.kind == "own_experience" else "imagined"
    social = "group" if pmap.framing.group else ("one_to_one" if pmap.framing.quiet else "mixed")
    return f"{candidate.kind}:{candidate.family or 'none'}:{framing}:{social}"
