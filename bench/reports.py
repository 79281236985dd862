"""The organization report at scale: a synthetic organization of 100,000 participants, 2,000 workshops and
200,000 responses in PostgreSQL. Times the report page through Django's test Client, signed in as the
organization's analyst, unfiltered and with filters; median and p95 over --runs after --warmup, and the
queries per request. With --api (on by default when the route exists) it times /api/v1/reports/ the same
way with an API token made for the analyst.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/empathy_rep_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
  DEBUG=1 .venv/bin/python bench/reports.py --runs 30 --warmup 3
Builds the organization first when it is missing (or with --rebuild): synth_org, about 4 minutes.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time

from common import prepare_database
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from workshop.participants.models import Participant, Response
from workshop.reports import cache as report_cache
from workshop.reports.filters import ReportFilters
from workshop.reports.queries import selection_resolve
from workshop.reports.rollup import rollup_refresh
from workshop.tenancy.models import Membership, Organization
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.models import Workshop


def ensure_organization(args) -> Organization:
    with unscoped():
        org = Organization.objects.filter(slug=args.slug).first()
    if org is None or args.rebuild:
        started = time.monotonic()
        call_command("synth_org", slug=args.slug, participants=args.participants, workshops=args.workshops,
                     responses=args.responses, seed=args.seed)
        print(f"built in {time.monotonic() - started:.0f} s")
        with unscoped():
            org = Organization.objects.get(slug=args.slug)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would have after a bulk load
        cursor.execute("ANALYZE")
    return org


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def measure(client: Client, url: str, *, runs: int, warmup: int, headers: dict | None = None,
            cold: bool = False, arriving: Organization | None = None) -> dict:
    """Warm: the report cache holds this report (the usual case between two answers). Cold: every request
    misses the cache (a new cache schema each time), so the database computes the whole report. Arriving:
    an answer is saved before every request (a workshop is running), so the exact build is never there and the
    page serves the last build while a refresh is queued (no worker runs here, so it stays queued)."""
    headers = headers or {}
    for _ in range(warmup):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times, queries = [], []
    for _ in range(runs):
        if cold:
            report_cache.SCHEMA = secrets.token_hex(8)
        if arriving is not None:
            with organization_scope(arriving.id):
                answer = Response.objects.order_by("-pk").first()
                Response.objects.filter(pk=answer.pk).update(updated=timezone.now())
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        if arriving is not None:
            assert b"Figures as of" in response.content, "the page did not serve the last build"
        times.append(elapsed * 1000)
        queries.append(len(captured.captured_queries))
    return {"median": statistics.median(times), "p95": percentile(times, 95), "min": min(times), "max": max(times),
            "queries": statistics.median(queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slug", default="big")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=2_000)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=10, help="runs that miss the cache (0: none)")
    parser.add_argument("--arriving-runs", type=int, default=30,
                        help="runs with an answer saved before each request (0: none)")
    parser.add_argument("--no-api", action="store_true", help="skip /api/v1/reports/")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run this against PostgreSQL (DATABASE_URL=postgres://...)")
    prepare_database()
    org = ensure_organization(args)
    with organization_scope(org.id):
        counts = (Workshop.objects.count(), Participant.objects.count(), Response.objects.count())
        analyst = Membership.objects.select_related("user").get(role="analyst").user
        workshop = Workshop.objects.order_by("created")[len(Workshop.objects.all()) // 2]
        facilitator = workshop.owner.username
    print(f"organization {org.slug}: {counts[0]:,} workshops, {counts[1]:,} participants, {counts[2]:,} responses")
    with organization_scope(org.id):  # the rollup's cells (workshop/reports/rollup.py), as they would be by now
        started = time.perf_counter()
        built = rollup_refresh(organization=org, primary_theme=selection_resolve(
            organization=org, filters=ReportFilters()).primary_theme)
        print(f"report cells brought up to date in {time.perf_counter() - started:.1f} s "
              f"({'every workshop' if built < 0 else f'{built} workshops'})")
    client = Client(HTTP_HOST="localhost")
    client.force_login(analyst)
    page = reverse("facilitator:reports")
    cases = [
        ("unfiltered", ""),
        ("6 months", "?date_from=2026-01-01&date_to=2026-06-30"),
        ("facilitator + theme", f"?facilitator={facilitator}&theme=exclusion"),
        ("one workshop", f"?workshop={workshop.public_id}"),
    ]
    rows = []
    for name, query in cases:
        rows.append(("page", name, measure(client, page + query, runs=args.runs, warmup=args.warmup)))
    if args.arriving_runs:
        for name, query in cases:
            rows.append(("live", name, measure(client, page + query, runs=args.arriving_runs, warmup=0,
                                               arriving=org)))
    if args.cold_runs:
        for name, query in cases:
            rows.append(("cold", name, measure(client, page + query, runs=args.cold_runs, warmup=0, cold=True)))
    try:
        api = reverse("api:report-list")
    except NoReverseMatch:
        api = "/api/v1/reports/"
    if not args.no_api:
        try:
            from workshop.api.services import api_token_create
        except ImportError:
            api_token_create = None
        if api_token_create is not None:
            with organization_scope(org.id):
                _, key = api_token_create(organization_id=org.id, user=analyst, name="report benchmark")
            headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
            api_client = Client(HTTP_HOST="localhost")
            for name, query in cases[:2]:
                rows.append(("api", name, measure(api_client, api + query, runs=args.runs, warmup=args.warmup,
                                                  headers=headers)))
    print(f"\n{'what':5} {'filters':22} {'median':>9} {'p95':>9} {'min':>9} {'max':>9} {'queries':>8}")
    for kind, name, m in rows:
        print(f"{kind:5} {name:22} {m['median']:8.0f}ms {m['p95']:8.0f}ms {m['min']:8.0f}ms {m['max']:8.0f}ms "
              f"{m['queries']:8.0f}")


if __name__ == "__main__":
    main()
