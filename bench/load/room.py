"""Issue 15's load benchmarks: the live room, the join burst and the scale-out, on the production-like stack.

gunicorn (deploy/gunicorn.conf.py, DEBUG off, the access log on) serving bench/load/benchsite (the product's
settings and URLs plus a bare view and per-request CPU timing), a Celery worker (threads pool) and beat,
against PostgreSQL (its own database, empathy_perf_load) and Redis (db 13). The load comes from a separate
process, bench/load/aclient.py (raw asyncio, tens of microseconds of CPU per request). Every process started
here is stopped at the end, on Ctrl-C or a failure too.

    .venv/bin/python bench/load/room.py poll --runs 3      # 2,000 phones every 3 s + the monitor every 2 s
    .venv/bin/python bench/load/room.py join --runs 3      # 1,000 people join and complete their profile in 60 s
    .venv/bin/python bench/load/room.py scaleout --runs 3  # status polls/s at saturation, 1x and 2x processes

Figures: client latency counted from when each request was due (p50, p95, p99, max), the server's own wall time
(gunicorn's access log) and CPU time per request (the timing middleware), CPU seconds per role (web, workers,
PostgreSQL, client) and what the rest of the machine used meanwhile. Results: var/perf/load/room-*.json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "bench"), str(ROOT)]

from sampler import CpuSampler  # noqa: E402
from stack import Stack, database_recreate, load_environment, redis_flush, stop_all  # noqa: E402

DATABASE = "empathy_perf_load"
REDIS_DB = 13
VAR = ROOT / "var" / "perf" / "load"
STATUS_INTERVAL_S = 3.0  # static/js/live.js: what a waiting phone really does
MONITOR_INTERVAL_S = 2.0


# --- measuring -------------------------------------------------------------------------------------------

def sampler_for(stacks: list[Stack], client_pid: int) -> CpuSampler:
    """CPU seconds of each role: web, workers (and beat), the run's PostgreSQL backends, the client."""
    return CpuSampler(database=DATABASE, roles=lambda pg: {
        "web": [p for s in stacks for p in s.pids("web")],
        "workers": [p for s in stacks for p in s.pids("worker") + s.pids("beat")],
        "postgres": pg, "client": [client_pid]})


