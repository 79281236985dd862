"""CPU per request, in one process, through the whole production middleware (issue 15: "a status poll costs at
most 2x the CPU of a bare Django view"). No network and no load: each request is handed to Django's WSGI handler
as gunicorn would hand it, and timed with ``time.thread_time``. PostgreSQL's own CPU is not counted (it is
another process); the queries each request makes are.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empathy_perf REDIS_URL=redis://127.0.0.1:6379/13 \\
      .venv/bin/python bench/request_cost.py --sizes 50 500 2000 --runs 300

Measures: the bare view (bench/load/benchsite: the floor every request pays), a participant's status poll, and
the facilitator's monitor refresh at each room size (the first refresh, and one after nothing changed).
DEBUG is off, as in production; the participants are made through the product's services once per size.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE / "load")]
os.environ["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "request-cost-benchmark-only-" + "k" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from common import prepare_database  # noqa: E402  (sets Django up)
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from fixtures import room_prepare  # noqa: E402  (bench/load/fixtures.py; after Django is set up)


def _start_response(status, headers, exc_info=None):
    _start_response.status = status


def timed(handler: WSGIHandler, environ: dict, *, runs: int) -> dict:
    """Median, p95 and spread of the CPU time of `runs` requests (after 20 to warm up), and the queries of one."""
    for _ in range(20):
        b"".join(handler(dict(environ), _start_response))
    assert _start_response.status.startswith("200"), (environ["PATH_INFO"], _start_response.status)
    queries = []
    # Not CaptureQueriesContext: every request starts by clearing Django's query log (request_started).
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        body = b"".join(handler(dict(environ), _start_response))
    times = []
    for _ in range(runs):
        started = time.thread_time()
        b"".join(handler(dict(environ), _start_response))
        times.append((time.thread_time() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(0.95 * len(times)) - 1], 3),
            "min_ms": round(times[0], 3), "max_ms": round(times[-1], 3), "queries": len(queries),
            "bytes": len(body)}


def environ_for(path: str, cookies: dict[str, str]) -> dict:
    environ = RequestFactory().get(path).environ
    environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    environ["HTTP_ACCEPT"] = "application/json" if "status" in path else "text/html"
    environ.pop("wsgi.input", None)
    import io

    environ["wsgi.input"] = io.BytesIO(b"")
    return environ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 2000])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after warm-up, as the gunicorn config does")
    args = parser.parse_args()
    prepare_database()
    handler = WSGIHandler()
    results = {"load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()), "sizes": {}}
    for size in args.sizes:
        room = room_prepare(n=size, answered_share=0.4)
        if args.freeze:
            gc.collect()
            gc.freeze()
        participant = {"ewt_participant": room.tokens[0]}
        monitor = f"/f/workshops/{room.workshop.public_id}/monitor/live/"
        figures = {
            "bare": timed(handler, environ_for("/bench/bare", participant), runs=args.runs),
            "status": timed(handler, environ_for("/p/s/1/status", participant), runs=args.runs),
            "monitor": timed(handler, environ_for(monitor, {"sessionid": room.session}), runs=max(20, args.runs // 10)),
        }
        if room.since_url:
            figures["monitor since"] = timed(handler, environ_for(room.since_url(), {"sessionid": room.session}),
                                             runs=max(20, args.runs // 5))
        figures["status / bare"] = round(figures["status"]["median_ms"] / figures["bare"]["median_ms"], 2)
        results["sizes"][size] = figures
        print(size, json.dumps(figures), flush=True)
    results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
