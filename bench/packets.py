"""Debrief packets through real workers: one workshop of N participants (analogies done, every answer given)
is closed, which queues N participant packets and the facilitator packet. Measures the time until all are
ready, the time per packet, and the peak resident memory of each worker process.

Needs the production-like set-up: PostgreSQL and Redis.
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/empathy_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
  DEBUG=1 .venv/bin/python bench/packets.py --participants 100 --concurrency 2 --runs 3
The database is created if missing; each run uses a new organization in it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from pathlib import Path

import psutil
from common import analogies_not_enqueued, prepare_database, start_worker

import workshop.participants.services as participant_services
from workshop.debrief.models import DebriefPacket
from workshop.engine import ProfileSpec
from workshop.participants.models import Analogy, Response
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.services import workshop_close, workshop_create, workshop_open

DOMAINS = ["amateur football", "choir", "baking bread", "hiking", "chess club", "caring for my father",
           "jazz guitar", "swimming", "gardening", "pottery"]
SCENARIOS = ["leaves-at-four", "idea-repeated-by-someone-else"]


def build(n: int):
    """An organization, an open workshop with two scenarios, n participants with analogies and answers."""
    slug = f"bench-{secrets.token_hex(4)}"
    with unscoped():
        org = Organization.objects.create(name=f"Bench {slug}", slug=slug)
        scenarios = [Scenario.objects.get(organization__isnull=True, slug=s, is_current=True) for s in SCENARIOS]
        workshop = workshop_create(organization_id=org.id, owner=None, title="Packet benchmark", scenarios=scenarios,
                                   capacity=n + 1, generic_share=0.3)
        workshop = workshop_open(workshop=workshop, actor=None)
        with analogies_not_enqueued():  # written below, not by the queue
            for i in range(n):
                participant, _ = participant_services.participant_join(workshop=workshop, pseudonym=f"P{i:03d}")
                profile = ProfileSpec(name=f"P{i}", domains=[DOMAINS[i % len(DOMAINS)]])
                participant_services.participant_profile_save(participant=participant, profile=profile)
                for scenario in scenarios:
                    feelings = [e["label"] for e in scenario.emotions]
                    Response.objects.create(
                        organization=org, participant=participant, scenario=scenario,
                        pre_labels=feelings[:1] + ["surprise"], pre_intensity={"overall": 3},
                        pre_understanding=2 + i % 3, post_labels=feelings[: 1 + i % 3],
                        post_intensity={"overall": 4}, post_understanding=4 + i % 3, resonance=1 + i % 5,
                        reflection=f"What I take away from this, person {i}.", share_reflection=i % 3 == 0)
        ids = list(Analogy.objects.filter(participant__workshop=workshop).values_list("id", flat=True))
    with organization_scope(org.id):
        for analogy_id in ids:
            participant_services.analogy_run(analogy_id=analogy_id)
    return org, workshop


def run_once(n: int, concurrency: int, log_dir: Path) -> dict:
    org, workshop = build(n)
    worker = start_worker(name="bench-packets", log_path=log_dir / "bench-packets-worker.log", concurrency=concurrency)
    peak: dict[int, int] = {}
    try:
        parent = psutil.Process(worker.pid)
        started = time.monotonic()
        with organization_scope(org.id):
            workshop_close(workshop=workshop, actor=None)  # queues every packet on commit
        while True:
            for child in parent.children(recursive=True):
                try:
                    peak[child.pid] = max(peak.get(child.pid, 0), child.memory_info().rss)
                except psutil.NoSuchProcess:
                    pass
            with unscoped():
                left = DebriefPacket.objects.filter(workshop=workshop).exclude(state__in=["done", "failed"]).count()
            if left == 0:
                break
            time.sleep(0.1)
        total = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    with unscoped():
        states = list(DebriefPacket.objects.filter(workshop=workshop).values_list("kind", "state"))
        sizes = [p.file.size for p in DebriefPacket.objects.filter(workshop=workshop, state="done")]
    return {"packets": len(states), "failed": sum(s == "failed" for _, s in states), "total": total,
            "per_packet": total / len(states), "peak_mb": sorted(v / 2**20 for v in peak.values()),
            "mean_kb": statistics.mean(sizes) / 1024 if sizes else 0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    log_dir = prepare_database()
    totals = []
    for run in range(1, args.runs + 1):
        r = run_once(args.participants, args.concurrency, log_dir)
        totals.append(r["total"])
        peaks = ", ".join(f"{m:.0f}" for m in r["peak_mb"])
        print(f"run {run}: {r['packets']} packets ({r['failed']} failed) in {r['total']:.2f}s, "
              f"{r['per_packet'] * 1000:.0f} ms per packet (wall), {r['per_packet'] * args.concurrency * 1000:.0f} "
              f"ms per packet per process; peak RSS per worker process {peaks} MiB; mean PDF {r['mean_kb']:.0f} KiB")
    print(f"total: median {statistics.median(totals):.2f}s, min {min(totals):.2f}s, max {max(totals):.2f}s over "
          f"{len(totals)} runs ({args.participants} participants + 1 facilitator packet, concurrency "
          f"{args.concurrency}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
