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
from django.urls import reverse  # noqa: E402
from fixtures import room_prepare  # noqa: E402  (bench/load/fixtures.py; after Django is set up)
from room import status_path  # noqa: E402  (bench/load/room.py)


def forget_rooms() -> None:
    """As in a process that never showed the room: nothing of it kept (facilitator/monitor_room.py)."""
    from facilitator import monitor, monitor_room

    monitor_room._rooms.clear()
    monitor._snapshots.clear()


def _start_response(status, headers, exc_info=None):
    _start_response.status = status
    _start_response.headers = dict(headers)


def timed(handler: WSGIHandler, environ: dict, *, runs: int, before_each=None) -> dict:
    """Median, p95 and spread of the CPU time of `runs` requests (after 20 to warm up), and the queries of one.
    `before_each` runs before every request, outside the timing."""
    before_each = before_each or (lambda: None)
    for _ in range(20):
        before_each()
        b"".join(handler(dict(environ), _start_response))
    assert _start_response.status.startswith("200"), (environ["PATH_INFO"], _start_response.status)
    queries = []
    # Not CaptureQueriesContext: every request starts by clearing Django's query log (request_started).
    before_each()
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        body = b"".join(handler(dict(environ), _start_response))
    times = []
    for _ in range(runs):
        before_each()
        started = time.thread_time()
        b"".join(handler(dict(environ), _start_response))
        times.append((time.thread_time() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(0.95 * len(times)) - 1], 3),
            "min_ms": round(times[0], 3), "max_ms": round(times[-1], 3), "queries": len(queries),
            "bytes": len(body)}


def environ_for(path: str, cookies: dict[str, str], query: dict | None = None) -> dict:
    environ = RequestFactory().get(path, query or {}).environ
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
        monitor = reverse("facilitator:monitor_live", args=[room.workshop.public_id])
        status = status_path(room.workshop)
        session = {"sessionid": room.session}
        figures = {
            "bare": timed(handler, environ_for("/bench/bare", participant), runs=args.runs),
            "status": timed(handler, environ_for(status, participant), runs=args.runs),
            # What a new web process pays the first time it shows this room (nothing of it kept yet).
            "monitor, first look": timed(handler, environ_for(monitor, session), runs=max(10, args.runs // 30),
                                         before_each=forget_rooms),
            # The whole fragment again (a screen without a cursor), with the rows this process kept.
            "monitor, whole": timed(handler, environ_for(monitor, session), runs=max(20, args.runs // 10)),
        }
        cursor = _start_response.headers["X-Monitor-Cursor"]
        figures["monitor, since (nothing changed)"] = timed(
            handler, environ_for(monitor, session, {"since": cursor}), runs=max(20, args.runs // 5))
        figures["status / bare"] = round(figures["status"]["median_ms"] / figures["bare"]["median_ms"], 2)
        results["sizes"][size] = figures
        print(size, json.dumps(figures), flush=True)
    results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
