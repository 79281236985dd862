"""Queue fan-out: N participants' analogies through real Celery workers against a local OpenAI-compatible
server answering at a fixed latency. Compares the total time with the ideal ceil(N / concurrency) x latency,
and checks that no analogy is lost or written twice.

Needs the production-like set-up: PostgreSQL and Redis.
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/empathy_bench REDIS_URL=redis://127.0.0.1:6379/13 \\
  DEBUG=1 .venv/bin/python bench/queue_fanout.py --participants 500 --latency 0.8 --concurrency 25 --runs 3
The database is created if missing; each run uses a new organization in it.
"""

from __future__ import annotations

import argparse
import math
import secrets
import statistics
import time

from common import analogies_not_enqueued, prepare_database, start_worker
from django.db.models import Avg, Count, Max, Min

import workshop.participants.services as participant_services
from tests.llm_server import FakeLLMServer
from workshop.engine import ProfileSpec
from workshop.participants.models import Analogy
from workshop.scenarios.models import Scenario
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.services import workshop_create, workshop_open

DOMAINS = ["amateur football", "choir", "baking bread", "my guild in an online game", "hiking", "chess club",
           "caring for my father", "volunteering at the food bank", "jazz guitar", "swimming", "gardening", "pottery"]


def build(n: int, server: FakeLLMServer):
    """An organization on the local LLM, an open workshop with one scenario, n participants with profiles."""
    slug = f"bench-{secrets.token_hex(4)}"
    with unscoped():
        org = Organization.objects.create(name=slug, slug=slug, llm_base_url=server.base_url, llm_model="bench-model",
                                          llm_requests_per_minute=100_000, llm_tokens_per_minute=100_000_000)
        scenario = Scenario.objects.get(organization__isnull=True, slug="idea-repeated-by-someone-else",
                                        is_current=True)
        workshop = workshop_create(organization_id=org.id, owner=None, title="Fan-out", scenarios=[scenario],
                                   capacity=n + 1, engine="openai")
        workshop = workshop_open(workshop=workshop, actor=None)
        # Rows are written now; the clock starts when they are handed to the queue all at once.
        with analogies_not_enqueued():
            for i in range(n):
                participant, _ = participant_services.participant_join(workshop=workshop, pseudonym=f"P{i}")
                profile = ProfileSpec(name=f"P{i}", domains=[DOMAINS[i % len(DOMAINS)]])
                participant_services.participant_profile_save(participant=participant, profile=profile)
    return org, workshop


def warm_analysis(org, workshop) -> None:
    """The scenario analysis is made once per scenario version; steady state has it cached."""
    with unscoped():
        first = Analogy.objects.filter(participant__workshop=workshop).order_by("id").first()
    with organization_scope(org.id):
        participant_services.analogy_run(analogy_id=first.id)


def run_once(n: int, latency: float, concurrency: int, log_dir) -> dict:
    with FakeLLMServer(latency_s=latency) as server:
        org, workshop = build(n, server)
        warm_analysis(org, workshop)
        with unscoped():
            pending = list(Analogy.objects.filter(participant__workshop=workshop, state="pending"))
        server.requests.clear()
        worker = start_worker(name="bench-fanout", log_path=log_dir / "bench-worker.log", concurrency=concurrency,
                              pool="threads")
        try:
            started = time.monotonic()
            for analogy in pending:
                participant_services.analogy_enqueue(analogy=analogy)
            while True:
                with unscoped():
                    left = Analogy.objects.filter(participant__workshop=workshop).exclude(state="done").count()
                if left == 0:
                    break
                time.sleep(0.05)
            total = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        with unscoped():
            rows = Analogy.objects.filter(participant__workshop=workshop, id__in=[a.id for a in pending])
            stats = rows.aggregate(count=Count("id"), max_attempts=Max("attempts"), min_attempts=Min("attempts"),
                                   tokens_in=Avg("tokens_in"), tokens_out=Avg("tokens_out"),
                                   cached=Avg("cached_tokens"), latency_ms=Avg("latency_ms"))
            by_engine = dict(rows.values_list("engine").annotate(c=Count("id")))
        calls = len(server.chat_requests("analogy"))
        system_prompt = server.chat_requests("analogy")[0].body["messages"][0]["content"]
        whole_prompt = sum(len(m["content"]) for m in server.chat_requests("analogy")[0].body["messages"])
    ideal = math.ceil(len(pending) / concurrency) * latency
    return {"n": len(pending), "total": total, "ideal": ideal, "ratio": total / ideal, "calls": calls,
            "by_engine": by_engine, "stats": stats, "system_chars": len(system_prompt), "prompt_chars": whole_prompt}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.8)
    parser.add_argument("--concurrency", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    log_dir = prepare_database()
    results = []
    for run in range(1, args.runs + 1):
        r = run_once(args.participants + 1, args.latency, args.concurrency, log_dir)
        results.append(r)
        s = r["stats"]
        print(f"run {run}: {r['n']} analogies in {r['total']:.2f}s, ideal {r['ideal']:.2f}s, "
              f"ratio {r['ratio']:.3f}; LLM analogy calls {r['calls']}, engines {r['by_engine']}, "
              f"attempts {s['min_attempts']}..{s['max_attempts']}; per-analogy latency {s['latency_ms']:.0f} ms; "
              f"tokens in {s['tokens_in']:.0f} (cached {s['cached']:.0f}), out {s['tokens_out']:.0f}; "
              f"prompt {r['prompt_chars']} chars of which static system prompt {r['system_chars']}")
    ratios = [r["ratio"] for r in results]
    print(f"ratio to ideal: median {statistics.median(ratios):.3f}, min {min(ratios):.3f}, max {max(ratios):.3f} "
          f"over {len(ratios)} runs ({args.participants} participants, concurrency {args.concurrency}, "
          f"latency {args.latency}s)")


if __name__ == "__main__":
    main()
