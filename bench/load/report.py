"""Markdown tables from one or more results files written by bench/load/run.py.

    .venv/bin/python bench/load/report.py var/load/results-*.json
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def _spread(values: list[float]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return f"{statistics.median(values):g} ({min(values):g}–{max(values):g})"


def _cpu(r: dict) -> str:
    ours = ", ".join(f"{k} {v:g}" for k, v in r.get("cpu_s", {}).items())
    return f"{ours}; others {r['other_cores_busy']:g} cores" if "other_cores_busy" in r else ours


def join_table(runs: list[dict]) -> list[str]:
    out = ["| run | load avg before | requests | failures | p50 | p95 | p99 | max | req/s | last profile done | "
           "CPU s (web, workers, postgres, locust) | cores busy |", "|" + "---|" * 12]
    for r in runs:
        a = r["stats"]["Aggregated"]
        out.append(f"| {r['rep']} | {r['load_before']} | {a['count']} | {a['failures']} | {a['p50']:g} ms | "
                   f"{a['p95']:g} ms | {a['p99']:g} ms | {a['max']:g} ms | {a['rps']:g} | {r['last_finished_s']} s | "
                   f"{_cpu(r)} | {r['machine_cores_busy']} |")
    pages = sorted({name for r in runs for name in r["stats"]} - {"Aggregated"})
    out += ["", "| request | count per run | p50 (median of runs) | p95 (median, min–max) |", "|---|---|---|---|"]
    for name in pages:
        rows = [r["stats"][name] for r in runs if name in r["stats"]]
        out.append(f"| {name} | {rows[0]['count']} | {statistics.median(x['p50'] for x in rows):g} ms | "
                   f"{_spread([x['p95'] for x in rows])} ms |")
    return out


def room_table(runs: list[dict]) -> list[str]:
    out = ["| run | load avg before | status polls | status p50 | status p95 | status p99 | monitor refreshes | "
           "monitor p50 | monitor p95 | failures | generation of 500 | CPU s | cores busy |", "|" + "---|" * 13]
    for r in runs:
        s, m = r["stats"]["analogy status"], r["stats"].get("monitor (live part)", {})
        out.append(f"| {r['rep']} | {r['load_before']} | {s['count']} ({s['rps']:g}/s) | {s['p50']:g} ms | "
                   f"{s['p95']:g} ms | {s['p99']:g} ms | {m.get('count')} | {m.get('p50')} ms | {m.get('p95')} ms | "
                   f"{s['failures'] + m.get('failures', 0)} | {r['generation_s']} s | {_cpu(r)} | "
                   f"{r['machine_cores_busy']} |")
    return out


def fanout_table(runs: list[dict]) -> list[str]:
    out = ["| run | stack | load avg before | analogies | total | ideal | ratio | analogies/s | LLM calls per "
           "clock minute | most in any 60 s | most in one second | engines | fallbacks | attempts |",
           "|" + "---|" * 14]
    for r in runs:
        s, llm = r["summary"], r["llm"]
        out.append(f"| {r['scenario']} {r['rep']} | {r['stack']} | {r['load_before']} | {r['analogies']} | "
                   f"{r['total_s']} s | {r['ideal_s']} s | {r['ratio']} | {r['analogies_per_s']} | "
                   f"{llm['per_clock_minute']} | {llm['max_sliding_60s']} | {llm['max_per_second']} | {s['engines']} | "
                   f"{s['fallbacks']} | {s['attempts']} |")
    return out


def saturation_table(runs: list[dict]) -> list[str]:
    out = ["| run | stack | load avg before | users | polls/s | p50 | p95 | failures | CPU s | cores busy |",
           "|" + "---|" * 10]
    for r in runs:
        out.append(f"| {r['scenario']} {r['rep']} | {r['stack']} | {r['load_before']} | {r['users']} | {r['rps']} | "
                   f"{r['p50']} ms | {r['p95']} ms | {r['failures']} | {_cpu(r)} | {r['machine_cores_busy']} |")
    return out


def main() -> None:
    runs: list[dict] = []
    for path in sys.argv[1:]:
        record = json.loads(Path(path).read_text())
        print(f"<!-- {path}: started {record['started']}, load average {record['load_at_start']} -> "
              f"{record.get('load_at_end')} -->")
        runs += record["results"]
    by: dict[str, list[dict]] = {}
    for r in runs:
        by.setdefault(r["scenario"].split("-")[0], []).append(r)
    for think in sorted({r["think_s"] for r in by.get("join", [])}):
        runs_at = [r for r in by["join"] if r["think_s"] == think]
        print(f"\n### join (arrivals over {runs_at[0]['spawn_s']:g} s, mean pause {think:g} s per page)\n")
        print("\n".join(join_table(runs_at)))
    for kind, table in (("room", room_table), ("fanout", fanout_table), ("ratelimit", fanout_table),
                        ("saturation", saturation_table)):
        if kind in by:
            print(f"\n### {kind}\n")
            print("\n".join(table(by[kind])))


if __name__ == "__main__":
    main()
