import pytest

from tests import factories
from workshop.scenarios.models import Scenario
from workshop.tenancy.scope import ScopeError, organization_scope, unscoped
from workshop.workshops.models import Workshop


def test_a_tenant_table_refuses_to_answer_with_no_scope_open(workshop_a):
    with pytest.raises(ScopeError):
        list(Workshop.objects.all())


def test_the_scope_shows_only_its_own_organizations_rows(org_a, org_b):
    a = factories.open_workshop(org_a, title="A's session")
    factories.open_workshop(org_b, title="B's session")
    with organization_scope(org_a.org.id):
        assert [w.title for w in Workshop.objects.all()] == [a.title]
    with organization_scope(org_b.org.id):
        assert Workshop.objects.filter(pk=a.pk).count() == 0


def test_an_empty_scope_matches_nothing(workshop_a):
    with organization_scope(None):
        assert Workshop.objects.count() == 0


def test_related_managers_are_scoped_too(org_a, org_b):
    a = factories.open_workshop(org_a)
    factories.joined_participant(a, "Mina", with_profile=False)
    with organization_scope(org_b.org.id):
        assert a.participants.count() == 0
    with organization_scope(org_a.org.id):
        assert a.participants.count() == 1


def test_the_built_in_library_is_shared_but_an_organizations_scenarios_are_not(org_a, org_b):
    from workshop.scenarios.services import scenario_import

    factories.builtin_scenarios()
    with organization_scope(org_a.org.id):
        scenario_import(organization=org_a.org, raw=_scenario_yaml("acme-only").encode())
        seen_by_a = set(Scenario.objects.values_list("slug", flat=True))
    with organization_scope(org_b.org.id):
        seen_by_b = set(Scenario.objects.values_list("slug", flat=True))
    assert "acme-only" in seen_by_a and "acme-only" not in seen_by_b
    assert "leaves-at-four" in seen_by_a and "leaves-at-four" in seen_by_b


def test_unscoped_is_the_explicit_way_to_see_everything(org_a, org_b):
    factories.open_workshop(org_a)
    factories.open_workshop(org_b)
    with unscoped():
        assert Workshop.objects.count() == 2


def _scenario_yaml(slug: str) -> str:
    words = " ".join(["Nadia waits while the team decides without her."] * 12)
    return f"""
slug: {slug}
title: Private scenario
narrative: {words}
perspective: {{name: Nadia, role: Nurse}}
emotions: [{{label: hurt, intensity: 0.7}}, {{label: frustration, intensity: 0.5}}]
themes: [exclusion]
discussion_prompts: ["What would you say?"]
"""
