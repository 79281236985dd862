"""One conversation with the endpoint: rate limit, bounded retries with backoff, usage and a time budget."""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from dataclasses import dataclass

import openai
from openai import OpenAI

from ..models import Usage
from .config import LLMConfig


class LLMFailure(Exception):
    """The endpoint could not give an answer; `reason` is one short line for the analogy record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Reply:
    content: str
    finish_reason: str | None


def _retry_after(exc: openai.APIStatusError) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date), or from retry-after-ms."""
    headers = exc.response.headers
    if ms := headers.get("retry-after-ms"):
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None  # unreadable: the usual backoff applies


_KEY_LIKE = re.compile(r"\b(?:sk-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+)")


def _redacted(text: str, secret: str) -> str:
    """An endpoint's error text without the API key: some proxies repeat the key they refused, and the text
    is stored on the analogy and shown to facilitators."""
    if secret:
        text = text.replace(secret, "[key]")
    return _KEY_LIKE.sub("[key]", text)


def _one_line(text: str, cap: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= cap else text[: cap - 1] + "…"


_clients: dict[tuple[str | None, str, float], OpenAI] = {}
_clients_lock = threading.Lock()
MAX_CLIENTS = 64


def shared_client(llm: LLMConfig) -> OpenAI:
    """One SDK client per endpoint, key and timeout in this process. A new client builds a new SSL context
    (about 25 ms of CPU) and a new connection pool; reusing it keeps connections alive. Clients are
    thread-safe, so a threads-pool worker shares them too."""
    key = (llm.base_url, llm.sdk_api_key, llm.timeout_s)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            if len(_clients) >= MAX_CLIENTS:
                _clients.pop(next(iter(_clients))).close()
            client = _clients[key] = OpenAI(base_url=llm.base_url, api_key=llm.sdk_api_key, timeout=llm.timeout_s,
                                            max_retries=0)
        return client


def estimate_tokens(messages: list[dict], max_tokens: int) -> int:
    return sum(len(m["content"]) for m in messages) // 4 + max_tokens


class LLMSession:
    """All requests made for one analogy share the usage counters and the time budget."""

    def __init__(self, llm: LLMConfig, *, budget_s: float | None = None) -> None:
        self.llm = llm
        self.usage = Usage()
        self.deadline = time.monotonic() + (budget_s if budget_s is not None else llm.budget_s)
        self.client = shared_client(llm)
        self._rng = random.Random()

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.llm.backoff_max_s, self.llm.backoff_base_s * 2 ** attempt)
        return ceiling * self._rng.uniform(0.5, 1.0)  # jitter spreads workers that failed together

    def chat(self, messages: list[dict], *, max_tokens: int, json_mode: bool = True) -> Reply:
        """One chat completion, retried on 429, 5xx, timeouts and connection errors; raises LLMFailure."""
        retries = self.llm.max_retries
        last = "no attempt"
        for attempt in range(retries + 1):
            remaining = self.deadline - time.monotonic()
            if remaining <= 0.05:
                raise LLMFailure(f"openai: time budget spent ({last})")
            if self.llm.limiter is not None:
                self.llm.limiter.acquire(estimate_tokens(messages, max_tokens))
            extra = {"response_format": {"type": "json_object"}} if json_mode else {}
            started = time.perf_counter()
            try:
                response = self.client.chat.completions.create(
                    model=self.llm.model, messages=messages, max_tokens=max_tokens, temperature=0.7,
                    timeout=min(self.llm.timeout_s, remaining), **extra)
            except openai.APITimeoutError:
                last, wait = "timeout", self._backoff(attempt)
            except openai.APIConnectionError as exc:
                last, wait = f"connection error ({_one_line(_redacted(str(exc), self.llm.api_key), 60)})", \
                    self._backoff(attempt)
            except openai.APIStatusError as exc:
                status = exc.status_code
                if status == 429:
                    last = "429 rate limited"
                    hinted = _retry_after(exc)
                    wait = min(hinted, self.llm.backoff_max_s) if hinted is not None else self._backoff(attempt)
                elif status >= 500:
                    last, wait = f"{status} server error", self._backoff(attempt)
                else:
                    self._add_latency(started)
                    message = _one_line(_redacted(str(exc.message), self.llm.api_key), 80)
                    raise LLMFailure(f"openai: {status} {message}") from None
            else:
                self._add_latency(started)
                return self._reply(response)
            self._add_latency(started)
            if attempt == retries:
                break
            if time.monotonic() + wait >= self.deadline:
                raise LLMFailure(f"openai: {last}, time budget spent after {attempt} retries")
            time.sleep(wait)
        raise LLMFailure(f"openai: {last} after {retries} retries" if retries else f"openai: {last}")

    def _add_latency(self, started: float) -> None:
        self.usage.latency_ms += round((time.perf_counter() - started) * 1000)

    def _reply(self, response: object) -> Reply:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.usage.tokens_in += usage.prompt_tokens or 0
            self.usage.tokens_out += usage.completion_tokens or 0
            details = getattr(usage, "prompt_tokens_details", None)
            self.usage.cached_tokens += (getattr(details, "cached_tokens", None) or 0) if details else 0
        choices = getattr(response, "choices", None) or []
        if not choices:
            return Reply(content="", finish_reason=None)
        return Reply(content=choices[0].message.content or "", finish_reason=choices[0].finish_reason)
