"""Input and output models: the same pydantic models serve the CLI, the task and the API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .textutil import clean
from .vocabulary import EMOTIONS, MEMORY_EVENTS, VALUES


class EngineInputError(ValueError):
    """Bad input to the engine; the message names the field and the problem."""


def _strict() -> ConfigDict:
    return ConfigDict(extra="forbid", str_strip_whitespace=True)


def _clean_list(value: Any, cap: int) -> Any:
    """Sanitise a list of strings and drop the blank ones (caps only pathological sizes)."""
    if not isinstance(value, list):
        return value
    out = []
    for item in value:
        if isinstance(item, str):
            item = clean(item, cap=cap * 4)
            if not item:
                continue
        out.append(item)
    return out


class Perspective(BaseModel):
    model_config = _strict()
    name: Annotated[str, Field(min_length=1, max_length=80)]
    role: Annotated[str, Field(min_length=1, max_length=120)]
    # "she", "he" or "they" (or "she/her" ...); when left out the engine reads it from the narrative.
    pronouns: Annotated[str, Field(max_length=20)] = ""


class EmotionSpec(BaseModel):
    model_config = _strict()
    label: str
    intensity: Annotated[float, Field(ge=0, le=1)]

    @field_validator("label", mode="before")
    @classmethod
    def _known_label(cls, value: Any) -> Any:
        if isinstance(value, str):
            label = value.strip().lower()
            if label not in EMOTIONS:
                raise ValueError(f"unknown emotion {value!r}")
            return label
        return value


class ScenarioSpec(BaseModel):
    model_config = _strict()
    slug: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_-]+$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    narrative: Annotated[str, Field(min_length=1, max_length=5000)]
    perspective: Perspective
    emotions: Annotated[list[EmotionSpec], Field(min_length=1, max_length=8)]
    # Free text in the facilitator's own words ("microaggression", "hybrid work"): hints for the engine, which
    # infers the relational structure from them and the narrative. A word it does not know is never an error.
    themes: Annotated[list[Annotated[str, Field(max_length=80)]], Field(max_length=12)] = []
    discussion_prompts: Annotated[list[Annotated[str, Field(max_length=1000)]], Field(max_length=10)] = []
    language: Annotated[str, Field(max_length=16)] = "en"

    @field_validator("themes", mode="before")
    @classmethod
    def _free_themes(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in value.split(",")]
        if not isinstance(value, list):
            return value
        out: list[str] = []
        for item in _clean_list(value, cap=80):
            if not isinstance(item, str):
                raise ValueError("themes must be strings")
            theme = item.lower()
            if theme not in out:
                out.append(theme)
        return out


class Traits(BaseModel):
    model_config = _strict()
    openness: Annotated[float, Field(ge=1, le=7)] = 4
    conscientiousness: Annotated[float, Field(ge=1, le=7)] = 4
    extraversion: Annotated[float, Field(ge=1, le=7)] = 4
    agreeableness: Annotated[float, Field(ge=1, le=7)] = 4
    neuroticism: Annotated[float, Field(ge=1, le=7)] = 4


class Experience(BaseModel):
    """A memory of the participant's own, and optionally what happened in it and how it felt (their words
    for it, chosen on the memory page: ids from MEMORY_EVENTS and emotion labels)."""
    model_config = _strict()
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    events: Annotated[list[str], Field(max_length=len(MEMORY_EVENTS))] = []
    feelings: Annotated[list[str], Field(max_length=8)] = []

    @field_validator("text", mode="before")
    @classmethod
    def _sanitise(cls, value: Any) -> Any:
        return clean(value, cap=8000) if isinstance(value, str) else value

    @field_validator("events", mode="before")
    @classmethod
    def _known_events(cls, value: Any) -> Any:
        return _known_ids(value, MEMORY_EVENTS, lambda item: f"unknown event {item!r} (one of "
                                                               f"{', '.join(MEMORY_EVENTS)})")

    @field_validator("feelings", mode="before")
    @classmethod
    def _known_feelings(cls, value: Any) -> Any:
        return _known_ids(value, EMOTIONS, lambda item: f"unknown emotion {item!r}")


def _known_ids(value: Any, known: dict, message: Any) -> Any:
    """A list of ids from a declared set, lower-cased, without repeats; an unknown one is refused by name."""
    if not isinstance(value, list):
        return value
    out: list[str] = []
    for item in _clean_list(value, cap=40):
        key = item.lower() if isinstance(item, str) else item
        if key not in known:
            raise ValueError(message(item))
        if key not in out:
            out.append(key)
    return out


class ProfileSpec(BaseModel):
    model_config = _strict()
    name: Annotated[str, Field(max_length=80)] = ""
    traits: Traits = Traits()
    values: Annotated[list[str], Field(max_length=3)] = []
    domains: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=10)] = []
    experiences: Annotated[list[Experience], Field(max_length=5)] = []
    avoid: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=20)] = []
    language: Annotated[str, Field(max_length=16)] = "en"

    @field_validator("name", "language", mode="before")
    @classmethod
    def _sanitise(cls, value: Any) -> Any:
        return clean(value, cap=400) if isinstance(value, str) else value

    @field_validator("domains", "avoid", mode="before")
    @classmethod
    def _drop_blank(cls, value: Any) -> Any:
        return _clean_list(value, cap=200)

    @field_validator("experiences", mode="before")
    @classmethod
    def _experiences(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        out = []
        for item in value:
            if isinstance(item, str):
                item = {"text": item}
            if isinstance(item, dict) and isinstance(item.get("text"), str) and not clean(item["text"]):
                continue
            out.append(item)
        return out

    @field_validator("values", mode="before")
    @classmethod
    def _known_values(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        out: list[str] = []
        for item in _clean_list(value, cap=40):
            if not isinstance(item, str):
                raise ValueError("values must be strings")
            key = item.lower().replace("-", "_").replace(" ", "_")
            if key not in VALUES:
                raise ValueError(f"unknown value {item!r} (one of {', '.join(VALUES)})")
            if key not in out:
                out.append(key)
        return out


class Source(BaseModel):
    kind: Literal["own_experience", "domain", "universal"]
    domain: str | None = None


class MappingPair(BaseModel):
    scenario: str
    analogy: str


class Usage(BaseModel):
    tokens_in: int = 0
    tokens_out: int = 0
    cached_tokens: int = 0
    latency_ms: int = 0


class AnalogyResult(BaseModel):
    engine: Literal["builtin", "openai"]
    mode: Literal["personalized", "generic"]
    title: str
    text: str
    source: Source
    mapping: Annotated[list[MappingPair], Field(min_length=3)]
    emotions: list[str]
    bridge: str
    checks: dict[str, bool]
    usage: Usage
    fallback_reason: str | None = None
    # What the engine inferred about the scenario (relational themes, who caused it, how the person found
    # out, what was at stake, whether it was fair, pronouns) and about the source it chose.
    structure: dict[str, Any] = {}
    strategy: str = ""


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe_validation_error(exc: ValidationError, prefix: str, *, limit: int = 1) -> str:
    """One line: `prefix.field[0].sub: problem` for the first error (or the first `limit`, joined by "; ")."""
    problems = []
    for err in exc.errors()[:limit]:
        where = _loc(tuple(err["loc"]))
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "missing":
            message = "missing field"
        problems.append(f"{prefix}.{where}: {message}" if where else f"{prefix}: {message}")
    return "; ".join(problems)


def parse_scenario(data: Any) -> ScenarioSpec:
    try:
        return ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise EngineInputError(describe_validation_error(exc, "scenario")) from None


def parse_profile(data: Any) -> ProfileSpec:
    try:
        return ProfileSpec.model_validate(data)
    except ValidationError as exc:
        raise EngineInputError(describe_validation_error(exc, "profile")) from None
