"""How well the room mood scorer reads the labelled sentences (tests/learning/mood_sentences.yaml), against
a majority-class baseline, per language and split. Run it to print the table docs/mood.md records:

    python -m tests.learning.mood_accuracy
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from workshop.learning.mood import text_mood

SENTENCES = Path(__file__).with_name("mood_sentences.yaml")


@dataclass(frozen=True)
class Accuracy:
    language: str
    split: str
    n: int
    valence: float  # share of sentences whose positive / negative / neutral the scorer got right
    valence_baseline: float  # ... always answering the most frequent valence
    feeling: float  # share whose main feeling it got right (no feeling found counts as wrong)
    feeling_baseline: float
    coverage: float  # share in which the lexicon found at least one word

    @property
    def valence_interval(self) -> tuple[float, float]:
        return wilson(self.valence, self.n)

    @property
    def feeling_interval(self) -> tuple[float, float]:
        return wilson(self.feeling, self.n)


def wilson(share: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a share."""
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def sentences() -> dict[str, dict[str, list[list[str]]]]:
    return yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))


def measure(rows: list[list[str]], language: str, split: str) -> Accuracy:
    moods = [text_mood(text) for _, _, text in rows]
    valences = Counter(valence for valence, _, _ in rows)
    feelings = Counter(feeling for _, feeling, _ in rows)
    n = len(rows)
    return Accuracy(
        language=language, split=split, n=n,
        valence=sum(m.polarity == valence for m, (valence, _, _) in zip(moods, rows, strict=True)) / n,
        valence_baseline=valences.most_common(1)[0][1] / n,
        feeling=sum(m.main_feeling == feeling for m, (_, feeling, _) in zip(moods, rows, strict=True)) / n,
        feeling_baseline=feelings.most_common(1)[0][1] / n,
        coverage=sum(m.matches > 0 for m in moods) / n,
    )


def results() -> list[Accuracy]:
    data = sentences()
    return [measure(rows, language, split) for language, splits in data.items() for split, rows in splits.items()]


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def main() -> None:
    print("| language | split | sentences | valence (95% CI) | baseline | main feeling (95% CI) | baseline | "
          "coverage |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results():
        (vl, vh), (fl, fh) = r.valence_interval, r.feeling_interval
        print(f"| {r.language} | {r.split} | {r.n} | {_pct(r.valence)} ({_pct(vl)}–{_pct(vh)}) | "
              f"{_pct(r.valence_baseline)} | {_pct(r.feeling)} ({_pct(fl)}–{_pct(fh)}) | {_pct(r.feeling_baseline)} | "
              f"{_pct(r.coverage)} |")


if __name__ == "__main__":
    main()
