"""Hedges' g of the gain, personalized against generic, with its 95% interval: against a hand-computed
example, and with one gain per person (the mean over their scenarios) as the unit."""

import math

import pytest

from tests.reports.conftest import add_people
from workshop.reports.filters import ReportFilters
from workshop.reports.selectors import report_build
from workshop.reports.stats import Moments, hedges_g


def moments(values):
    return Moments(n=len(values), total=sum(values), squares=sum(v * v for v in values))


def test_hedges_g_matches_the_hand_computed_example():
    # Personalized gains 2, 4, 6 (mean 4, variance 4); generic 1, 2, 3 (mean 2, variance 1).
    # Pooled variance (2*4 + 2*1) / 4 = 2.5; d = 2 / sqrt(2.5) = 1.26491; J = 1 - 3 / (4*6 - 9) = 0.8;
    # g = 0.8 * 1.26491 = 1.01193. SE = 0.8 * sqrt(6/9 + 1.6/12) = 0.8 * sqrt(0.8) = 0.71554;
    # 95% interval 1.01193 -/+ 1.95996 * 0.71554 = -0.39050 .. 2.41436.
    effect = hedges_g(moments([2, 4, 6]), moments([1, 2, 3]))
    assert effect.g == pytest.approx(1.01193, abs=1e-5)
    assert effect.ci_low == pytest.approx(-0.39050, abs=1e-4)
    assert effect.ci_high == pytest.approx(2.41436, abs=1e-4)
    assert (effect.n1, effect.n2, effect.difference) == (3, 3, 2)


def test_moments_give_the_sample_standard_deviation():
    assert moments([2, 4, 6]).sd == pytest.approx(2.0)
    assert moments([5]).sd is None


def test_no_effect_size_without_spread_or_with_a_single_person():
    assert hedges_g(moments([1, 1, 1]), moments([1, 1, 1])) is None
    assert hedges_g(moments([1]), moments([1, 2, 3])) is None


def test_the_report_uses_one_gain_per_person_whatever_their_number_of_scenarios(workshop_a, library, org_a,
                                                                                   in_scope_a):
    # Each person answered the workshop's two scenarios; their gain is the mean of the two.
    gains_p, gains_g = [], []
    for i in range(6):
        pre, post = 0.2, 0.5 + 0.05 * i
        add_people(workshop_a, 1, pre_f1=pre, post_f1=post)
        gains_p.append(post - pre)
    for i in range(5):
        pre, post = 0.3, 0.4 + 0.04 * i
        add_people(workshop_a, 1, condition="generic", pre_f1=pre, post_f1=post)
        gains_g.append(post - pre)
    report = report_build(organization=org_a.org, filters=ReportFilters(), use_cache=False)
    rows = {c.condition: c for c in report.conditions}
    assert rows["personalized"].people.value == 6 and rows["generic"].people.value == 5  # people, not answers
    assert rows["personalized"].f1_gain.value == pytest.approx(sum(gains_p) / 6)
    expected = hedges_g(moments(gains_p), moments(gains_g))
    assert report.effect_f1.g == pytest.approx(expected.g)
    assert report.effect_f1.ci_low == pytest.approx(expected.ci_low)
    assert report.effect_f1.g > 0 and not math.isnan(report.effect_f1.ci_high)
