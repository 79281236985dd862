"""Load benchmarks against the production-like stack on this machine (issue 8, "Load").

Stands up gunicorn (DEBUG off), Celery workers and one beat, against PostgreSQL (a new database,
empathy_load) and Redis (db 5), with the local OpenAI-compatible server (tests/llm_server.py) answering
every call after a fixed latency; drives the site from a separate locust process on 127.0.0.1; prints and
saves the figures (var/load/results-*.json). Every process it starts is stopped at the end, on Ctrl-C too.

    .venv/bin/python bench/load/run.py all --runs 3
    .venv/bin/python bench/load/run.py join room --runs 3
    .venv/bin/python bench/load/run.py fanout ratelimit scaleout

Scenarios:
  join       500 participants join and complete their profile (every page, as a phone does) within 60 s
  room       500 participants poll their analogy's status every 3 s while generation runs, and a
             signed-in facilitator's live monitor refreshes every 2 s
  fanout     1,000 analogies through the workers against the LLM at a fixed latency; ratio to the ideal
  ratelimit  the same 1,000 with the organization's requests-per-minute limit binding; requests per minute
             and per second as the LLM server received them
  scaleout   web and worker processes doubled against the same PostgreSQL and Redis: status polls/s at
             saturation and analogies/s, 1x against 2x
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "bench"), str(ROOT)]

from sampler import CpuSampler  # noqa: E402
from stack import DATABASE, Stack, database_recreate, load_environment, redis_flush, stop_all  # noqa: E402

VAR = ROOT / "var" / "load"
LOCUST = Path(sys.executable).parent / "locust"


# --- measuring -------------------------------------------------------------------------------------------

def sampler_for(stack: Stack, locust_pid: int | None = None) -> CpuSampler:
    """CPU seconds used by each role: web, workers, our PostgreSQL backends, this runner (it holds the LLM
    server), locust."""
    def roles(pg: list[int]) -> dict[str, list[int]]:
        found = {"web": stack.pids("web"), "workers": stack.pids("worker"), "postgres": pg, "runner": [os.getpid()]}
        return {**found, "locust": [locust_pid]} if locust_pid else found
    return CpuSampler(database=DATABASE, roles=roles)


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def locust(stack: Stack, *, users: list[str], count: int, rate: float, seconds: int, name: str,
           env: dict[str, str], reset_stats: bool = False) -> tuple[dict, dict]:
    """Run locust headless in its own process; returns (stats per request name, sampler figures)."""
    prefix = VAR / name
    args = [str(LOCUST), "-f", str(HERE / "locustfile.py"), *users, "--headless", "-u", str(count), "-r", str(rate),
            "-t", f"{seconds}s", "--host", stack.url, "--csv", str(prefix), "--only-summary", "--stop-timeout", "5",
            "--loglevel", "WARNING"]
    if reset_stats:
        args.append("--reset-stats")
    log = open(VAR / f"{name}.locust.log", "w")
    proc = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**stack.env, **env},
                            start_new_session=True)
    sampler = sampler_for(stack, proc.pid)
    sampler.start()
    try:
        proc.wait(timeout=seconds + 60)
    finally:
        stop_all([proc], grace_s=5)
        figures = sampler.finish(digits=1)
    stats = _stats(Path(f"{prefix}_stats.csv"))
    with open(f"{prefix}_failures.csv") as f:
        figures["failure_kinds"] = [f"{r['Name']}: {r['Error']} x{r['Occurrences']}" for r in csv.DictReader(f)]
    return stats, figures


def _stats(path: Path) -> dict:
    rows = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {
                "count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50": _ms(row["50%"]), "p95": _ms(row["95%"]), "p99": _ms(row["99%"]),
                "max": _ms(row["Max Response Time"]),
                "rps": round(float(row["Requests/s"]), 1)}
    return rows


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else round(float(value), 1)


# --- scenarios -------------------------------------------------------------------------------------------

def wait_for_analogies(workshop, *, timeout_s: float) -> float | None:
    from fixtures import analogy_states

    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        states = analogy_states(workshop=workshop)
        if states and set(states) <= {"done", "failed"}:
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def scenario_join(stack: Stack, server, *, n: int, spawn_s: float, think_s: float, rep: int) -> dict:
    import fixtures

    org = fixtures.organization_on_llm(base_url=server.base_url, requests_per_minute=100_000)
    workshop = fixtures.workshop_open_for(organization=org, owner_username=None, capacity=n + 10)
    done_file = VAR / f"join-{rep}.done.json"
    rate_limit_keys_clear(stack)
    load_before = loadavg()
    stats, figures = locust(stack, users=["JoinParticipant"], count=n, rate=round(n / spawn_s, 2), seconds=300,
                            name=f"join-{rep}", env={"LOAD_JOIN_PATH": f"/j/{workshop.join_token}/",
                                                     "LOAD_DONE_FILE": str(done_file), "LOAD_THINK_S": str(think_s)})
    finished = json.loads(done_file.read_text()) if done_file.exists() else []
    generation_s = wait_for_analogies(workshop, timeout_s=120)
    return {"scenario": "join", "rep": rep, "participants": n, "spawn_s": spawn_s, "think_s": think_s,
            "finished": len(finished), "last_finished_s": round(max(finished), 1) if finished else None,
            "profiles_complete": fixtures.joined_profiles(workshop=workshop),
            "analogies": fixtures.analogy_summary(workshop=workshop),
            "analogies_done_after_locust_s": round(generation_s, 1) if generation_s is not None else None,
            "stats": stats, "load_before": load_before, "load_after": loadavg(), **figures}


_prepared: dict[str, tuple] = {}


def room_workshop(server, *, n: int):
    """One room for every repetition: 500 participants with profiles, 40% of them with their answers given
    (so the monitor has a before/after chart and a wall), and a facilitator who can sign in."""
    import fixtures

    if "room" not in _prepared:
        org = fixtures.organization_on_llm(base_url=server.base_url, requests_per_minute=100_000)
        credentials = fixtures.facilitator_create(organization=org)
        workshop = fixtures.workshop_open_for(organization=org, owner_username=credentials.split(":")[0],
                                              capacity=n + 10)
        tokens = fixtures.participants_prepare(workshop=workshop, n=n, answered_share=0.4)
        tokens_file = VAR / "room.tokens.json"
        tokens_file.write_text(json.dumps(tokens))
        _prepared["room"] = workshop, credentials, tokens_file
    return _prepared["room"]


def fanout_workshop(server, *, n: int, rpm: int | None):
    """One workshop of n participants for every fan-out; the organization's limit is set for each scenario."""
    import fixtures

    from workshop.tenancy.models import Organization

    if "fanout" not in _prepared:
        org = fixtures.organization_on_llm(base_url=server.base_url, requests_per_minute=100_000)
        workshop = fixtures.workshop_open_for(organization=org, owner_username=None, capacity=n + 10)
        fixtures.participants_prepare(workshop=workshop, n=n)
        _prepared["fanout"] = (workshop,)
    (workshop,) = _prepared["fanout"]
    Organization.objects.filter(pk=workshop.organization_id).update(llm_requests_per_minute=rpm or 100_000)
    return workshop


