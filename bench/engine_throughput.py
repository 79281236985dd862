"""Built-in engine throughput on one core: analogies per second over the scenario library x demo profiles.

Run:  .venv/bin/python bench/engine_throughput.py [--rounds 7]
Pure engine, no Django, no database: what one worker process can write per second of CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.engine import ProfileSpec, ScenarioSpec, generate  # noqa: E402


def load_inputs() -> tuple[list[ScenarioSpec], list[ProfileSpec]]:
    library = sorted((ROOT / "workshop" / "scenarios" / "library").glob("*.yaml"))
    scenarios = [ScenarioSpec.model_validate(yaml.safe_load(p.read_text())) for p in library]
    profiles = [ProfileSpec.model_validate(p) for p in
                yaml.safe_load((ROOT / "workshop" / "demo" / "profiles.yaml").read_text())]
    return scenarios, profiles


def one_round(scenarios, profiles, mode: str) -> tuple[int, float]:
    start = time.process_time()
    count = 0
    for scenario in scenarios:
        for profile in profiles:
            generate(scenario, profile, mode=mode)
            count += 1
    return count, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    scenarios, profiles = load_inputs()
    one_round(scenarios[:1], profiles[:1], "personalized")  # load the data files once, as a worker does
    for mode in ("personalized", "generic"):
        rates = []
        for _ in range(args.rounds):
            count, seconds = one_round(scenarios, profiles, mode)
            rates.append(count / seconds)
        print(f"{mode:>12}: {count} analogies per round, {args.rounds} rounds, median "
              f"{statistics.median(rates):.0f}/s (min {min(rates):.0f}, max {max(rates):.0f}), CPU time, one core")


if __name__ == "__main__":
    main()
