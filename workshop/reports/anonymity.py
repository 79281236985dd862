"""The k rule, and complementary suppression so a hidden figure cannot be worked out from the ones shown.

Primary suppression hides every cell that covers 1..k-1 people (an empty cell describes nobody and is
shown as 0). That alone is not enough: when the cells of a row add up to a total that is shown elsewhere
(months add up to the participants, conditions to everyone who answered), subtracting the shown cells from
the total gives back the hidden one. So a row that hides anything hides at least two cells, and enough
of them that the hidden cells together cover at least k people: subtraction then only yields the sum of
a group of k or more, never one small cell. The extra cells are the smallest ones still shown.

The completion funnel is nested, not a row that sums: each step keeps a subset of the one before, so the
difference between two shown steps is the number who stopped between them. A step is shown only when it
covers at least k people *and* the number who stopped since the last shown step is 0 or at least k.
"""

from __future__ import annotations

from collections.abc import Sequence

SHOWN, SMALL, WITHHELD = "", "small", "withheld"


def suppress_row(counts: Sequence[int], *, k: int) -> list[str]:
    """For sibling cells that add up to a total, the status of each: SHOWN, SMALL (fewer than k people) or
    WITHHELD (hidden so that a SMALL cell cannot be recovered by subtraction)."""
    status = [SMALL if 0 < n < k else SHOWN for n in counts]
    hidden = [i for i, s in enumerate(status) if s]
    while hidden and (len(hidden) < 2 or sum(counts[i] for i in hidden) < k):
        candidates = [i for i, s in enumerate(status) if s == SHOWN and counts[i] > 0]
        if not candidates:
            break  # everything that describes anyone is hidden; the total itself is then below k or hidden
        smallest = min(candidates, key=lambda i: (counts[i], i))
        status[smallest] = WITHHELD
        hidden.append(smallest)
    return status


def suppress_funnel(counts: Sequence[int], *, k: int) -> list[str]:
    """For nested steps (each a subset of the one before), the status of each step."""
    status: list[str] = []
    last_shown: int | None = None
    for i, n in enumerate(counts):
        if 0 < n < k:
            status.append(SMALL)
            continue
        if i == 0:
            ok = True
        elif last_shown is None:
            ok = False  # the first step is hidden: any later figure would tell how many stopped
        else:
            ok = last_shown - n == 0 or last_shown - n >= k
        status.append(SHOWN if ok else WITHHELD)
        if ok:
            last_shown = n
    return status
