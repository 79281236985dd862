"""A light HTTP/1.1 load client on raw asyncio (issue 15): one process, one thread, a few tens of microseconds
of CPU per request, so on this 2-core machine it leaves the cores to the site it measures (locust took a large
share of them and inflated what it reported, docs/benchmarks.md).

Requests go over a small pool of keep-alive connections, as they would from the reverse proxy in front of
gunicorn (nginx's upstream keepalive): a phone's own connection ends at the proxy. Latency is counted from the
moment a request was due, not from when a connection was free, so a site that falls behind is not flattered
by the client waiting for it (coordinated omission). Each answer's ``X-Bench-CPU-us`` header (the server's
CPU time for it, bench/load/benchsite/timing.py) is kept beside the client's figure.

Run by bench/load/room.py with a JSON plan (see ``main``); prints one JSON result.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CPU_HEADER = b"x-bench-cpu-us"


class HttpError(Exception):
    pass


@dataclass
class Answer:
    status: int
    headers: dict[bytes, bytes]
    body: bytes


class Pool:
    """Up to ``size`` keep-alive connections to one host and port, handed out one request at a time."""

    def __init__(self, host: str, port: int, size: int):
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.free = asyncio.Semaphore(size)

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> Answer:
        async with self.free:
            for attempt in (1, 2):
                fresh = not self.idle
                reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection(self.host, self.port)
                try:
                    answer, keep = await _exchange(reader, writer, self.host, method, path, headers or {}, body)
                except (ConnectionError, asyncio.IncompleteReadError) as exc:
                    writer.close()
                    # The server closed an idle keep-alive connection as we reused it: a browser or a proxy
                    # retries an idempotent request once on a new connection. Anything else is an error.
                    if fresh or attempt == 2 or method != "GET":
                        raise HttpError(f"{type(exc).__name__}: {exc}") from exc
                    continue
                if keep:
                    self.idle.append((reader, writer))
                else:
                    writer.close()
                return answer
        raise AssertionError("unreachable")

    def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _exchange(reader, writer, host, method, path, headers, body) -> tuple[Answer, bool]:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head[:-4].split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    parsed: dict[bytes, bytes] = {}
    cookies = []
    for line in header_lines:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"set-cookie":
            cookies.append(value.strip())
        parsed[name] = value.strip()
    if cookies:
        parsed[b"set-cookie"] = b"\n".join(cookies)
    if parsed.get(b"transfer-encoding", b"").lower() == b"chunked":
        content = await _chunked(reader)
    else:
        content = await reader.readexactly(int(parsed.get(b"content-length", b"0")))
    return Answer(status, parsed, content), parsed.get(b"connection", b"").lower() != b"close"


async def _chunked(reader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


@dataclass
class Recorder:
    """Every request: its kind, when it was due (seconds from the start), client latency from due and from
    send (ms), status, and the server's CPU for it (µs; -1 when the answer had none)."""

    started: float = field(default_factory=time.monotonic)
    rows: list[tuple[str, float, float, float, int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def call(self, kind: str, due: float, pool: Pool, method: str, path: str, *, headers=None,
                   body: bytes = b"", expect: int = 200) -> Answer | None:
        sent = time.monotonic()
        try:
            answer = await pool.request(method, path, headers, body)
        except (HttpError, OSError) as exc:
            self.errors.append(f"{kind}: {exc}")
            self.rows.append((kind, due - self.started, (time.monotonic() - due) * 1000,
                              (time.monotonic() - sent) * 1000, 0, -1))
            return None
        done = time.monotonic()
        self.rows.append((kind, due - self.started, (done - due) * 1000, (done - sent) * 1000, answer.status,
                          int(answer.headers.get(CPU_HEADER, b"-1"))))
        if answer.status != expect:
            self.errors.append(f"{kind}: {answer.status} (expected {expect}) {path}")
            return None
        return answer


async def sleep_until(t: float) -> None:
    delay = t - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


# --- what the users do -----------------------------------------------------------------------------------------

async def poller(rec: Recorder, pool: Pool, *, kind: str, path: str, headers: dict, interval: float,
                 until: float, offset: float) -> None:
    """Asks `path` every `interval` seconds from `offset`, on a fixed schedule, never two requests at once;
    with no interval, again as soon as each answer is in (a closed loop, for saturation)."""
    due = rec.started + offset
    if interval <= 0:
        await sleep_until(due)
        while time.monotonic() < until:
            await rec.call(kind, time.monotonic(), pool, "GET", path, headers=headers)
        return
    while due < until:
        await sleep_until(due)
        await rec.call(kind, due, pool, "GET", path, headers=headers)
        due += interval
        while due < time.monotonic() - interval:  # far behind: skip turns rather than fire a burst
            due += interval


async def monitor(rec: Recorder, pool: Pool, *, path: str, session: str, interval: float, until: float) -> None:
    """The facilitator's live monitor: the first refresh whole, then only what changed since the last one
    (the answer's X-Monitor-Cursor, when the monitor gives one)."""
    headers = {"Cookie": f"sessionid={session}", "Accept": "text/html"}
    cursor = ""
    due = rec.started + 0.5
    while due < until:
        await sleep_until(due)
        url = f"{path}?{urlencode({'since': cursor})}" if cursor else path
        answer = await rec.call("monitor", due, pool, "GET", url, headers=headers)
        if answer is not None:
            cursor = answer.headers.get(b"x-monitor-cursor", b"").decode()
        due += interval


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM = re.compile(rb'name="(item_\d+)"')
MEMORY = re.compile(rb'name="(memory_\d+)"')
VALUES = ["benevolence", "universalism", "self_direction"]
DOMAINS = ["amateur football", "choir", "baking bread", "hiking", "chess club", "caring for my father",
           "volunteering at the food bank", "jazz guitar", "swimming", "gardening", "pottery"]


def _cookies(answer: Answer, jar: dict[str, str]) -> None:
    for line in answer.headers.get(b"set-cookie", b"").split(b"\n"):
        if b"=" in line:
            name, _, rest = line.decode().partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def _form(fields: dict) -> bytes:
    return urlencode(fields, doseq=True).encode()


async def joiner(rec: Recorder, pool: Pool, *, join_path: str, at: float, think: float, done: list[float],
                 rng: random.Random, before: tuple[float, float] | None = None) -> None:
    """One employee on a phone: the join page, name and consent, every profile page, until the first activity.
    Follows each redirect as a browser does, and counts the requests it took. With `before` (a pause range in
    seconds, reading the scenario) they then answer the first scenario's "before" questions, press "See my
    analogy" and wait for it as static/js/live.js does; the wait is recorded as "first analogy"."""
    await sleep_until(rec.started + at)
    jar: dict[str, str] = {}

    async def fetch(kind: str, method: str, path: str, fields: dict | None = None) -> tuple[Answer, str]:
        """One request and, when it redirects, the redirects after it (each one counted and named)."""
        answer = await _raw(kind, method, path, fields)
        hops = 0
        while answer.status in (301, 302, 303):
            hops += 1
            if hops > 5:
                raise HttpError(f"{kind}: redirect loop at {path}")
            path = answer.headers[b"location"].decode()
            answer = await _raw(f"{kind} (redirect {hops})", "GET", path)
        if answer.status != 200:
            raise HttpError(f"{kind}: {answer.status} at {path}")
        return answer, path

    async def _raw(kind: str, method: str, path: str, fields: dict | None = None) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
        body = b""
        if fields is not None:
            body = _form(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        sent = time.monotonic()
        try:
            answer = await pool.request(method, path, headers, body)
        except (HttpError, OSError) as exc:
            raise HttpError(f"{kind}: {exc}") from exc
        finished = time.monotonic()
        rec.rows.append((kind, sent - rec.started, (finished - sent) * 1000, (finished - sent) * 1000, answer.status,
                         int(answer.headers.get(CPU_HEADER, b"-1"))))
        _cookies(answer, jar)
        return answer

    async def pause() -> None:
        if think > 0:
            await asyncio.sleep(rng.uniform(0, 2 * think))

    try:
        page, path = await fetch("join (page)", "GET", join_path)
        await pause()
        page, path = await fetch("join (submit)", "POST", path, {
            "csrfmiddlewaretoken": CSRF.search(page.body).group(1).decode(),
            "pseudonym": f"Load {rng.randint(1, 10**6)}", "consent": "on"})
        for _ in range(12):  # the profile's pages, whatever their number, until a page without a profile form
            if b'name="item_' in page.body:
                kind, fields = "personality", {name.decode(): str(rng.randint(1, 5))
                                               for name in dict.fromkeys(ITEM.findall(page.body))}
            elif b'name="values"' in page.body:
                kind, fields = "values", {"values": VALUES}
            elif b'name="domains"' in page.body:
                kind, fields = "life", {"domains": ", ".join(rng.sample(DOMAINS, 2)), "avoid": ""}
            elif MEMORY.search(page.body):
                kind = "memories"
                fields = {MEMORY.search(page.body).group(1).decode():
                          "When my team left me out of the final squad I felt I did not belong."}
            else:
                break
            await pause()
            csrf = CSRF.search(page.body)
            page, path = await fetch(f"{kind} (submit)", "POST", path,
                                     {"csrfmiddlewaretoken": csrf.group(1).decode() if csrf else "", **fields})
        else:
            raise HttpError(f"profile did not end at {path}")
        done.append(time.monotonic() - rec.started)
        if before is not None:
            await asyncio.sleep(rng.uniform(*before))
            await first_analogy(rec, page, path, fetch)
    except HttpError as exc:
        rec.errors.append(str(exc))


LIVE_DELAYS = (0.5, 1.0, 1.5)  # static/js/live.js: then every LIVE_INTERVAL
LIVE_INTERVAL = 3.0
STATUS_URL = re.compile(rb'data-status-url="([^"]+)"')


async def first_analogy(rec: Recorder, page: Answer, path: str, fetch) -> None:
    """The "before" answers, "See my analogy", then the page's own polling until the analogy is on screen."""
    labels = re.findall(rb'name="labels" value="([^"]+)"', page.body)
    if not labels:
        raise HttpError(f"no before questions at {path}")
    pressed = time.monotonic()
    page, path = await fetch("before (submit)", "POST", path, {
        "csrfmiddlewaretoken": CSRF.search(page.body).group(1).decode(), "labels": [labels[0].decode()],
        "intensity": "3", "understanding": "4"})
    asked = 0
    while b'class="card analogy"' not in page.body:
        status = STATUS_URL.search(page.body)
        if status is None:
            raise HttpError(f"neither an analogy nor its status at {path}")
        await asyncio.sleep(LIVE_DELAYS[asked] if asked < len(LIVE_DELAYS) else LIVE_INTERVAL)
        asked += 1
        answer, _ = await fetch("status (waiting)", "GET", status.group(1).decode())
        if json.loads(answer.body)["state"] not in ("pending", "running"):
            page, path = await fetch("scenario (reload)", "GET", path)
        if time.monotonic() - pressed > 300:
            raise HttpError("no analogy after 300 s")
    rec.rows.append(("first analogy", pressed - rec.started, (time.monotonic() - pressed) * 1000,
                     (time.monotonic() - pressed) * 1000, 200, -1))


# --- the run -------------------------------------------------------------------------------------------------

async def run(plan: dict) -> dict:
    rec = Recorder()
    until = rec.started + plan["seconds"]
    ports = plan.get("ports") or [plan["port"]]
    # Several ports are several web machines behind a load balancer: each poller keeps to one of them.
    pools = [Pool(plan["host"], port, max(1, plan.get("connections", 64) // len(ports))) for port in ports]
    pool = pools[0]
    tasks = []
    rng = random.Random(plan.get("seed", 15))
    for i, token in enumerate(plan.get("poll_tokens", [])):
        tasks.append(poller(rec, pools[i % len(pools)], kind="status", path=plan["poll_path"],
                            headers={"Cookie": f"ewt_participant={token}", "Accept": "application/json"},
                            interval=plan["poll_interval"], until=until, offset=rng.uniform(0, plan["poll_interval"])))
    for _ in range(int(plan.get("bare_rate", 0))):
        # The floor: the bare view through the same middleware, in the same run, `bare_rate` a second (each of
        # these pollers once a second, like a phone).
        tasks.append(poller(rec, pool, kind="bare", path="/bench/bare", headers={"Accept": "application/json"},
                            interval=1.0, until=until, offset=rng.uniform(0, 1.0)))
    if plan.get("monitor_path"):
        tasks.append(monitor(rec, Pool(plan["host"], plan["port"], 1), path=plan["monitor_path"],
                             session=plan["session"], interval=plan["monitor_interval"], until=until))
    done: list[float] = []
    for i in range(plan.get("joiners", 0)):
        tasks.append(joiner(rec, pool, join_path=plan["join_path"], at=i * plan["join_spread"] / plan["joiners"],
                            think=plan.get("think", 0.0), done=done, rng=random.Random(i),
                            before=tuple(plan["before"]) if plan.get("before") else None))
    cpu_started = time.process_time()
    running = [asyncio.ensure_future(task) for task in tasks]
    # A site far behind must not keep the run going for ever: past the deadline, what is unfinished counts as
    # not done (joiners who never completed their profile), and the figures so far are kept.
    _done, late = await asyncio.wait(running, timeout=plan.get("deadline_s", plan["seconds"] + 600))
    for task in late:
        task.cancel()
    for each in pools:
        each.close()
    return {"rows": rec.rows, "errors": rec.errors[:50], "error_count": len(rec.errors), "joined": sorted(done),
            "unfinished": len(late), "elapsed_s": time.monotonic() - rec.started,
            "client_cpu_s": time.process_time() - cpu_started}


def main() -> None:
    plan = json.loads(open(sys.argv[1]).read())
    result = asyncio.run(run(plan))
    with open(sys.argv[2], "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
