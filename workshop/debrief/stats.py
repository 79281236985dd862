"""The room's numbers for the facilitator packet: plain functions over responses, with the anonymity rule.

Identification accuracy of one answer is the F1 score of the feelings the person named against the
scenario's target feelings (labels compared case-insensitively): naming every feeling in the list does not
score well, and neither does naming one. A group is only described when it has at least k people
who answered; smaller groups come back as ``None`` and the packet says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean


def target_labels(emotions: list[dict]) -> list[str]:
    return [str(e.get("label", "")).strip().lower() for e in emotions if str(e.get("label", "")).strip()]


def identification_accuracy(chosen: Iterable[str], targets: list[str]) -> float | None:
    """F1 of the named feelings against the targets, 0..1; None when nothing was answered."""
    chosen_set = {str(c).strip().lower() for c in chosen if str(c).strip()}
    if not chosen_set or not targets:
        return None
    hits = len(chosen_set & set(targets))
    if not hits:
        return 0.0
    precision, recall = hits / len(chosen_set), hits / len(set(targets))
    return 2 * precision * recall / (precision + recall)


@dataclass
class GroupSummary:
    """Averages over one group of answers (a scenario, a condition, the whole room)."""

    answered: int  # answers with both a before and an after identification
    people: int  # the distinct people who gave them: the group size the anonymity rule counts
    accuracy_before: float
    accuracy_after: float
    understanding_before: float | None
    understanding_after: float | None
    resonance_mean: float | None
    resonance_counts: dict[int, int] = field(default_factory=dict)
    named_after: dict[str, float] = field(default_factory=dict)  # target feeling -> share who named it after

    @property
    def accuracy_change(self) -> float:
        return self.accuracy_after - self.accuracy_before


def _mean(values: list[float]) -> float | None:
    return mean(values) if values else None


def summarize(answers: list[tuple[object, list[str]]], *, k: int, feelings: list[str] | None = None
              ) -> GroupSummary | None:
    """Summarize (response, that scenario's target feelings) pairs; responses carry pre/post labels,
    understanding and resonance. Only answers with both a before and an after identification count, and
    fewer than k distinct people give None. ``feelings``: report the share who named each of these after.
    """
    pairs = []
    for r, targets in answers:
        before = identification_accuracy(r.pre_labels or [], targets)
        after = identification_accuracy(r.post_labels or [], targets)
        if before is not None and after is not None:
            pairs.append((r, before, after))
    people = {r.participant_id for r, _, _ in pairs}
    if len(people) < k:
        return None
    rated = [r.resonance for r, _, _ in pairs if r.resonance]
    raters = {r.participant_id for r, _, _ in pairs if r.resonance}
    named_after = {}
    for label in feelings or []:
        named = sum(label in {str(c).strip().lower() for c in (r.post_labels or [])} for r, _, _ in pairs)
        named_after[label] = named / len(pairs)
    return GroupSummary(
        answered=len(pairs),
        people=len(people),
        accuracy_before=mean(b for _, b, _ in pairs),
        accuracy_after=mean(a for _, _, a in pairs),
        understanding_before=_mean([r.pre_understanding for r, _, _ in pairs if r.pre_understanding]),
        understanding_after=_mean([r.post_understanding for r, _, _ in pairs if r.post_understanding]),
        resonance_mean=_mean(rated) if len(raters) >= k else None,
        resonance_counts={score: rated.count(score) for score in range(1, 6)} if len(raters) >= k else {},
        named_after=named_after,
    )


def hardest_feeling(summary: GroupSummary | None) -> tuple[str, float] | None:
    """The target feeling the fewest people named after the analogy."""
    if summary is None or not summary.named_after:
        return None
    label = min(summary.named_after, key=lambda item: (summary.named_after[item], item))
    return label, summary.named_after[label]
