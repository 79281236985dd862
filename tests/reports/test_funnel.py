"""The completion funnel: each step counts the people who also reached every step before it."""

from tests.reports.conftest import add_people
from workshop.reports.filters import ReportFilters
from workshop.reports.selectors import report_build


def test_the_funnel_follows_people_from_joining_to_reflecting(workshop_a, org_a, in_scope_a):
    add_people(workshop_a, 6, step="profile", pre_u=None, analogy=False)  # joined only
    add_people(workshop_a, 6, step="scenarios", post_u=None, post_f1=None, resonance=None,
               analogy=False)  # answered before; their analogy is not ready
    add_people(workshop_a, 6, step="scenarios", post_u=None, post_f1=None, resonance=None)  # read it, no answer
    add_people(workshop_a, 7, reflection="It made me think.")  # all the way
    report = report_build(organization=org_a.org, filters=ReportFilters(), use_cache=False)
    steps = {row.key: row.people.value for row in report.funnel}
    assert steps == {"joined": 25, "profile": 19, "before": 19, "analogy": 13, "after": 7, "reflection": 7}
    assert report.answered.value == 7  # only they answered before and after