def scenario_room(stack: Stack, server, *, n: int, seconds: int, rep: int) -> dict:
    import fixtures

    workshop, credentials, tokens_file = room_workshop(server, n=n)
    fixtures.analogies_reset(workshop=workshop)
    load_before = loadavg()
    result: dict = {}

    def start_generation() -> None:
        time.sleep(3)  # while the room fills
        result["enqueued"] = fixtures.analogies_enqueue(workshop=workshop)
        result["generation_s"] = wait_for_analogies(workshop, timeout_s=seconds)

    generation = threading.Thread(target=start_generation, daemon=True)
    generation.start()
    stats, figures = locust(stack, users=["StatusPoller", "MonitorFacilitator"], count=n + 1, rate=100,
                            seconds=seconds, name=f"room-{rep}", reset_stats=True,
                            env={"LOAD_TOKENS_FILE": str(tokens_file), "LOAD_FACILITATOR": credentials,
                                 "LOAD_MONITOR_PATH": f"/f/workshops/{workshop.public_id}/monitor/live/"})
    generation.join()
    return {"scenario": "room", "rep": rep, "participants": n, "seconds": seconds, "stats": stats,
            "analogies": fixtures.analogy_summary(workshop=workshop), "enqueued": result.get("enqueued"),
            "generation_s": round(result["generation_s"], 1) if result.get("generation_s") else None,
            "load_before": load_before, "load_after": loadavg(), **figures}


