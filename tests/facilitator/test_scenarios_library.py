"""Browsing the scenario library: filters by theme and feeling, preview, and who may see it."""

from django.urls import reverse

from tests import factories
from tests.tenancy.test_scope import _scenario_yaml
from workshop.scenarios.services import scenario_import
from workshop.tenancy.scope import unscoped


def titles(response) -> set[str]:
    return {s.title for s in response.context["scenarios"]}


def test_the_library_filters_by_theme_on_the_server(client, org_a):
    builtins = factories.builtin_scenarios()
    theme = builtins[0].themes[0]
    client.force_login(org_a.facilitator)
    response = client.get(reverse("facilitator:scenarios"), {"theme": theme})
    assert response.status_code == 200
    assert titles(response) == {s.title for s in builtins if theme in s.themes}
    assert len(titles(response)) < len(builtins) or all(theme in s.themes for s in builtins)


def test_the_library_filters_by_feeling_and_both_filters_combine(client, org_a):
    builtins = factories.builtin_scenarios()
    emotion = builtins[0].emotions[0]["label"]
    theme = builtins[0].themes[0]
    client.force_login(org_a.facilitator)
    by_feeling = client.get(reverse("facilitator:scenarios"), {"emotion": emotion})
    assert titles(by_feeling) == {s.title for s in builtins if any(e["label"] == emotion for e in s.emotions)}
    both = client.get(reverse("facilitator:scenarios"), {"emotion": emotion, "theme": theme})
    assert builtins[0].title in titles(both)
    assert titles(both) <= titles(by_feeling)


def test_an_unknown_filter_value_is_ignored(client, org_a):
    builtins = factories.builtin_scenarios()
    client.force_login(org_a.facilitator)
    response = client.get(reverse("facilitator:scenarios"), {"theme": "<script>", "emotion": "nope"})
    assert len(response.context["scenarios"]) == len(builtins)
    assert "&lt;script&gt;" not in response.content.decode()


def test_the_library_shows_own_scenarios_but_never_another_organizations(client, org_a, org_b):
    factories.builtin_scenarios()
    with unscoped():
        scenario_import(organization=org_a.org, raw=_scenario_yaml("acme-private").encode())
    client.force_login(org_a.facilitator)
    assert "Private scenario" in titles(client.get(reverse("facilitator:scenarios"), {"theme": "exclusion"}))
    client.force_login(org_b.admin)
    assert "Private scenario" not in client.get(reverse("facilitator:scenarios")).content.decode()


def test_an_analyst_does_not_get_the_library(client, org_a):
    client.force_login(org_a.analyst)
    assert client.get(reverse("facilitator:scenarios")).status_code == 404
    assert client.get(reverse("facilitator:scenario_new")).status_code == 404


def test_a_built_in_scenario_previews_read_only_with_duplicate_to_edit(client, org_a):
    builtin = factories.builtin_scenarios()[0]
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:scenario", args=[builtin.pk])).content.decode()
    assert builtin.title in page and "Duplicate to edit" in page
    assert reverse("facilitator:scenario_edit", args=[builtin.pk]) not in page
