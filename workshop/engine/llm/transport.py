"""One conversation with the endpoint: rate limit, bounded retries with backoff, usage and a time budget.

Every connection goes through the egress policy (egress.py): the SDK's HTTP client resolves the host,
checks every address, connects to a checked one, and follows no redirect. What the endpoint writes back
in an error never reaches a reason: a reason says only what kind of failure it was.
"""

from __future__ import annotations

import email.utils
import importlib
import random
import threading
import time
from dataclasses import dataclass

import openai
from openai import OpenAI

from ..models import Usage
from .config import LLMConfig
from .egress import EgressBlocked, EgressPolicy


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


BLOCKED = "blocked address"
CONNECTION_ERROR = "connection error"
BAD_REPLY = "bad reply"
INVALID_URL = "invalid base URL"


def _status_kind(status: int) -> str:
    """The kind of failure an HTTP status stands for; the reply's body is never read."""
    if status in (401, 403):
        return "unauthorized"
    if 300 <= status < 400:
        return "redirect, not followed"
    return BAD_REPLY


def shown_reason(reason: str) -> str:
    """What people see of a fallback reason: its kind ("openai: 401 unauthorized", "openai: invalid output
    after repair"), never the detail after it, which may quote what the endpoint wrote."""
    return ": ".join(reason.split(": ", 2)[:2])


def _blocked(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, EgressBlocked):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _sdk_http_modules() -> tuple:
    """The HTTP library the installed SDK is built on (httpx, or its successor httpx2) and its core."""
    for cls in openai.DefaultHttpxClient.__mro__:
        top = cls.__module__.partition(".")[0]
        if top in ("httpx", "httpx2"):
            return importlib.import_module(top), importlib.import_module(top.replace("httpx", "httpcore"))
    raise RuntimeError("the openai SDK's HTTP client is neither httpx nor httpx2")


_http, _core = _sdk_http_modules()
MAX_CONNECTIONS, MAX_KEEPALIVE = 1000, 100  # the SDK's own pool limits


class _CheckedNetwork:
    """An httpcore network backend: resolve, check every address, then connect to an address that was
    checked (never resolve the name a second time). No Unix sockets."""

    def __init__(self, policy: EgressPolicy) -> None:
        self.policy = policy
        self.inner = _core.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: object = None) -> object:
        try:
            addresses = self.policy.resolve(host, port)
        except OSError as exc:  # the name does not resolve
            raise _core.ConnectError(type(exc).__name__) from exc
        last: Exception = _core.ConnectError("no address")
        for address in addresses:
            try:
                return self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                              socket_options=socket_options)
            except (_core.ConnectError, _core.ConnectTimeout) as exc:
                last = exc
        raise last

    def connect_unix_socket(self, *args: object, **kwargs: object) -> object:
        raise EgressBlocked("no Unix sockets")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _CheckedTransport(_http.HTTPTransport):
    """The SDK's own transport, with its connection pool on the checked network and no proxy from the
    environment (a proxy would make the connections we check)."""

    def __init__(self, policy: EgressPolicy) -> None:
        super().__init__(trust_env=False)
        if not isinstance(getattr(self, "_pool", None), _core.ConnectionPool):
            raise RuntimeError("the HTTP transport no longer keeps its pool in _pool: the egress check would "
                               "not apply")
        self._pool = _core.ConnectionPool(
            ssl_context=_http.create_ssl_context(trust_env=False), max_connections=MAX_CONNECTIONS,
            max_keepalive_connections=MAX_KEEPALIVE,
            network_backend=_CheckedNetwork(policy))


def _http_client(llm: LLMConfig) -> object:
    return openai.DefaultHttpxClient(transport=_CheckedTransport(EgressPolicy.from_entries(llm.allowed_hosts)),
                                     follow_redirects=False, trust_env=False, timeout=llm.timeout_s)


_clients: dict[tuple[str | None, str, float, tuple[str, ...]], OpenAI] = {}
_clients_lock = threading.Lock()
MAX_CLIENTS = 64


def shared_client(llm: LLMConfig) -> OpenAI:
    """One SDK client per endpoint, key, timeout and allow-list in this process. A new client builds a new SSL context
    (about 25 ms of CPU) and a new connection pool; reusing it keeps connections alive. Clients are
    thread-safe, so a threads-pool worker shares them too."""
    key = (llm.base_url, llm.sdk_api_key, llm.timeout_s, llm.allowed_hosts)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            if len(_clients) >= MAX_CLIENTS:
                _clients.pop(next(iter(_clients))).close()
            client = _clients[key] = OpenAI(base_url=llm.base_url, api_key=llm.sdk_api_key, timeout=llm.timeout_s,
                                            max_retries=0, http_client=_http_client(llm))
        return client


def estimate_tokens(messages: list[dict], max_tokens: int) -> int:
    return sum(len(m["content"]) for m in messages) // 4 + max_tokens


class LLMSession:
    """All requests made for one analogy share the usage counters and the time budget."""

    def __init__(self, llm: LLMConfig, *, budget_s: float | None = None) -> None:
        self.llm = llm
        self.usage = Usage()
        self.deadline = time.monotonic() + (budget_s if budget_s is not None else llm.budget_s)
        self._client: OpenAI | None = None
        self._rng = random.Random()

    @property
    def client(self) -> OpenAI:
        if self._client is None:
            try:
                self._client = shared_client(self.llm)
            except (_http.InvalidURL, ValueError):  # the HTTP library refuses the address itself
                raise LLMFailure(f"openai: {INVALID_URL}") from None
        return self._client

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
            except (EgressBlocked, openai.APIConnectionError) as exc:
                if _blocked(exc):  # not worth a retry: the address will not change its kind
                    self._add_latency(started)
                    raise LLMFailure(f"openai: {BLOCKED}") from None
                last, wait = CONNECTION_ERROR, self._backoff(attempt)
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
                    raise LLMFailure(f"openai: {status} {_status_kind(status)}") from None
            except (openai.APIResponseValidationError, ValueError):  # not a chat completion, not even JSON
                self._add_latency(started)
                raise LLMFailure(f"openai: {BAD_REPLY}") from None
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
