"""How to reach an OpenAI-compatible endpoint, and the hooks the caller plugs in (rate limit, analysis cache)."""

from __future__ import annotations

import os
import threading
from typing import Annotated, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .egress import allowed_hosts_from_env, endpoint_entry, parse_allowed_hosts

CELERY_SOFT_LIMIT_S = 120


@runtime_checkable
class RateLimiter(Protocol):
    def acquire(self, tokens: int) -> None:
        """Block until a request of about `tokens` tokens may be sent."""


@runtime_checkable
class AnalysisCache(Protocol):
    """get/set, and optionally claim(key) -> bool and release(key): a cache shared by many workers offers
    claim so that exactly one of them asks the model while the others wait for its answer."""

    def get(self, key: str) -> dict | None: ...

    def set(self, key: str, value: dict) -> None: ...


class MemoryAnalysisCache:
    """The default analysis cache: a bounded dict in this process."""

    def __init__(self, max_entries: int = 256) -> None:
        self._data: dict[str, dict] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            return self._data.get(key)

    def set(self, key: str, value: dict) -> None:
        with self._lock:
            if len(self._data) >= self._max:
                self._data.pop(next(iter(self._data)))
            self._data[key] = value


class LLMConfig(BaseModel):
    """Settings for the openai engine. `limiter` and `analysis_cache` are never serialised."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    base_url: str | None = None
    api_key: str = Field(default="", repr=False)  # "" is fine for local servers
    model: Annotated[str, Field(min_length=1)]
    # Each request must end well inside the Celery soft time limit.
    timeout_s: Annotated[float, Field(gt=0, lt=CELERY_SOFT_LIMIT_S)] = 30
    max_retries: Annotated[int, Field(ge=0, le=10)] = 3
    backoff_base_s: Annotated[float, Field(ge=0)] = 0.5
    backoff_max_s: Annotated[float, Field(ge=0)] = 20
    # The whole analogy (analysis, retries, repair) gives up and falls back after this long.
    budget_s: Annotated[float, Field(gt=0, lt=CELERY_SOFT_LIMIT_S)] = 90
    requests_per_minute: Annotated[int, Field(ge=1)] = 60
    tokens_per_minute: Annotated[int, Field(ge=1)] = 60000
    # Host names and networks on the server's own network that this endpoint may reach (egress.py); by
    # default the operator's LLM_ALLOWED_HOSTS. Every other non-public address is refused.
    allowed_hosts: tuple[str, ...] = Field(default_factory=allowed_hosts_from_env)
    # Whose analyses a shared analysis cache holds for this endpoint: one scope per tenant with its own
    # endpoint, so no tenant's endpoint writes what another tenant's prompts use as scenario analysis.
    analysis_scope: Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9_.-]*$")] = ""
    limiter: RateLimiter | None = Field(default=None, exclude=True)
    analysis_cache: AnalysisCache = Field(default_factory=MemoryAnalysisCache, exclude=True)

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _canonical_hosts(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            value = value.split(",")
        return parse_allowed_hosts(value)  # type: ignore[arg-type]

    @property
    def sdk_api_key(self) -> str:
        return self.api_key or "not-needed"

    @classmethod
    def from_env(cls, **overrides: object) -> LLMConfig | None:
        """OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL; None when neither a key nor a base URL is set.
        The operator's own endpoint is trusted: its host is allowed even on a private address."""
        key = os.environ.get("OPENAI_API_KEY", "")
        base_url = os.environ.get("OPENAI_BASE_URL") or None
        if not key and not base_url:
            return None
        values: dict[str, object] = {"api_key": key, "base_url": base_url,
                                     "model": os.environ.get("OPENAI_MODEL") or "gpt-4o-mini",
                                     "allowed_hosts": allowed_hosts_from_env() + endpoint_entry(base_url)}
        values.update(overrides)
        return cls.model_validate(values)
