"""The first analogy in a burst, on the embedded default (issue 15): what `make demo` runs, with nothing else
installed. SQLite, the embedded filesystem broker, the built-in engine; the site under `manage.py runserver` and
one worker beside it (`celery worker --beat --concurrency=2`), exactly as scripts/demo.sh starts them.

40 people join within --spread seconds from a separate process (bench/load/aclient.py), go through every
profile page (a pause of up to --think seconds on each), read the first scenario for --read seconds (a range),
answer its "before" questions and press "See my analogy". The clock runs from that press until the analogy is
on their screen, with the page's own polling (static/js/live.js: after 0.5 s, 1 s and 1.5 s more, then every 3 s).

    .venv/bin/python bench/first_analogy.py --runs 3
    .venv/bin/python bench/first_analogy.py --runs 3 --read 0 0     # nobody reads: the worst case

Target: p95 <= 2 s. Everything runs in its own directory (var/perf/first-analogy), deleted before each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE / "load")]

from stack import stop_all  # noqa: E402

VAR = ROOT / "var" / "perf" / "first-analogy"


def environment(port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"DEBUG": "1", "WORKSHOP_VAR_DIR": str(VAR / "site"), "PYTHONUNBUFFERED": "1",
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "JOIN_RATE_LIMIT": "100000"})
    return env


def prepare(env: dict[str, str], *, scenarios: int, capacity: int) -> str:
    """A fresh SQLite database with the library and one open workshop on the built-in engine; its join path."""
    script = f"""
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests import factories
team = factories.organization_with_members("burst")
workshop = factories.open_workshop(team, title="Burst", scenarios={scenarios}, capacity={capacity})
print(workshop.join_token)
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE":
                                                                           "workshop.settings"},
                         capture_output=True, text=True, check=True)
    return f"/j/{out.stdout.strip().splitlines()[-1]}/"


def start(env: dict[str, str], port: int) -> list[subprocess.Popen]:
    logs = VAR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    worker_log, web_log = open(logs / "worker.log", "w"), open(logs / "web.log", "w")
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "workshop", "worker", "--beat", "--loglevel=INFO",
                               "--concurrency=2", "--schedule", str(VAR / "site" / "celerybeat-schedule")],
                              cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT, start_new_session=True)
    web = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT,
                           env=env, stdout=web_log, stderr=subprocess.STDOUT, start_new_session=True)
    procs = [worker, web]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            stop_all(procs)
            raise RuntimeError((logs / "worker.log").read_text()[-2000:] + (logs / "web.log").read_text()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                pass
            if "ready" in (logs / "worker.log").read_text():
                time.sleep(1)
                return procs
        except OSError:
            pass
        time.sleep(0.3)
    stop_all(procs)
    raise RuntimeError("the embedded stack did not come up")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run_once(args, rep: int) -> dict:
    if VAR.exists():
        shutil.rmtree(VAR)
    (VAR / "site").mkdir(parents=True)
    env = environment(args.port)
    join_path = prepare(env, scenarios=args.scenarios, capacity=args.people + 10)
    procs = start(env, args.port)
    try:
        plan = {"host": "127.0.0.1", "port": args.port, "seconds": args.spread, "connections": args.people,
                "joiners": args.people, "join_spread": args.spread, "think": args.think, "join_path": join_path,
                "before": args.read}
        plan_path, out_path = VAR / "plan.json", VAR / "client.json"
        plan_path.write_text(json.dumps(plan))
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        subprocess.run([sys.executable, str(HERE / "load" / "aclient.py"), str(plan_path), str(out_path)], cwd=ROOT,
                       check=True, timeout=900)
        result = json.loads(out_path.read_text())
    finally:
        stop_all(procs)
    waits = [row[2] / 1000 for row in result["rows"] if row[0] == "first analogy"]
    return {"rep": rep, "people": args.people, "got_analogy": len(waits), "errors": result["error_count"],
            "error_kinds": result["errors"][:5], "p50_s": round(statistics.median(waits), 2) if waits else None,
            "p95_s": round(percentile(waits, 95), 2) if waits else None,
            "max_s": round(max(waits), 2) if waits else None,
            "load_before": load_before, "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--scenarios", type=int, default=3, help="scenarios with analogy in the workshop")
    parser.add_argument("--spread", type=float, default=10, help="people arrive over this many seconds")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause on each profile page (s)")
    parser.add_argument("--read", type=float, nargs=2, default=[4, 12], metavar=("MIN", "MAX"),
                        help="reading the scenario and answering before pressing 'See my analogy' (s)")
    parser.add_argument("--port", type=int, default=8961)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = []
    for rep in range(1, args.runs + 1):
        result = run_once(args, rep)
        print(json.dumps(result), flush=True)
        results.append(result)
    p95 = [r["p95_s"] for r in results if r["p95_s"] is not None]
    p50 = [r["p50_s"] for r in results if r["p50_s"] is not None]
    if p95:
        print(f"first analogy, {args.people} people, read {args.read[0]:g}-{args.read[1]:g} s: p95 median "
              f"{statistics.median(p95):g} s ({min(p95):g}-{max(p95):g}), p50 median {statistics.median(p50):g} s; "
              f"errors {[r['errors'] for r in results]}")


if __name__ == "__main__":
    main()
