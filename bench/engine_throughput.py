"""Built-in engine throughput on one core: analogies per second over the scenario library x the demo's and the
sample set's profiles.

Run:  .venv/bin/python bench/engine_throughput.py [--rounds 7]
Pure engine, no Django, no database: what one worker process can write per second of CPU. Two ways: the same
profiles every round (a worker writing several analogies for the same people: their text is already tokenized),
and profiles whose every text is new in each round (nothing of theirs is cached).
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

SPEC_KEYS = ("slug", "title", "narrative", "perspective", "emotions", "themes", "discussion_prompts")


def load_inputs() -> tuple[list[ScenarioSpec], list[dict]]:
    library = sorted((ROOT / "workshop" / "scenarios" / "library").glob("*.yaml"))
    scenarios = []
    for path in library:
        data = yaml.safe_load(path.read_text())
        if data.get("language", "en") != "en":
            continue  # a Korean-first scenario: the English figure is measured here
        spec = {k: data[k] for k in SPEC_KEYS if k in data}
        spec["perspective"] = {k: v for k, v in data["perspective"].items() if k in ("name", "role", "pronouns")}
        scenarios.append(ScenarioSpec.model_validate(spec))
    demo = yaml.safe_load((ROOT / "workshop" / "demo" / "profiles.yaml").read_text())
    raw = [p for p in (demo if isinstance(demo, list) else demo.get("profiles", [])) if isinstance(p, dict)]
    raw = [p for p in raw if p.get("language", "en") == "en"]
    samples = yaml.safe_load((ROOT / "workshop" / "engine" / "sample_profiles.yaml").read_text())
    for data in samples.values():
        for experience in data.get("experiences", []):
            experience.pop("fits", None)
            experience.pop("touches_avoid", None)
        raw.append(data)
    return scenarios, raw


def profiles_for(raw: list[dict], round_number: int | None) -> list[ProfileSpec]:
    """The profiles as they are, or (with a round number) with every text of theirs made new."""
    if round_number is None:
        return [ProfileSpec.model_validate(p) for p in raw]
    out = []
    for i, data in enumerate(raw):
        tag = f"r{round_number}x{i}"
        copy = {**data, "name": f"{data.get('name', '')} {tag}",
                "domains": [f"{d} {tag}d{j}" for j, d in enumerate(data.get("domains", []))],
                "experiences": [{**e, "text": f"{e['text']} That was {tag}m{j}."}
                                for j, e in enumerate(data.get("experiences", []))]}
        out.append(ProfileSpec.model_validate(copy))
    return out


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
    scenarios, raw = load_inputs()
    same = profiles_for(raw, None)
    one_round(scenarios[:1], same[:1], "personalized")  # load the data files once, as a worker does
    runs = [("personalized", "same profiles", lambda r: same),
            ("personalized", "new profiles", lambda r: profiles_for(raw, r)),
            ("generic", "same profiles", lambda r: same)]
    for mode, label, profiles in runs:
        rates = []
        for round_number in range(args.rounds):
            batch = profiles(round_number)
            count, seconds = one_round(scenarios, batch, mode)
            rates.append(count / seconds)
        print(f"{mode:>12}, {label}: {count} analogies per round ({len(scenarios)} scenarios x {len(batch)} "
              f"profiles), {args.rounds} rounds, median {statistics.median(rates):.0f}/s "
              f"(min {min(rates):.0f}, max {max(rates):.0f}), CPU time, one core")


if __name__ == "__main__":
    main()
