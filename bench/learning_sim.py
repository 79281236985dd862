"""The learning loop in synthetic rooms with known strategy effects, against plain uniform assignment.

Run:  .venv/bin/python bench/learning_sim.py [--reps 2000] [--null-reps 10000] [--rooms 20] [--room-size 25]

Each replication is one organization running `--rooms` workshops of `--room-size` participants in turn. Every
participant can have any of three strategies (A, B, C), or of six (A-F) in the "six" cases: two life domains and
a universal situation, each in a group or a one-to-one scene, as many participants have now. Within a room the
analogies are all written before anyone answers (as in a live workshop), so the loop learns room by room. A
participant rates the analogy 4-5 of 5 with the strategy's true resonance rate, and their gain in naming the
feelings (post_f1 - pre_f1) is drawn around the strategy's true mean gain (sd 0.3, within -1..1). The loop is the
product's own code, not a copy: `workshop.learning.policy` (posteriors, TS-PostDiff with the floor, the gain
guard, the drawn strategy and its probability) and `workshop.learning.estimate` (the IPW estimates and the page's
"A beats B" comparisons, tested together as one family). Uniform assignment is the same policy paused. Both are
given the same participants (the same random outcomes).

Figures: resonance per participant and its gain over uniform, the regret against always giving the best strategy
that does not harm accuracy, the mean gain in naming the feelings, how often the final report says "X beats Y" at
its 95% level (false positives when nothing differs; beside it, what separate 95% tests of each pair would claim,
and the one pair A vs B tested alone), loop minus uniform on the same people, and after how many participants the
loop favours the best strategy for good. One assignment's probabilities are computed once per room (the product
computes them for every analogy, from the same posterior while no one in the room has answered; the distribution
is the same).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.learning.estimate import MIN_TO_COMPARE, Estimate, better_pairs, difference, ipw_mean, ipw_rate  # noqa: E402
from workshop.learning.policy import Evidence, assignment, draw_strategy, outcome_evidence, posterior  # noqa: E402

NAMES = "ABCDEFGH"
GAIN_SD = 0.3


@dataclass(frozen=True)
class Case:
    name: str
    resonance: tuple[float, ...]  # per strategy A, B, C, ...
    gain: tuple[float, ...]
    description: str

    @property
    def strategies(self) -> tuple[str, ...]:
        return tuple(NAMES[:len(self.resonance)])

    @property
    def best(self) -> int:
        """The strategy with the highest resonance among those that do not lower accuracy."""
        allowed = [i for i, g in enumerate(self.gain) if g >= 0]
        return max(allowed, key=lambda i: self.resonance[i])


CASES = (
    Case("none", (0.50, 0.50, 0.50), (0.10, 0.10, 0.10), "no difference"),
    Case("small", (0.45, 0.50, 0.55), (0.10, 0.10, 0.10), "C resonates 5 points more than B, 10 more than A"),
    Case("large", (0.35, 0.50, 0.70), (0.10, 0.10, 0.10), "C resonates 20 points more than B, 35 more than A"),
    Case("harmful", (0.50, 0.55, 0.75), (0.10, 0.10, -0.10),
         "C resonates most but lowers accuracy (gain -0.10); B is the best that helps"),
    Case("none-six", (0.50,) * 6, (0.10,) * 6, "six strategies, no difference"),
    Case("large-six", (0.35, 0.40, 0.45, 0.50, 0.55, 0.70), (0.10,) * 6,
         "six strategies; F resonates 15 points more than E, 35 more than A"),
)


@dataclass
class Run:
    resonance: float  # expected resonance per participant (the true rate of what they got)
    gain: float  # expected gain per participant
    shares: list[float]  # share of participants given each strategy
    claims: set[tuple[str, int, int]]  # ("resonance" | "gain", better, worse) the final report makes
    separate: set[tuple[str, int, int]]  # the claims separate 95% tests would make (no family)
    favoured_from: int | None  # participants after which the best strategy stayed the most likely


def one_run(case: Case, *, paused: bool, seed: int, rooms: int, room_size: int) -> Run:
    rng = random.Random(seed)  # the people: outcomes drawn the same way for both policies
    policy_rng = random.Random(seed * 7919 + (1 if paused else 2))
    strategies = case.strategies
    evidence = [Evidence() for _ in strategies]
    rows: list[tuple[int, float, bool, float]] = []  # strategy, probability, hit, gain
    favourite: list[int] = []
    for _ in range(rooms):
        chosen = assignment({s: posterior(evidence[i]) for i, s in enumerate(strategies)}, rng=policy_rng,
                            paused=paused)
        favourite.append(max(range(len(strategies)), key=lambda i: chosen.probabilities[strategies[i]]))
        room = []
        for _ in range(room_size):
            strategy, probability = draw_strategy(chosen, policy_rng)
            i = strategies.index(strategy)
            hit = rng.random() < case.resonance[i]
            gain = min(1.0, max(-1.0, rng.gauss(case.gain[i], GAIN_SD)))
            room.append((i, probability, hit, gain))
        for i, _, hit, gain in room:  # everyone answers once the room's analogies are written
            evidence[i] = evidence[i] + outcome_evidence(resonance_hit=hit, gain=gain)
        rows += room
    n = len(rows)
    estimates = {
        "resonance": {s: ipw_rate([(float(h), p) for i, p, h, _ in rows if i == k]) for k, s in enumerate(strategies)},
        "gain": {s: ipw_mean([(g, p) for i, p, _, g in rows if i == k]) for k, s in enumerate(strategies)},
    }
    claims = {(m, strategies.index(a), strategies.index(b)) for m, est in estimates.items()
              for a, b in better_pairs(est)}
    separate = {(m, strategies.index(a), strategies.index(b)) for m, est in estimates.items()
                for a in strategies for b in strategies if a != b and _above(est[a], est[b])}
    stays = None
    if not paused:
        for r in range(rooms - 1, -1, -1):
            if favourite[r] != case.best:
                break
            stays = r * room_size
    return Run(resonance=statistics.fmean(case.resonance[s] for s, *_ in rows),
               gain=statistics.fmean(case.gain[s] for s, *_ in rows),
               shares=[sum(1 for s, *_ in rows if s == i) / n for i in range(len(strategies))], claims=claims,
               separate=separate, favoured_from=stays)


def _above(a: Estimate | None, b: Estimate | None) -> bool:
    """a above b as the only comparison made, at its own 95% level (no family)."""
    if a is None or b is None or min(a.n, b.n) < MIN_TO_COMPARE:
        return False
    return difference(a, b).interval()[0] > 0


def _job(args: tuple) -> Run:
    case, paused, seed, rooms, room_size = args
    return one_run(case, paused=paused, seed=seed, rooms=rooms, room_size=room_size)


def proportion_interval(hits: int, n: int) -> str:
    """A proportion with its 95% Wilson interval, in percent."""
    if n == 0:
        return "—"
    p, z = hits / n, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return f"{100 * p:.1f}% [{100 * (centre - half):.1f}, {100 * (centre + half):.1f}]"


def summarize(case: Case, runs: dict[str, list[Run]], participants: int) -> None:
    loop, uniform = runs["loop"], runs["uniform"]
    reps = len(loop)
    oracle = case.resonance[case.best]
    print(f"\n## {case.name}: {case.description}  ({reps} replications x {participants} participants)")
    names = case.strategies
    print(f"| policy | resonance per participant | regret vs best allowed | gain in naming | share {'/'.join(names)} |")
    print("|---|---|---|---|---|")
    for name, group in (("loop", loop), ("uniform", uniform)):
        res = [r.resonance for r in group]
        shares = [statistics.fmean(r.shares[i] for r in group) for i in range(len(names))]
        print(f"| {name} | {statistics.fmean(res):.3f} | {oracle - statistics.fmean(res):.3f} | "
              f"{statistics.fmean(r.gain for r in group):.3f} | "
              f"{' / '.join(f'{100 * s:.0f}%' for s in shares)} |")
    gained = [a.resonance - b.resonance for a, b in zip(loop, uniform, strict=True)]
    se = statistics.stdev(gained) / reps ** 0.5
    mean = statistics.fmean(gained)
    print(f"\nresonance gained by the loop: {100 * mean:+.2f} points per participant "
          f"(95% {100 * (mean - 1.96 * se):+.2f} to {100 * (mean + 1.96 * se):+.2f})")
    for measure, truth in (("resonance", case.resonance), ("gain", case.gain)):
        false = {}
        for name, group in (("loop", loop), ("uniform", uniform)):
            false[name] = [any(m == measure and truth[a] <= truth[b] for m, a, b in r.claims) for r in group]
            line = (f"{measure} — {name}: a false 'X beats Y' in {proportion_interval(sum(false[name]), reps)} "
                    f"of reports")
            separately = sum(1 for r in group
                             if any(m == measure and truth[a] <= truth[b] for m, a, b in r.separate))
            line += f" (separate tests: {proportion_interval(separately, reps)}"
            if truth[0] == truth[1]:
                alone = sum(1 for r in group if {(measure, 0, 1), (measure, 1, 0)} & r.separate)
                line += f"; A vs B as the only comparison: {proportion_interval(alone, reps)}"
            line += ")"
            if len(set(truth)) > 1:
                high, low = truth.index(max(truth)), truth.index(min(truth))
                found = sum(1 for r in group if (measure, high, low) in r.claims)
                line += (f"; the true '{names[high]} beats {names[low]}' in "
                         f"{proportion_interval(found, reps)}")
            print(line)
        more = [float(a) - float(b) for a, b in zip(false["loop"], false["uniform"], strict=True)]
        mean, se = statistics.fmean(more), statistics.stdev(more) / reps ** 0.5
        print(f"{measure} — false reports, loop minus uniform on the same people: {100 * mean:+.1f} points "
              f"(95% {100 * (mean - 1.96 * se):+.1f} to {100 * (mean + 1.96 * se):+.1f})")
    if case.name != "none":
        found = [r.favoured_from for r in loop]
        settled = [f for f in found if f is not None]
        median = statistics.median(settled) if settled else None
        print(f"the loop favours the best strategy for good from participant {median} (median of the "
              f"{len(settled)} of {reps} replications where it ends favouring it)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--null-reps", type=int, default=10000)
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--room-size", type=int, default=25)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--cases", default=",".join(c.name for c in CASES))
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    started = time.perf_counter()
    participants = args.rooms * args.room_size
    with multiprocessing.Pool(args.processes) as pool:
        for case in (c for c in CASES if c.name in args.cases.split(",")):
            reps = args.null_reps if case.name.startswith("none") else args.reps
            runs = {}
            for name, paused in (("loop", False), ("uniform", True)):
                jobs = [(case, paused, seed, args.rooms, args.room_size) for seed in range(reps)]
                runs[name] = pool.map(_job, jobs, chunksize=max(1, reps // (8 * args.processes)))
            summarize(case, runs, participants)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
