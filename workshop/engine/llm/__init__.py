"""The openai engine: any OpenAI-compatible endpoint through the `openai` SDK. See DESIGN.md."""

from __future__ import annotations

from .config import AnalysisCache, LLMConfig, MemoryAnalysisCache, RateLimiter
from .egress import EgressPolicy, parse_allowed_hosts
from .engine import generate_openai
from .strategy import builtin_strategy, llm_eligible_strategies
from .transport import BAD_REPLY, LLMFailure, LLMSession, shown_reason

CONNECTION_TEST_TIMEOUT_S = 10


def llm_test_connection(llm: LLMConfig) -> tuple[bool, str]:
    """A tiny chat call: (ok, one line for the settings page). Never raises. The line names the kind of
    failure only (blocked address, connection error, timeout, 401 unauthorized, 404 bad reply...), never
    anything the endpoint wrote back."""
    try:
        quick = llm.model_copy(update={"timeout_s": min(llm.timeout_s, CONNECTION_TEST_TIMEOUT_S),
                                       "max_retries": 0})
        session = LLMSession(quick, budget_s=quick.timeout_s + 1)
        session.chat([{"role": "user", "content": "Reply with the word OK."}], max_tokens=5, json_mode=False)
    except LLMFailure as failure:
        return False, failure.reason
    except Exception:  # noqa: BLE001 - a settings page must get a message, not a traceback
        return False, f"openai: {BAD_REPLY}"
    return True, f"openai: {llm.model} answered in {session.usage.latency_ms} ms"


__all__ = ["AnalysisCache", "EgressPolicy", "LLMConfig", "LLMFailure", "MemoryAnalysisCache", "RateLimiter",
           "builtin_strategy", "generate_openai", "llm_eligible_strategies", "llm_test_connection",
           "parse_allowed_hosts", "shown_reason"]
