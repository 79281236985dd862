"""Step 1 by the model: the scenario's emotional structure, one call per scenario version, model and scope.

The analysis is put into every later analogy prompt as trusted structure, so it is shared only within one
analysis scope (LLMConfig.analysis_scope): an organization's own endpoint cannot write what another
organization's prompts read."""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..models import ScenarioSpec
from ..structure import Appraisal, ScenarioStructure, analyze_scenario, scenario_hash
from ..textutil import clean
from ..vocabulary import RELATIONAL_THEMES, STAKES
from .output import parse_json_object
from .prompts import analysis_messages
from .transport import LLMFailure, LLMSession

log = logging.getLogger(__name__)

ANALYSIS_VERSION = "2"  # bump when the analysis prompt or shape changes: old cache entries are ignored
MAX_TOKENS = 500
WAIT_FOR_OTHER_S = 30  # how long to wait for another worker's analysis of the same scenario
WAIT_STEP_S = 0.2

Phrase = Annotated[str, Field(min_length=1, max_length=160)]


class AnalysisAppraisal(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    causer: Literal["someone_else", "group", "self", "circumstance"]
    causer_label: Phrase
    fair: Literal["unfair", "fair", "unclear"]
    control: Literal["low", "some"]
    stake: Literal[tuple(STAKES)]  # type: ignore[valid-type]


class ScenarioAnalysis(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    relational_themes: Annotated[list[str], Field(min_length=1, max_length=6)]
    appraisal: AnalysisAppraisal
    place: Phrase
    happened: Phrase

    def themes(self) -> list[str]:
        return [t for t in (x.strip().lower() for x in self.relational_themes) if t in RELATIONAL_THEMES]


def analysis_key(scenario: ScenarioSpec, model: str, scope: str = "") -> str:
    return f"scenario-analysis:v{ANALYSIS_VERSION}:{scope}:{scenario.slug}:{scenario_hash(scenario)}:{model}"


def _structure(scenario: ScenarioSpec, analysis: ScenarioAnalysis) -> ScenarioStructure:
    """The built-in reading, with the model's appraisal; the scenario's own labels and themes stay first."""
    base = analyze_scenario(scenario)
    relational = tuple(dict.fromkeys([*base.explicit_themes, *analysis.themes(), *base.relational_themes]))
    a = analysis.appraisal
    return dataclasses.replace(
        base,
        relational_themes=relational,
        appraisal=Appraisal(a.causer, clean(a.causer_label), a.fair, a.control, a.stake, base.appraisal.found_out),
        place=clean(analysis.place),
        happened=clean(analysis.happened),
    )


def _cached(scenario: ScenarioSpec, session: LLMSession, key: str) -> ScenarioAnalysis | None:
    try:
        value = session.llm.analysis_cache.get(key)
        return ScenarioAnalysis.model_validate(value) if value is not None else None
    except (ValidationError, TypeError, ValueError):
        return None  # a stale or damaged entry is a miss


def _claimed_by_someone_else(scenario: ScenarioSpec, session: LLMSession, key: str) -> bool:
    """A shared cache may offer claim(key): exactly one caller analyses, the others wait for its answer."""
    claim = getattr(session.llm.analysis_cache, "claim", None)
    return claim is not None and not claim(key)


def _wait_for_other(scenario: ScenarioSpec, session: LLMSession, key: str) -> ScenarioAnalysis | None:
    deadline = time.monotonic() + min(WAIT_FOR_OTHER_S, session.llm.budget_s / 3)
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP_S)
        if (analysis := _cached(scenario, session, key)) is not None:
            return analysis
    return None


def _release(session: LLMSession, key: str) -> None:
    release = getattr(session.llm.analysis_cache, "release", None)
    if release is not None:
        release(key)


def scenario_structure(scenario: ScenarioSpec, session: LLMSession) -> ScenarioStructure:
    """Cached model analysis; any failure falls back to the built-in analysis (never a second failure path)."""
    key = analysis_key(scenario, session.llm.model, session.llm.analysis_scope)
    analysis = _cached(scenario, session, key)
    if analysis is None and _claimed_by_someone_else(scenario, session, key):
        analysis = _wait_for_other(scenario, session, key)
        if analysis is None:
            log.warning("scenario %s: another worker's analysis did not arrive; using the built-in one",
                        scenario.slug)
            return analyze_scenario(scenario)
    if analysis is None:
        try:
            reply = session.chat(analysis_messages(scenario), max_tokens=MAX_TOKENS)
            data, error = parse_json_object(reply.content)
            if data is None:
                raise LLMFailure(f"openai: analysis: {error}")
            analysis = ScenarioAnalysis.model_validate(data)
            if not analysis.themes():
                raise LLMFailure("openai: analysis: no known relational theme")
        except (LLMFailure, ValidationError) as exc:
            log.warning("scenario %s: model analysis failed, using the built-in one: %s", scenario.slug,
                        exc.reason if isinstance(exc, LLMFailure) else exc.errors()[0]["msg"])
            _release(session, key)  # the next participant may try again
            return analyze_scenario(scenario)
        session.llm.analysis_cache.set(key, analysis.model_dump(mode="json"))
    return _structure(scenario, analysis)
