"""The k rule and complementary suppression: no figure covers fewer than k people, and a hidden figure
cannot be worked out by subtracting the shown ones from a total."""

import random
from datetime import datetime

import pytest
from django.utils import timezone

from tests.reports.anonymity_check import assert_no_small_figure
from tests.reports.conftest import add_people
from workshop.reports.anonymity import SHOWN, SMALL, WITHHELD, suppress_funnel, suppress_row
from workshop.reports.filters import ReportFilters
from workshop.reports.selectors import report_as_dict, report_build

K = 5


def build(org):
    return report_build(organization=org, filters=ReportFilters(), use_cache=False)


def test_a_small_cell_is_hidden_with_the_next_smallest_sibling():
    assert suppress_row([3, 20, 30], k=K) == [SMALL, WITHHELD, SHOWN]


def test_a_row_with_nothing_small_shows_everything_including_empty_cells():
    assert suppress_row([5, 0, 12], k=K) == [SHOWN, SHOWN, SHOWN]


def test_two_small_cells_that_add_up_to_less_than_k_pull_in_a_third():
    assert suppress_row([1, 2, 9, 40], k=K) == [SMALL, SMALL, WITHHELD, SHOWN]


def test_subtraction_from_any_row_total_never_yields_a_group_below_k():
    rng = random.Random(7)
    for _ in range(3000):
        counts = [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(rng.randint(1, 7))]
        status = suppress_row(counts, k=K)
        shown = [n for n, s in zip(counts, status, strict=True) if s == SHOWN]
        hidden = [n for n, s in zip(counts, status, strict=True) if s != SHOWN]
        assert all(n == 0 or n >= K for n in shown), counts
        if any(hidden):
            # What the total minus the shown cells reveals is the sum of the hidden cells: that group must be
            # at least k, and split over at least two cells so no single small cell comes back.
            recovered = sum(counts) - sum(shown)
            assert recovered >= K or sum(counts) < K, (counts, status)
            assert len(hidden) >= 2 or sum(counts) < K, (counts, status)


def test_a_funnel_step_is_hidden_when_too_few_stopped_since_the_last_shown_step():
    # 20 joined, 18 finished the profile (2 stopped: hidden), 10 answered, 10 got the analogy, 3 answered
    # again (small), 0 wrote a reflection.
    assert suppress_funnel([20, 18, 10, 10, 3, 0], k=K) == [SHOWN, WITHHELD, SHOWN, SHOWN, SMALL, SHOWN]


def test_no_two_shown_funnel_steps_differ_by_a_small_number():
    rng = random.Random(11)
    for _ in range(3000):
        counts = [rng.randint(0, 40)]
        for _ in range(5):
            counts.append(max(0, counts[-1] - rng.choice([0, 0, 1, 2, 3, 4, 6, 12])))
        status = suppress_funnel(counts, k=K)
        shown = [n for n, s in zip(counts, status, strict=True) if s == SHOWN]
        assert all(n == 0 or n >= K for n in shown), counts
        for a, b in zip(shown, shown[1:], strict=False):
            assert a - b == 0 or a - b >= K, (counts, status)


def test_a_condition_below_k_hides_the_other_condition_too(workshop_a, org_a, in_scope_a):
    add_people(workshop_a, 12)
    add_people(workshop_a, 3, condition="generic", post_f1=0.5)
    report = build(org_a.org)
    rows = {c.condition: c for c in report.conditions}
    assert rows["generic"].people.status == SMALL and rows["generic"].f1_gain.value is None
    # 15 answered is shown; with the personalized count shown, 15 - 12 would give the generic 3 back.
    assert report.answered.value == 15
    assert rows["personalized"].people.status == WITHHELD and rows["personalized"].people.value is None
    assert report.effect_f1 is None
    assert_no_small_figure(report_as_dict(report), K)


def test_a_small_month_is_hidden_with_another_so_the_total_does_not_give_it_away(workshop_a, org_a, in_scope_a):
    for month, n in ((1, 10), (2, 11), (3, 2)):
        add_people(workshop_a, n, joined=timezone.make_aware(datetime(2026, month, 10, 9)))
    report = build(org_a.org)
    months = {m.month: m for m in report.trends}
    assert report.participants.value == 23
    assert months["2026-03"].participants.status == SMALL
    assert months["2026-01"].participants.status == WITHHELD  # the smallest other month
    shown = sum(m.participants.value for m in report.trends if not m.participants.suppressed)
    assert report.participants.value - shown >= K
    assert_no_small_figure(report_as_dict(report), K)


def test_resonance_by_source_kind_hides_a_small_kind_and_its_smallest_sibling(workshop_a, org_a, in_scope_a):
    add_people(workshop_a, 2, source_kind="own_experience", resonance=5)
    add_people(workshop_a, 10, source_kind="domain", resonance=3)
    add_people(workshop_a, 7, source_kind="universal", resonance=2)
    report = build(org_a.org)
    rows = {r.key: r for r in report.resonance_by_source}
    assert rows["own_experience"].mean.status == SMALL
    assert rows["universal"].mean.status == WITHHELD
    assert rows["domain"].mean.value == pytest.approx(3.0) and rows["domain"].people.value == 10
    assert_no_small_figure(report_as_dict(report), K)


def test_fewer_than_k_people_in_all_show_nothing_but_that_fact(workshop_a, org_a, in_scope_a):
    add_people(workshop_a, 4)
    data = report_as_dict(build(org_a.org))
    assert data["too_small"] is True
    assert data["participants"] == {"value": None, "n": None, "suppressed": "fewer_than_k"}
    assert data["funnel"] == [] and data["monthly"] == [] and data["conditions"] == []
    assert_no_small_figure(data, K)


def test_the_organizations_own_k_is_the_threshold(workshop_a, org_a, in_scope_a):
    org_a.org.anonymity_k = 8
    org_a.org.save()
    add_people(workshop_a, 7)
    assert build(org_a.org).too_small
    add_people(workshop_a, 1)
    report = build(org_a.org)
    assert not report.too_small and report.participants.value == 8
    assert_no_small_figure(report_as_dict(report), 8)
