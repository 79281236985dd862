"""synth_org builds a synthetic organization of the asked size, replaces its own, and never touches a real one."""

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from workshop.participants.models import Participant, Response
from workshop.reports.filters import ReportFilters
from workshop.reports.selectors import report_build
from workshop.tenancy.models import Membership, Organization
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.models import Workshop


def sizes(slug):
    with unscoped():
        org = Organization.objects.get(slug=slug)
    with organization_scope(org.id):
        return org, Workshop.objects.count(), Participant.objects.count(), Response.objects.count()


def test_it_builds_the_asked_size_with_both_conditions_and_a_personalization_effect(db):
    call_command("synth_org", slug="synth", participants=300, workshops=6, responses=600, seed=3)
    org, workshops, people, answers = sizes("synth")
    assert (workshops, people, answers) == (6, 300, 600)
    with organization_scope(org.id):
        roles = sorted(Membership.objects.values_list("role", flat=True))
        report = report_build(organization=org, filters=ReportFilters(), use_cache=False)
    assert roles.count("facilitator") == 6 and "analyst" in roles and "admin" in roles
    assert len(report.trends) >= 6  # spread over months
    assert report.effect_f1 is not None and report.effect_f1.g > 0


def test_running_it_again_replaces_the_synthetic_organization(db):
    call_command("synth_org", slug="synth", participants=50, workshops=2, responses=100)
    call_command("synth_org", slug="synth", participants=40, workshops=2, responses=80)
    assert sizes("synth")[1:] == (2, 40, 80)


def test_it_refuses_to_replace_an_organization_it_did_not_make(db):
    team = factories.organization_with_members("realco")
    with pytest.raises(CommandError, match="not made by synth_org"):
        call_command("synth_org", slug="realco", participants=10, workshops=1, responses=10)
    with unscoped():
        assert Organization.objects.filter(pk=team.org.pk).exists()


def test_the_demo_history_fills_a_real_organizations_report_once(org_a):
    from workshop.demo.builder import HISTORY_PARTICIPANTS, HISTORY_WORKSHOPS, build_history

    entry = {"organization": org_a.org, "users": [{"user": org_a.facilitator, "role": "facilitator"}]}
    assert build_history(entry=entry) == HISTORY_WORKSHOPS
    assert build_history(entry=entry) == 0, "a second demo run adds nothing"
    _org, workshops, people, _answers = sizes(org_a.org.slug)
    assert (workshops, people) == (HISTORY_WORKSHOPS, HISTORY_PARTICIPANTS)
    with organization_scope(org_a.org.id):
        report = report_build(organization=org_a.org, filters=ReportFilters(), use_cache=False)
        owners = set(Workshop.objects.values_list("owner_id", flat=True))
    assert report.participants.value == HISTORY_PARTICIPANTS and report.effect_f1 is not None
    assert owners == {org_a.facilitator.id}
