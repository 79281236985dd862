"""The report reads a fixed number of queries whatever the number of workshops and participants."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.reports.conftest import add_people
from workshop.reports.filters import ReportFilters
from workshop.reports.selectors import report_build


def queries_for(org, filters=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        report_build(organization=org, filters=filters or ReportFilters(), use_cache=False)
    return len(captured.captured_queries)


def test_the_query_count_is_the_same_for_5_and_50_workshops(org_a, in_scope_a):
    workshops = [factories.open_workshop(org_a, title=f"Session {i}") for i in range(50)]
    for w in workshops[:5]:
        add_people(w, 6)
    queries_for(org_a.org)  # the rollup's first build (workshop/reports/rollup.py); later ones add up what changed
    add_people(workshops[0], 1)
    few = queries_for(org_a.org)
    filtered_few = queries_for(org_a.org, ReportFilters(facilitator=org_a.facilitator.username, theme="exclusion"))
    for w in workshops[5:]:
        add_people(w, 6, condition="generic" if len(w.title) % 2 else "personalized")
    assert queries_for(org_a.org) == few
    assert queries_for(org_a.org, ReportFilters(facilitator=org_a.facilitator.username,
                                                theme="exclusion")) == filtered_few


def test_a_cached_report_costs_only_its_version_lookup(org_a, workshop_a, in_scope_a):
    add_people(workshop_a, 6)
    report_build(organization=org_a.org, filters=ReportFilters())
    with CaptureQueriesContext(connection) as captured:
        again = report_build(organization=org_a.org, filters=ReportFilters())
    assert len(captured.captured_queries) == 4 and again.participants.value == 6
    add_people(workshop_a, 1)  # a new join changes the data version: the next report is computed afresh
    assert report_build(organization=org_a.org, filters=ReportFilters()).participants.value == 7
