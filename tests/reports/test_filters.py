"""Report filters: what they narrow, and bad input answered with a message under the field, never a 500."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.reports.conftest import add_people
from workshop.reports.filters import ReportFilters, report_filters_parse
from workshop.reports.selectors import report_build


def parse(org, **data):
    return report_filters_parse(data=data, organization=org)


@pytest.mark.parametrize("data, field", [
    ({"date_from": "31/12/2026"}, "date_from"),
    ({"date_to": "2026-02-30"}, "date_to"),
    ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
    ({"scenario": "no-such-scenario"}, "scenario"),
    ({"theme": "not-a-theme"}, "theme"),
    ({"facilitator": "nobody"}, "facilitator"),
    ({"workshop": "x" * 30}, "workshop"),
    ({"scenario": "s" * 5000}, "scenario"),
])
def test_bad_filters_come_back_as_errors_under_their_field(org_a, in_scope_a, data, field):
    filters, errors = parse(org_a.org, **data)
    assert set(errors) == {field}
    assert getattr(filters, field) in ("", None)


def test_the_other_organizations_workshop_and_facilitator_are_unknown_here(org_a, org_b, in_scope_a):
    theirs = factories.open_workshop(org_b, title="Globex session")
    _, errors = parse(org_a.org, workshop=theirs.public_id, facilitator=org_b.facilitator.username)
    assert set(errors) == {"workshop", "facilitator"}


def test_good_filters_are_read(org_a, workshop_a, library, in_scope_a):
    filters, errors = parse(org_a.org, date_from="2026-01-01", date_to="2026-01-31", scenario=library[0].slug,
                            theme=library[0].themes[0], facilitator=org_a.facilitator.username,
                            workshop=workshop_a.public_id)
    assert errors == {}
    assert filters.date_from == date(2026, 1, 1) and filters.workshop == workshop_a.public_id


def test_the_page_shows_the_errors_with_a_400_and_no_figures(client, org_a, workshop_a):
    add_people(workshop_a, 10)
    client.force_login(org_a.analyst)
    response = client.get(reverse("facilitator:reports"), {"date_from": "soon", "date_to": "<script>x</script>"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD" in body and "<script>x</script>" not in body
    assert "Overview" not in body
    for name in ("facilitator:reports_csv", "facilitator:reports_json", "facilitator:reports_pdf",
                 "facilitator:reports_people"):
        assert client.get(reverse(name), {"workshop": "nope"}).status_code == 400


def test_a_workshop_filter_counts_only_its_people(org_a, workshop_a, in_scope_a):
    other = factories.open_workshop(org_a, title="Second session")
    add_people(workshop_a, 6)
    add_people(other, 9)
    report = report_build(organization=org_a.org, filters=ReportFilters(workshop=other.public_id), use_cache=False)
    assert report.participants.value == 9 and report.workshops.value == 1


def test_a_date_range_counts_the_people_who_joined_in_it_both_days_included(org_a, workshop_a, in_scope_a):
    add_people(workshop_a, 6, joined=timezone.make_aware(datetime(2026, 3, 1, 0, 5)))
    add_people(workshop_a, 7, joined=timezone.make_aware(datetime(2026, 3, 31, 23, 55)))
    add_people(workshop_a, 8, joined=timezone.make_aware(datetime(2026, 4, 1, 0, 5)))
    march = ReportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert report_build(organization=org_a.org, filters=march, use_cache=False).participants.value == 13


def test_a_theme_filter_keeps_the_answers_to_scenarios_with_that_theme(org_a, workshop_a, library, in_scope_a):
    first, second = [ws.scenario for ws in workshop_a.workshop_scenarios.order_by("position")]
    only_second = [t for t in second.themes if t not in first.themes]
    add_people(workshop_a, 6, resonance=5, scenarios=[first])
    add_people(workshop_a, 6, resonance=2, scenarios=[second])
    report = report_build(organization=org_a.org, filters=ReportFilters(theme=only_second[0]), use_cache=False)
    rated = {r.key: r for r in report.resonance_by_source}["domain"]
    assert rated.people.value == 6 and rated.mean.value == pytest.approx(2.0)


def test_a_facilitator_filter_counts_the_workshops_they_ran(org_a, workshop_a, in_scope_a):
    add_people(workshop_a, 6)
    report = report_build(organization=org_a.org, filters=ReportFilters(facilitator=org_a.admin.username),
                          use_cache=False)
    assert report.participants.value == 0 and report.empty  # the admin ran none of them
    report = report_build(organization=org_a.org, filters=ReportFilters(facilitator=org_a.facilitator.username),
                          use_cache=False)
    assert report.participants.value == 6