def sampled(sampler: CpuSampler) -> dict:
    found = sampler.finish(digits=2)
    return {"cpu_s": found["cpu_s"], "window_s": found["elapsed_s"], "machine_cores_busy": found["machine_cores_busy"],
            "other_cores_busy": found["other_cores_busy"]}


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": _r(percentile(values, 50)), "p95": _r(percentile(values, 95)),
            "p99": _r(percentile(values, 99)), "max": _r(max(values) if values else None)}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def access_log_rows(path: Path, offset: int) -> list[tuple[str, int, float, int]]:
    """(path, status, wall ms inside gunicorn, CPU µs inside Django) for each request logged after `offset`."""
    rows = []
    with open(path, "rb") as f:
        f.seek(offset)
        for line in f.read().decode(errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[1].isdigit():
                rows.append((parts[0], int(parts[1]), int(parts[2]) / 1000, int(parts[3]) if parts[3].isdigit()
                             else -1))
    return rows


def kind_of(path: str) -> str:
    if path.startswith("/bench/bare"):
        return "bare"
    if path.endswith("/status"):
        return "status"
    if "/monitor/live/" in path:
        return "monitor"
    return "join+profile"


def analyse(result: dict, log_rows: list, figures: dict, *, warmup_s: float) -> dict:
    """Client figures per kind (after the warm-up), server figures per kind, and the CPU comparison."""
    by_kind: dict[str, list] = {}
    for kind, due, latency, _from_send, status, cpu_us in result["rows"]:
        if due >= warmup_s:
            group = kind.split(" (")[0] if kind.startswith(("status", "bare", "monitor")) else "join+profile"
            by_kind.setdefault(group, []).append((latency, status, cpu_us))
    window = max(result["elapsed_s"] - warmup_s, 0.1)
    out = {"client": {}, "server": {}}
    for kind, rows in sorted(by_kind.items()):
        out["client"][kind] = {**summary([r[0] for r in rows]), "per_s": round(len(rows) / window, 1),
                               "non_2xx_3xx": sum(1 for r in rows if not 200 <= r[1] < 400),
                               "server_cpu_ms_median": _r(statistics.median([r[2] for r in rows if r[2] >= 0]) / 1000
                                                          if any(r[2] >= 0 for r in rows) else None)}
    served: dict[str, list] = {}
    for path, status, wall_ms, cpu_us in log_rows:
        served.setdefault(kind_of(path), []).append((wall_ms, cpu_us, status))
    django_cpu_s = 0.0
    for kind, rows in sorted(served.items()):
        cpu = [r[1] / 1000 for r in rows if r[1] >= 0]
        django_cpu_s += sum(cpu) / 1000
        out["server"][kind] = {"wall_ms": summary([r[0] for r in rows]),
                               "cpu_ms": {"median": _r3(statistics.median(cpu)) if cpu else None,
                                          "mean": _r3(statistics.fmean(cpu)) if cpu else None}}
    requests = len(log_rows)
    web = figures["cpu_s"].get("web", 0.0)
    # What every request costs outside Django (gunicorn: parsing, the access log, writing the answer, the
    # collector, idle threads): the web processes' CPU not accounted to any request, spread over them all.
    overhead_ms = max(0.0, (web - django_cpu_s) * 1000 / requests) if requests else 0.0
    out["cpu"] = {"web_cpu_s": web, "requests": requests, "web_cpu_ms_per_request": _r3(web * 1000 / max(requests, 1)),
                  "outside_django_ms_per_request": _r3(overhead_ms)}
    status, bare = out["server"].get("status"), out["server"].get("bare")
    if status and bare and status["cpu_ms"]["mean"] and bare["cpu_ms"]["mean"]:
        out["cpu"]["status_over_bare_in_django"] = round(status["cpu_ms"]["mean"] / bare["cpu_ms"]["mean"], 2)
        out["cpu"]["status_over_bare_whole_request"] = round(
            (status["cpu_ms"]["mean"] + overhead_ms) / (bare["cpu_ms"]["mean"] + overhead_ms), 2)
    return out


def _r3(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def drive(stack: Stack, plan: dict, *, name: str, warmup_s: float, more: tuple[Stack, ...] = ()) -> dict:
    """Run the client in its own process with `plan`; returns its analysed figures and the CPU per role.
    `more`: other web stacks (machines) the load is spread over."""
    stacks = [stack, *more]
    plan_path, out_path = VAR / f"{name}.plan.json", VAR / f"{name}.client.json"
    plan_path.write_text(json.dumps({"host": "127.0.0.1", "port": stack.port, "ports": [s.port for s in stacks],
                                     **plan}))
    load_before = loadavg()
    proc = subprocess.Popen([sys.executable, str(HERE / "aclient.py"), str(plan_path), str(out_path)], cwd=ROOT,
                            start_new_session=True)
    try:
        time.sleep(warmup_s)
        offsets = [s.access_log.stat().st_size for s in stacks]  # the server's figures from here on
        sampler = sampler_for(stacks, proc.pid)
        sampler.start()
        try:
            code = proc.wait(timeout=plan.get("deadline_s", plan["seconds"] + 600) + 60)
        finally:
            figures = sampled(sampler)
        if code != 0:
            raise RuntimeError(f"the load client exited with {code}")
    finally:
        stop_all([proc], grace_s=5)
    result = json.loads(out_path.read_text())
    time.sleep(0.5)  # the last access-log lines
    served = [row for s, offset in zip(stacks, offsets, strict=True) for row in access_log_rows(s.access_log, offset)]
    analysed = analyse(result, served, figures, warmup_s=warmup_s)
    return {"name": name, "stack": " + ".join(s.describe() for s in stacks), "load_before": load_before,
            "load_after": loadavg(),
            "errors": result["error_count"], "error_kinds": result["errors"][:10], "joined": result["joined"],
            "unfinished": result.get("unfinished", 0),
            "client_cpu_s": round(result["client_cpu_s"], 2), **figures, **analysed}


# --- scenarios -------------------------------------------------------------------------------------------

def status_path(workshop) -> str:
    from django.urls import reverse

    from workshop.activities.kinds import ActivityKind
    from workshop.tenancy.scope import unscoped
    from workshop.workshops.models import WorkshopActivity

    with unscoped():
        position = (WorkshopActivity.objects.filter(workshop=workshop, kind=ActivityKind.ANALOGY)
                    .order_by("position").values_list("position", flat=True)[0])
    return reverse("participants:analogy_status", args=[position])


def scenario_poll(stack: Stack, *, phones: int, seconds: int, warmup_s: float, bare_rate: float, rep: int) -> dict:
    from django.urls import reverse
    from fixtures import room_prepare

    room = room_prepare(n=phones, answered_share=0.4)
    plan = {"seconds": seconds + warmup_s, "connections": 64, "poll_tokens": room.tokens,
            "poll_path": status_path(room.workshop), "poll_interval": STATUS_INTERVAL_S, "bare_rate": bare_rate,
            "monitor_path": reverse("facilitator:monitor_live", args=[room.workshop.public_id]),
            "session": room.session, "monitor_interval": MONITOR_INTERVAL_S}
    return {"scenario": "poll", "rep": rep, "phones": phones,
            **drive(stack, plan, name=f"poll-{phones}-{rep}", warmup_s=warmup_s)}


def scenario_join(stack: Stack, *, people: int, spread_s: float, think_s: float, rep: int) -> dict:
    import fixtures

    from workshop.tenancy.models import Organization
    from workshop.tenancy.scope import unscoped

    with unscoped():
        org = Organization.objects.create(name=f"join-{rep}-{time.time_ns()}", slug=f"join-{rep}-{time.time_ns()}")
    workshop = fixtures.workshop_open_for(organization=org, owner_username=None, capacity=people + 10,
                                          engine="builtin")
    rate_limit_clear(stack)
    plan = {"seconds": spread_s, "connections": 64, "joiners": people, "join_spread": spread_s, "think": think_s,
            "join_path": f"/j/{workshop.join_token}/", "deadline_s": spread_s + 300}
    result = drive(stack, plan, name=f"join-{people}-{rep}", warmup_s=0)
    joined = result.pop("joined")
    requests = sum(v["n"] for v in result["client"].values())
    return {"scenario": "join", "rep": rep, "people": people, "spread_s": spread_s, "think_s": think_s,
            "completed": len(joined), "last_done_s": round(max(joined), 1) if joined else None,
            "requests_per_person": round(requests / max(len(joined), 1), 1),
            "profiles": fixtures.joined_profiles(workshop=workshop), **result}


def scenario_saturation(stack: Stack, *, users: int, seconds: int, warmup_s: float, rep: int, label: str,
                        more: tuple[Stack, ...] = ()) -> dict:
    """Closed loop, no pause: as many status polls as the site answers (spread over `more` web stacks too)."""
    from fixtures import room_prepare

    room = room_prepare(n=users, answered_share=0.0, slug_prefix="saturation")
    plan = {"seconds": seconds + warmup_s, "connections": users, "poll_tokens": room.tokens,
            "poll_path": status_path(room.workshop), "poll_interval": 0.0}
    return {"scenario": label, "rep": rep, "users": users,
            **drive(stack, plan, name=f"{label}-{rep}", warmup_s=warmup_s, more=more)}


def rate_limit_clear(stack: Stack) -> None:
    """The join limit counts per address, and every simulated phone is 127.0.0.1: start each run at zero."""
    import redis

    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    for key in client.scan_iter(match="*ratelimit:*"):
        client.delete(key)


# --- the run ---------------------------------------------------------------------------------------------

def spread(values: list) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return f"{statistics.median(values):g} ({min(values):g}-{max(values):g})"


def report(results: list[dict]) -> None:
    for scenario in ("poll", "join", "saturation-1x", "saturation-2x", "machines-1", "machines-2"):
        runs = [r for r in results if r["scenario"] == scenario]
        if not runs:
            continue
        print(f"\n{scenario}: {len(runs)} run(s), {runs[0]['stack']}")
        for kind in sorted({k for r in runs for k in r["client"]}):
            rows = [r["client"][kind] for r in runs if kind in r["client"]]
            print(f"  {kind:14} p50 {spread([x['p50'] for x in rows])} ms, p95 {spread([x['p95'] for x in rows])} ms,"
                  f" p99 {spread([x['p99'] for x in rows])} ms, {spread([x['per_s'] for x in rows])}/s,"
                  f" server CPU {spread([x['server_cpu_ms_median'] for x in rows])} ms")
        for kind in sorted({k for r in runs for k in r["server"]}):
            rows = [r["server"][kind] for r in runs if kind in r["server"]]
            print(f"  server {kind:8} wall p95 {spread([x['wall_ms']['p95'] for x in rows])} ms,"
                  f" CPU mean {spread([x['cpu_ms']['mean'] for x in rows])} ms")
        print(f"  errors {[r['errors'] for r in runs]}; web CPU per request "
              f"{spread([r['cpu']['web_cpu_ms_per_request'] for r in runs])} ms; outside Django "
              f"{spread([r['cpu']['outside_django_ms_per_request'] for r in runs])} ms; status/bare whole "
              f"{spread([r['cpu'].get('status_over_bare_whole_request') for r in runs])}, in Django "
              f"{spread([r['cpu'].get('status_over_bare_in_django') for r in runs])}")
        print(f"  CPU s {[r['cpu_s'] for r in runs]}; others {[r['other_cores_busy'] for r in runs]} cores; "
              f"load before {[r['load_before'] for r in runs]}")
        if scenario == "join":
            print(f"  completed {[r['completed'] for r in runs]}, last done {[r['last_done_s'] for r in runs]} s, "
                  f"requests per person {[r['requests_per_person'] for r in runs]}")
    for one_name, two_name in (("saturation-1x", "saturation-2x"), ("machines-1", "machines-2")):
        one = [r for r in results if r["scenario"] == one_name]
        two = [r for r in results if r["scenario"] == two_name]
        if one and two:
            rate = statistics.median(r["client"]["status"]["per_s"] for r in two) / statistics.median(
                r["client"]["status"]["per_s"] for r in one)
            print(f"\nscale-out {two_name} / {one_name}: status polls/s ratio {rate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="+", choices=["poll", "join", "scaleout"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8951)
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=60, help="poll, scaleout: measured seconds")
    parser.add_argument("--warmup", type=float, default=15, help="poll, scaleout: seconds before measuring")
    parser.add_argument("--bare-rate", type=float, default=30, help="poll: bare-view requests per second")
    parser.add_argument("--people", type=int, default=1000, help="join")
    parser.add_argument("--spread", type=float, default=60, help="join: people arrive over this many seconds")
    parser.add_argument("--think", type=float, default=0.0, help="join: mean pause between a person's pages")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--saturation-users", type=int, default=32)
    parser.add_argument("--keep-database", action="store_true", help="reuse the rooms made by an earlier run")
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    env = load_environment(port=args.port, var_dir=VAR / "site", database=DATABASE, redis_db=REDIS_DB,
                           settings_module="benchsite.settings")
    os.environ.update(env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks: stop what we started
    if not args.keep_database:
        database_recreate(DATABASE)
        for old in (VAR / "site" / "rooms").glob("*.tokens.json"):
            old.unlink()
    redis_flush(env["REDIS_URL"], REDIS_DB)

    from common import prepare_database  # sets Django up with the environment above

    prepare_database()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = VAR / f"room-{stamp}.json"
    record: dict = {"started": stamp, "load_at_start": loadavg(), "args": vars(args), "cores": os.cpu_count(),
                    "results": []}

    def save(result: dict) -> None:
        print(json.dumps({k: v for k, v in result.items() if k not in ("profiles",)}), flush=True)
        record["results"].append(result)
        record["load_at_end"] = loadavg()
        out.write_text(json.dumps(record, indent=1))

    def new_stack(web: int, workers: int, *, cpus: str | None = None, machine: int = 1) -> Stack:
        logs = VAR / "logs" / f"machine{machine}"
        return Stack(env=env, log_dir=logs, port=args.port + machine - 1, web_workers=web, web_threads=args.web_threads,
                     worker_procs=workers, worker_concurrency=8, access_log=logs / "access.log", cpus=cpus,
                     beat=machine == 1)

    print(f"load average at start: {loadavg()}; results go to {out}", flush=True)
    if "poll" in args.scenarios or "join" in args.scenarios:
        with new_stack(args.web_workers, 1) as stack:
            for rep in range(1, args.runs + 1) if "poll" in args.scenarios else ():
                save(scenario_poll(stack, phones=args.phones, seconds=args.seconds, warmup_s=args.warmup,
                                   bare_rate=args.bare_rate, rep=rep))
            for rep in range(1, args.runs + 1) if "join" in args.scenarios else ():
                save(scenario_join(stack, people=args.people, spread_s=args.spread, think_s=args.think, rep=rep))
    if "scaleout" in args.scenarios:
        # As the issue asks: twice the web and worker processes on the same machine (its 2 cores shared).
        for factor in (1, 2):
            with new_stack(args.web_workers * factor, factor) as stack:
                for rep in range(1, args.runs + 1):
                    save(scenario_saturation(stack, users=args.saturation_users, seconds=args.seconds,
                                             warmup_s=args.warmup, rep=rep, label=f"saturation-{factor}x"))
        # Standing in for separate machines: each "machine" is a gunicorn (and worker) pinned to a core of its
        # own, behind a client that spreads the phones over them as a load balancer would. PostgreSQL, Redis
        # and the client share what is left, as they would on machines of their own.
        with new_stack(args.web_workers, 1, cpus="0") as stack:
            for rep in range(1, args.runs + 1):
                save(scenario_saturation(stack, users=args.saturation_users, seconds=args.seconds,
                                         warmup_s=args.warmup, rep=rep, label="machines-1"))
        with new_stack(args.web_workers, 1, cpus="0") as stack, \
                new_stack(args.web_workers, 1, cpus="1", machine=2) as second:
            for rep in range(1, args.runs + 1):
                save(scenario_saturation(stack, users=args.saturation_users, seconds=args.seconds,
                                         warmup_s=args.warmup, rep=rep, label="machines-2", more=(second,)))
    report(record["results"])
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