def rate_limit_keys_clear(stack: Stack) -> None:
    """The join limit counts per address, and every simulated phone is 127.0.0.1: start each run at zero."""
    import redis

    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    for key in client.scan_iter(match="*ratelimit:*"):
        client.delete(key)


def ideal_under_limit(*, n: int, slots: int, latency: float, rpm: int | None, start_wall: float) -> float:
    """The shortest possible time for n calls of `latency` seconds with `slots` at once and at most `rpm`
    started in each clock minute (the limiter's windows), starting at wall time `start_wall`."""
    free = [0.0] * slots
    used: dict[int, int] = {}
    end = 0.0
    for _ in range(n):
        slot = min(range(slots), key=free.__getitem__)
        t = free[slot]
        if rpm:
            while used.get(int((start_wall + t) // 60), 0) >= rpm:
                t = (int((start_wall + t) // 60) + 1) * 60 - start_wall
            used[int((start_wall + t) // 60)] = used.get(int((start_wall + t) // 60), 0) + 1
        free[slot] = t + latency
        end = max(end, free[slot])
    return end


def request_rates(server, *, wall_offset: float) -> dict:
    """What the LLM server received: per clock minute (the limiter's window), the most in any sliding 60 s,
    and the most in any one second."""
    times = sorted(r.time + wall_offset for r in server.chat_requests())
    per_minute: dict[int, int] = {}
    per_second: dict[int, int] = {}
    for t in times:
        per_minute[int(t // 60)] = per_minute.get(int(t // 60), 0) + 1
        per_second[int(t)] = per_second.get(int(t), 0) + 1
    sliding, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 60:
            j += 1
        sliding = max(sliding, i - j + 1)
    return {"calls": len(times), "per_clock_minute": [per_minute[k] for k in sorted(per_minute)],
            "max_per_clock_minute": max(per_minute.values(), default=0), "max_sliding_60s": sliding,
            "max_per_second": max(per_second.values(), default=0)}


def scenario_fanout(stack: Stack, server, *, n: int, latency: float, runs: int, rpm: int | None,
                    label: str) -> list[dict]:
    import fixtures

    workshop = fanout_workshop(server, n=n, rpm=rpm)
    slots = stack.worker_procs * stack.worker_concurrency
    results = []
    for rep in range(1, runs + 1):
        fixtures.analogies_reset(workshop=workshop)
        server.requests.clear()
        load_before = loadavg()
        sampler = sampler_for(stack)
        sampler.start()
        wall_offset = time.time() - time.monotonic()
        start_wall, started = time.time(), time.monotonic()
        fixtures.analogies_enqueue(workshop=workshop)
        total = wait_for_analogies(workshop, timeout_s=600)
        figures = sampler.finish(digits=1)
        if total is None:
            raise RuntimeError(f"fan-out did not finish: {fixtures.analogy_states(workshop=workshop)}")
        total = time.monotonic() - started
        ideal = ideal_under_limit(n=n, slots=slots, latency=latency, rpm=rpm, start_wall=start_wall)
        result = {"scenario": label, "rep": rep, "analogies": n, "latency_s": latency, "slots": slots,
                  "stack": stack.describe(), "rpm_limit": rpm, "total_s": round(total, 2), "ideal_s": round(ideal, 2),
                  "ratio": round(total / ideal, 3), "analogies_per_s": round(n / total, 1),
                  "summary": fixtures.analogy_summary(workshop=workshop),
                  "llm": request_rates(server, wall_offset=wall_offset),
                  "load_before": load_before, "load_after": loadavg(), **figures}
        print(json.dumps(result), flush=True)
        results.append(result)
    return results


def scenario_saturation(stack: Stack, server, *, users: int, seconds: int, runs: int, tokens_file: Path,
                        label: str) -> list[dict]:
    results = []
    for rep in range(1, runs + 1):
        load_before = loadavg()
        stats, figures = locust(stack, users=["StatusSaturation"], count=users, rate=users, seconds=seconds,
                                name=f"{label}-{rep}", reset_stats=True, env={"LOAD_TOKENS_FILE": str(tokens_file)})
        row = stats["analogy status"]
        result = {"scenario": label, "rep": rep, "stack": stack.describe(), "users": users, "seconds": seconds,
                  "rps": row["rps"], "p50": row["p50"], "p95": row["p95"], "failures": row["failures"],
                  "count": row["count"], "load_before": load_before, "load_after": loadavg(), **figures}
        print(json.dumps(result), flush=True)
        results.append(result)
    return results


# --- the run ---------------------------------------------------------------------------------------------

def summarize(values: list[float]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return f"median {statistics.median(values):g} (min {min(values):g}, max {max(values):g}, n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="+", choices=["join", "room", "fanout", "ratelimit", "scaleout", "all"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--participants", type=int, default=500, help="join and room")
    parser.add_argument("--spawn-seconds", type=float, default=45, help="join: new participants arrive over this")
    parser.add_argument("--think", type=float, default=0.5, help="join: mean pause between a participant's pages")
    parser.add_argument("--room-seconds", type=int, default=75)
    parser.add_argument("--analogies", type=int, default=1000, help="fanout, ratelimit, scaleout")
    parser.add_argument("--latency", type=float, default=0.8, help="the LLM server's fixed latency")
    parser.add_argument("--rpm", type=int, default=400, help="ratelimit: the organization's requests per minute")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-procs", type=int, default=1)
    parser.add_argument("--worker-concurrency", type=int, default=25)
    parser.add_argument("--saturation-users", type=int, default=48)
    parser.add_argument("--saturation-seconds", type=int, default=40)
    args = parser.parse_args()
    wanted = {"join", "room", "fanout", "ratelimit", "scaleout"} if "all" in args.scenarios else set(args.scenarios)
    if not 8900 <= args.port <= 8999:
        parser.error("--port must be in 8900-8999")

    VAR.mkdir(parents=True, exist_ok=True)
    env = load_environment(port=args.port, var_dir=VAR / "site")
    os.environ.update(env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks: stop what we started
    database_recreate()
    redis_flush(env["REDIS_URL"])

    from common import prepare_database  # sets Django up with the environment above

    from tests.llm_server import FakeLLMServer

    prepare_database()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = VAR / f"results-{stamp}.json"
    record: dict = {"started": stamp, "load_at_start": loadavg(), "args": vars(args), "results": []}

    def save(results) -> None:
        record["results"].extend(results if isinstance(results, list) else [results])
        record["load_at_end"] = loadavg()
        out.write_text(json.dumps(record, indent=1))

    def new_stack(web: int, procs: int) -> Stack:
        return Stack(env=env, log_dir=VAR / "logs", port=args.port, web_workers=web, worker_procs=procs,
                     worker_concurrency=args.worker_concurrency)

    print(f"load average at start: {loadavg()}; results go to {out}", flush=True)
    with FakeLLMServer(latency_s=args.latency) as server:
        with new_stack(args.web_workers, args.worker_procs) as stack:
            print(f"stack: {stack.describe()} on {stack.url}", flush=True)
            warm_up(server)
            for rep in range(1, args.runs + 1) if "join" in wanted else ():
                r = scenario_join(stack, server, n=args.participants, spawn_s=args.spawn_seconds, think_s=args.think,
                                  rep=rep)
                print(json.dumps(r), flush=True)
                save(r)
            for rep in range(1, args.runs + 1) if "room" in wanted else ():
                r = scenario_room(stack, server, n=args.participants, seconds=args.room_seconds, rep=rep)
                print(json.dumps(r), flush=True)
                save(r)
            if "fanout" in wanted:
                save(scenario_fanout(stack, server, n=args.analogies, latency=args.latency, runs=args.runs, rpm=None,
                                     label="fanout"))
            if "ratelimit" in wanted:
                save(scenario_fanout(stack, server, n=args.analogies, latency=args.latency, runs=1, rpm=args.rpm,
                                     label="ratelimit"))
        if "scaleout" in wanted:
            tokens_file = saturation_participants(server, n=args.participants)
            for factor in (1, 2):
                with new_stack(args.web_workers * factor, args.worker_procs * factor) as stack:
                    print(f"stack: {stack.describe()} on {stack.url}", flush=True)
                    save(scenario_saturation(stack, server, users=args.saturation_users,
                                             seconds=args.saturation_seconds, runs=args.runs, tokens_file=tokens_file,
                                             label=f"saturation-{factor}x"))
                    save(scenario_fanout(stack, server, n=args.analogies, latency=args.latency, runs=args.runs,
                                         rpm=None, label=f"fanout-{factor}x"))
    report(record)
    print(f"results: {out}")


def warm_up(server) -> None:
    """The scenario analysis is cached once per scenario version and model; do it before anything is timed."""
    import fixtures

    org = fixtures.organization_on_llm(base_url=server.base_url, requests_per_minute=100_000)
    workshop = fixtures.workshop_open_for(organization=org, owner_username=None, capacity=5)
    fixtures.participants_prepare(workshop=workshop, n=1)
    fixtures.analogy_warm(workshop=workshop)


def saturation_participants(server, *, n: int) -> Path:
    """Participants whose analogies are written, for the status polls at saturation."""
    import fixtures

    from workshop.participants.models import Analogy

    org = fixtures.organization_on_llm(base_url=server.base_url, requests_per_minute=100_000)
    workshop = fixtures.workshop_open_for(organization=org, owner_username=None, capacity=n + 10)
    tokens = fixtures.participants_prepare(workshop=workshop, n=n)
    fixtures.analogies_of(workshop).update(state=Analogy.State.DONE)
    path = VAR / "saturation.tokens.json"
    path.write_text(json.dumps(tokens))
    return path


def report(record: dict) -> None:
    by: dict[str, list[dict]] = {}
    for r in record["results"]:
        by.setdefault(r["scenario"], []).append(r)
    print(f"\nload average: at start {record['load_at_start']}, at end {record.get('load_at_end')}")
    if "join" in by:
        runs = by["join"]
        agg = [r["stats"]["Aggregated"] for r in runs]
        print("join burst:", f"{runs[0]['participants']} participants;",
              "all requests p95", summarize([a["p95"] for a in agg]), "ms; p50", summarize([a["p50"] for a in agg]),
              "ms; failures", [a["failures"] for a in agg], "; last participant done at",
              summarize([r["last_finished_s"] for r in runs]), "s")
    if "room" in by:
        runs = by["room"]
        for name in ("analogy status", "monitor (live part)"):
            rows = [r["stats"].get(name, {}) for r in runs]
            print(f"live room, {name}: p95", summarize([x.get("p95") for x in rows]), "ms; p50",
                  summarize([x.get("p50") for x in rows]), "ms; failures", [x.get("failures") for x in rows])
    for label in ("fanout", "ratelimit", "fanout-1x", "fanout-2x"):
        if label in by:
            runs = by[label]
            print(f"{label}: ratio to ideal", summarize([r["ratio"] for r in runs]), "; analogies/s",
                  summarize([r["analogies_per_s"] for r in runs]), "; LLM calls per clock minute",
                  [r["llm"]["per_clock_minute"] for r in runs], "max sliding 60 s",
                  [r["llm"]["max_sliding_60s"] for r in runs])
    for label in ("saturation-1x", "saturation-2x"):
        if label in by:
            runs = by[label]
            print(f"{label}: status polls/s", summarize([r["rps"] for r in runs]), "; p95",
                  summarize([r["p95"] for r in runs]), "ms")
    for kind in ("saturation", "fanout"):
        one, two = by.get(f"{kind}-1x"), by.get(f"{kind}-2x")
        if one and two:
            key = "rps" if kind == "saturation" else "analogies_per_s"
            ratio = statistics.median(r[key] for r in two) / statistics.median(r[key] for r in one)
            print(f"scale-out {kind}: 2x / 1x = {ratio:.2f}")


if __name__ == "__main__":
    main()
