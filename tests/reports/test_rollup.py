"""The report reads its figures from per-workshop-and-day cells kept up to date from what changed (issue 15: a cold
report of 100,000 people within 500 ms): the figures are exactly those computed over every person, and an answer,
a join, a deletion or a deleted workshop is in the next report."""

import dataclasses
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.reports.conftest import add_people
from workshop.participants.answers import participant_delete_data
from workshop.reports import queries
from workshop.reports.filters import ReportFilters
from workshop.reports.models import ReportCell
from workshop.reports.report import report_as_dict
from workshop.reports.selectors import report_build
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


def report(org, filters=None) -> dict:
    built = report_as_dict(report_build(organization=org, filters=filters or ReportFilters(), use_cache=False))
    built.pop("generated")
    return built


def over_every_person(org, filters, monkeypatch) -> dict:
    """The same report without the cells: every figure computed from the people and their answers."""
    resolve = queries.selection_resolve
    with monkeypatch.context() as patched:
        patched.setattr("workshop.reports.selectors.selection_resolve",
                        lambda **kw: dataclasses.replace(resolve(**kw), cells=None))
        return report(org, filters)


@pytest.fixture
def room_history(org_a, in_scope_a):
    """Three workshops over two months, two facilitators' worth of people, both conditions, all steps."""
    spring = timezone.make_aware(datetime(2026, 3, 30, 23, 30))  # half an hour before April, in UTC
    first = factories.open_workshop(org_a, title="March")
    second = factories.open_workshop(org_a, title="April")
    third = factories.open_workshop(org_a, title="Stalled")
    add_people(first, 6, joined=spring)
    add_people(first, 5, condition="generic", joined=spring + timedelta(hours=1), pre_f1=0.5, post_f1=0.5,
               source_kind="universal", resonance=2)
    add_people(second, 7, post_f1=1.0, post_u=7, source_family="music")
    add_people(second, 2, pre_u=None, step="profile", analogy=False)
    add_people(third, 5, post_u=None, post_f1=None, resonance=None, step="scenarios")
    return first, second, third


@pytest.mark.parametrize("filters", [
    ReportFilters(),
    ReportFilters(date_from=datetime(2026, 3, 31).date()),
    ReportFilters(date_to=datetime(2026, 3, 30).date()),
    "workshop", "facilitator",
])
def test_the_cells_give_exactly_the_figures_computed_over_every_person(org_a, room_history, monkeypatch, filters):
    if filters == "workshop":
        filters = ReportFilters(workshop=room_history[1].public_id)
    elif filters == "facilitator":
        filters = ReportFilters(facilitator=org_a.facilitator.username)

    from_cells = report(org_a.org, filters)

    assert ReportCell.objects.exists()
    assert from_cells == over_every_person(org_a.org, filters, monkeypatch)


def test_what_changed_after_a_report_is_in_the_next_one(org_a, room_history, monkeypatch):
    first, second, third = room_history
    before = report(org_a.org)
    add_people(third, 3, pre_f1=0.0, post_f1=1.0)  # three more answer, in a workshop the cells already hold
    with unscoped():
        gone = first.participants.order_by("id").first()
        participant_delete_data(participant=gone)

    after = report(org_a.org)

    assert after["participants"]["value"] == before["participants"]["value"] + 3
    assert after["answered_before_and_after"]["value"] == before["answered_before_and_after"]["value"] + 3 - 1
    assert after == over_every_person(org_a.org, ReportFilters(), monkeypatch)


def test_a_deleted_workshop_takes_its_cells_with_it(org_a, room_history, monkeypatch):
    first, _second, _third = room_history
    report(org_a.org)
    with unscoped():
        Workshop.objects.filter(pk=first.pk).delete()

    assert not ReportCell.objects.filter(workshop_id=first.pk).exists()
    assert report(org_a.org) == over_every_person(org_a.org, ReportFilters(), monkeypatch)


def test_the_outsiders_cells_never_count(org_a, org_b, room_history):
    with unscoped():
        add_people(factories.open_workshop(org_b, title="Globex"), 40)

    assert report(org_a.org)["participants"]["value"] == 6 + 5 + 7 + 2 + 5
