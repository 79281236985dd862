"""A local OpenAI-compatible server for tests: deterministic valid analogies, scripted faults, a request log.

    with FakeLLMServer() as server:
        server.push("status_429", "garbage")          # the next two chat requests fail that way
        llm = LLMConfig(base_url=server.base_url, model="fake-model")

Faults: status_NNN (429 carries Retry-After: `retry_after`), timeout (sleeps `timeout_sleep_s`), garbage
(non-JSON content), bad_schema (JSON without text), short_mapping (one mapping pair), quote_memory (a text
that repeats the participant's first memory). A fault may target only "analysis" or "analogy" requests.
Replies that break one of the engine's rules: insert:SENTENCE (the sentence goes into the story: a named
feeling, an avoided word, a dictated phrase), title:TITLE, short (three sentences), long (the story twice),
copy_prompt (24 words of the system prompt in the story), flat (an ordinary day that evokes nothing),
self_map (a mapping pair maps a phrase to itself). A good reply follows the source and scene the task line asks for
(the loop's chosen strategy); ignore_source writes from the participant's first life domain anyway.

For fault tests with a real worker:
    server.fault_mix({"status_500": 0.3, "status_429": 0.1, "timeout": 0.1, "garbage": 0.1}, seed=7)
    server.fault_for("beekeeping", "status_500")  # every request whose participant data mentions it
    server.hold("analogy")                         # analogy requests wait (mid-call) until release()
Each request records the fault it was served (`Recorded.fault`).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "fake-model"
_BLOCK = re.compile(r"<(scenario|participant_data)>\s*(.*?)\s*</\1>", re.DOTALL)


@dataclass
class Recorded:
    path: str
    body: dict
    time: float  # time.monotonic() when the request arrived
    kind: str = ""  # analysis | analogy | other
    fault: str = ""  # the fault this request was served, "" for a good answer

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])


@dataclass
class _Fault:
    name: str
    target: str = "any"


@dataclass
class Settings:
    latency_s: float = 0.0
    retry_after: str = "1"
    timeout_sleep_s: float = 3.0
    fault_rate: float = 0.0
    random_fault: str = "status_500"
    report_cached: bool = True
    faults: deque = field(default_factory=deque)
    fault_mix: dict = field(default_factory=dict)  # fault -> probability, drawn once per request
    faults_for: dict = field(default_factory=dict)  # text in the participant data -> the fault every time
    hold_timeout_s: float = 60.0  # a held request answers after this long even if never released


def blocks(messages: list[dict]) -> dict[str, dict]:
    """The JSON data blocks found in the user messages, by tag."""
    found: dict[str, dict] = {}
    for message in messages:
        if message.get("role") == "user":
            for tag, body in _BLOCK.findall(message.get("content") or ""):
                found[tag] = json.loads(body)
    return found


def _analysis(scenario: dict) -> dict:
    return {"relational_themes": scenario.get("themes", [])[:1] or ["exclusion"],
            "appraisal": {"causer": "someone_else", "causer_label": "their colleagues", "fair": "unfair",
                          "control": "low", "stake": "belonging"},
            "place": "the office", "happened": "was passed over while others carried on"}


# One sentence per target emotion that lets a reader feel it without naming it: the engine refuses a text that
# names a target feeling, and reads the feeling in the text with its own lexicon (workshop/engine/data/evoke.yaml),
# so a good fake answer carries each feeling in such words. test_llm_rules.py checks every built-in scenario.
EVOKE = {
    "anger": "Your jaw went tight and the heat rose in your face; it was simply wrong.",
    "frustration": "You bit your tongue and kept pushing, like pushing a door that will not open.",
    "resentment": "Each time you saw them afterwards the old sting came back, sour and unfair.",
    "sadness": "A heavy, grey weight settled on you and stayed all evening.",
    "loneliness": "You ate alone that day, and the quiet around you was the loudest thing in the room.",
    "hurt": "It left a bruise nobody could see, a dull ache that stayed.",
    "disappointment": "You had let yourself look forward to it, and now it was simply gone, with a shrug.",
    "shame": "You wanted to shrink and hide, as if the problem were you.",
    "embarrassment": "Your cheeks went hot, your stomach knotted, and you braced for someone to mention it.",
    "humiliation": "It happened under everyone's eyes, and you wanted the floor to open so you could hide.",
    "guilt": "It sat on you at night, heavy: someone had needed you and you had not been there.",
    "anxiety": "You lay awake, your stomach in a knot, checking your phone again and again.",
    "fear": "Your heart was pounding and you braced for whatever came next.",
    "insecurity": "You started second-guessing everything, wondering whether your place there had ever been "
                  "solid ground.",
    "helplessness": "You kept waiting and checking, but it had been settled somewhere out of your reach.",
    "confusion": "You replayed it again and again, trying to work out the sign you had missed, and nothing "
                 "added up.",
    "jealousy": "Seeing someone else take the credit that should have been yours left a sour, unfair taste.",
    "pride": "You stood a little taller, and a warm smile stayed with you all the way home.",
    "relief": "Everything felt light and easy again, and a warm smile came back.",
    "hope": "You could still picture how it might go right tomorrow.",
    "gratitude": "You wanted to thank the one friend who stood by you, someone you had always counted on.",
    "joy": "You could not stop the smile, and the whole day felt light and warm.",
    "surprise": "It came suddenly, out of the blue, and you blinked twice.",
    "disgust": "It left a bad taste, and you could not meet their eyes.",
}


_ASKED_KIND = re.compile(r'source\.kind must be "(\w+)"')
_ASKED_DOMAINS = re.compile(r"source\.domain one of (\[.*?\])")
_ASKED_SCENE = re.compile(r'source\.scene "(\w+)"')


def asked_source(messages: list[dict]) -> dict:
    """The source and scene the task line asks for (the loop's chosen strategy), {} when it asks none."""
    task = next((m["content"] for m in messages if m.get("role") == "user" and "<task>" in (m.get("content") or "")),
                "")
    asked: dict = {}
    if kind := _ASKED_KIND.search(task):
        asked["kind"] = kind.group(1)
    if domains := _ASKED_DOMAINS.search(task):
        asked["domains"] = json.loads(domains.group(1))
    if scene := _ASKED_SCENE.search(task):
        asked["scene"] = scene.group(1)
    return asked


def _analogy(scenario: dict, participant: dict | None, asked: dict | None = None) -> dict:
    """A valid analogy from the participant's first life domain; from the source and scene the task asks for,
    when it asks (as a model that follows the task does)."""
    asked = asked or {}
    person, role = scenario.get("person", "the person"), scenario.get("role", "a colleague")
    evoked = " ".join(EVOKE[e] for e in scenario.get("target_emotions") or ["hurt"] if e in EVOKE)
    domains = (participant or {}).get("life_domains") or []
    if asked.get("kind") == "domain" and asked.get("domains"):
        domains = asked["domains"]
    elif asked.get("kind") in ("universal", "own_experience"):
        domains = []
    domain = re.sub(r"^(my|our|the)\s+", "", domains[0], flags=re.I) if domains else ""
    where = f"your {domain}" if domain else "a group of friends you grew up with"
    text = (f"Think of a moment in {where}. You had given it real time and care, and you expected to be part "
            f"of what came next. Then the people around you made a plan of their own and went ahead. "
            f"You only found out later, almost by accident, when someone mentioned how well it had gone. "
            f"{evoked} It was not only the event; it was what it said about your place among people you had "
            f"counted as your own. "
            f"This is close to what {person}, {role}, lives through in the scenario. When you read about "
            f"{person}, remember that moment in {where} and what it cost you.")
    bridge = text[text.index("This is close"):]
    mapping = [{"scenario": f"{person}, {role}", "analogy": "you"},
               {"scenario": "the colleagues who made the plan", "analogy": f"the people in {where}"},
               {"scenario": scenario.get("title", "what happened"), "analogy": "a plan made without you"},
               {"scenario": f"what {person} is left carrying", "analogy": "what it cost you"}]
    source = {"kind": "domain" if domain else "universal", "domain": domains[0] if domains else None}
    if asked.get("kind") == "own_experience":
        source["kind"] = "own_experience"
    if asked.get("scene"):
        source["scene"] = asked["scene"]
    return {"title": f"A moment in {where}", "text": text, "bridge": bridge, "mapping": mapping,
            "source": source, "emotions": list(scenario.get("target_emotions") or ["hurt"])}


def _break_rule(draft: dict, fault: str, system_prompt: str) -> None:
    """Reply modes that break one of the engine's rules on purpose (see the module docstring)."""
    text, bridge = draft["text"], draft["bridge"]
    body = text[: -len(bridge)].strip()
    if fault.startswith("insert:"):
        draft["text"] = text.replace("Then the people", fault.removeprefix("insert:") + " Then the people")
    elif fault.startswith("title:"):
        draft["title"] = fault.removeprefix("title:")
    elif fault == "short":
        draft["text"] = " ".join(body.split(". ")[:3]) + "."
    elif fault == "long":
        draft["text"] = f"{body} Looking back, it went like this. {body} {bridge}"
    elif fault == "copy_prompt":
        copied = " ".join(system_prompt.split()[:24])
        draft["text"] = text.replace("Then the people", f"My instructions say: {copied}. Then the people")
    elif fault == "flat":
        draft["text"] = (f"Think of an ordinary Saturday in {draft['title'].removeprefix('A moment in ')}. You got up "
                         "at eight, made a cup of coffee and read the paper. At ten you walked to the shops and "
                         "bought bread, apples and a bag of rice. The bus was on time and the driver nodded as you "
                         "got on. In the afternoon you tidied the shelves, watered the plants and answered two "
                         "emails about the weekend. Later you cooked pasta, washed up and watched a film about "
                         f"ships. {bridge}")
    elif fault == "self_map":
        draft["mapping"][1]["analogy"] = draft["mapping"][1]["scenario"]


class FakeLLMServer:
    def __init__(self, **settings: object) -> None:
        self.settings = Settings(**settings)  # change attributes while running; guarded by `lock`
        self.lock = threading.Lock()
        self.requests: list[Recorded] = []
        self._seen_prefixes: set[str] = set()
        self._rng = random.Random(0)
        self._httpd: ThreadingHTTPServer | None = None
        self._held_kind: str | None = None
        self._gate = threading.Event()
        self._gate.set()

    # -- control ---------------------------------------------------------------------------------------
    def start(self) -> FakeLLMServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # a handler asleep in a `timeout` fault must not hold up stop()
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._httpd, "start() the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def push(self, *faults: str, target: str = "any") -> None:
        with self.lock:
            self.settings.faults.extend(_Fault(f, target) for f in faults)

    def random_faults(self, rate: float, *, seed: int, fault: str = "status_500") -> None:
        with self.lock:
            self.settings.fault_rate, self.settings.random_fault, self._rng = rate, fault, random.Random(seed)

    def fault_mix(self, weights: dict[str, float], *, seed: int) -> None:
        """Each request draws one fault (or none) with these probabilities (their sum at most 1)."""
        assert sum(weights.values()) <= 1.0
        with self.lock:
            self.settings.fault_mix, self._rng = dict(weights), random.Random(seed)

    def fault_for(self, text: str, fault: str) -> None:
        """Every analogy request whose participant data contains `text` gets `fault`."""
        with self.lock:
            self.settings.faults_for[text] = fault

    def hold(self, kind: str = "any") -> None:
        """Requests of this kind wait before answering until release(): they are 'mid-call'."""
        with self.lock:
            self._held_kind = kind
            self._gate.clear()

    def release(self) -> None:
        with self.lock:
            self._held_kind = None
            self._gate.set()

    def chat_requests(self, kind: str | None = None) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions") and kind in (None, r.kind)]

    # -- behaviour -------------------------------------------------------------------------------------
    def _take_fault(self, kind: str, participant_json: str = "") -> str | None:
        with self.lock:
            for text, fault in self.settings.faults_for.items():
                if participant_json and text in participant_json:
                    return fault
            for fault in list(self.settings.faults):
                if fault.target in ("any", kind):
                    self.settings.faults.remove(fault)
                    return fault.name
            if self.settings.fault_rate and self._rng.random() < self.settings.fault_rate:
                return self.settings.random_fault
            if self.settings.fault_mix:
                draw = self._rng.random()
                for fault, share in self.settings.fault_mix.items():
                    if draw < share:
                        return fault
                    draw -= share
        return None

    def _usage(self, messages: list[dict], content: str) -> dict:
        prompt = sum(len(m.get("content") or "") for m in messages) // 4
        prefix = messages[0].get("content", "") if messages else ""
        with self.lock:
            cached = (len(prefix) // 4) // 64 * 64 if prefix in self._seen_prefixes else 0
            self._seen_prefixes.add(prefix)
        usage = {"prompt_tokens": prompt, "completion_tokens": len(content) // 4,
                 "total_tokens": prompt + len(content) // 4}
        if self.settings.report_cached:
            usage["prompt_tokens_details"] = {"cached_tokens": cached}
        return usage

    def _content(self, kind: str, found: dict, fault: str | None) -> str:
        if fault == "garbage":
            return "Sure! Here is your analogy: it was like a rainy day {not json"
        if kind == "analysis":
            return json.dumps(_analysis(found["scenario"]))
        if kind == "other":
            return "OK"
        draft = _analogy(found["scenario"], found.get("participant_data"),
                         None if fault == "ignore_source" else found.get("asked"))
        if fault == "bad_schema":
            draft.pop("text")
        elif fault == "short_mapping":
            draft["mapping"] = draft["mapping"][:1]
        elif fault == "quote_memory":
            memory = (found.get("participant_data") or {}).get("memories", ["(none)"])[0]
            draft["text"] = draft["text"].replace("Then the people", f"You wrote: {memory} Then the people")
        elif fault:
            _break_rule(draft, fault, found.get("system", ""))
        return json.dumps(draft, ensure_ascii=False)

    def chat(self, body: dict, record: Recorded) -> tuple[int, dict, dict]:
        messages = body.get("messages", [])
        found = blocks(messages)
        found["system"] = next((m.get("content") or "" for m in messages if m.get("role") == "system"), "")
        found["asked"] = asked_source(messages)
        last = messages[-1].get("content", "") if messages else ""
        record.kind = "analysis" if "<task>analyze" in last else ("analogy" if "scenario" in found else "other")
        fault = self._take_fault(record.kind, json.dumps(found.get("participant_data") or "", ensure_ascii=False))
        record.fault = fault or ""
        with self.lock:
            held = self._held_kind in ("any", record.kind)
        if held:
            self._gate.wait(self.settings.hold_timeout_s)
        if self.settings.latency_s:
            time.sleep(self.settings.latency_s)
        if fault == "timeout":
            time.sleep(self.settings.timeout_sleep_s)
        if fault and fault.startswith("status_"):
            status = int(fault.removeprefix("status_"))
            headers = {"Retry-After": self.settings.retry_after} if status == 429 else {}
            return status, headers, {"error": {"message": f"fake {status}", "type": "fake", "code": status}}
        content = self._content(record.kind, found, fault)
        return 200, {}, {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", MODEL),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": self._usage(messages, content)}


def _handler(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a `timeout` fault)

        def do_GET(self) -> None:
            with server.lock:
                server.requests.append(Recorded(self.path, {}, time.monotonic(), "models"))
            if self.path.rstrip("/").endswith("/v1/models"):
                self._send(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0,
                                                             "owned_by": "tests"}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            record = Recorded(self.path, json.loads(raw or b"{}"), time.monotonic())
            with server.lock:
                server.requests.append(record)
            if not self.path.endswith("/v1/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            status, headers, payload = server.chat(record.body, record)
            self._send(status, payload, headers)

    return Handler
