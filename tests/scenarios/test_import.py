import json

import pytest
import yaml
from django.urls import reverse

from tests import factories
from tests.tenancy.test_scope import _scenario_yaml
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import ScenarioFileError, scenario_export, scenario_import
from workshop.tenancy.scope import organization_scope, unscoped


def test_the_built_in_library_loads_at_least_twelve_scenarios_once(db):
    first = factories.builtin_scenarios()
    second = factories.builtin_scenarios()
    assert len(first) >= 12 and [s.pk for s in first] == [s.pk for s in second]
    themes = {t for s in first for t in s.themes}
    assert len(themes) >= 10


def test_an_invalid_file_names_the_field_and_imports_nothing(org_a):
    good = yaml.safe_load(_scenario_yaml("good-one"))
    bad = {**yaml.safe_load(_scenario_yaml("bad-one")), "emotions": [{"label": "sadd", "intensity": 0.5}]}
    with organization_scope(org_a.org.id):
        with pytest.raises(ScenarioFileError) as error:
            scenario_import(organization=org_a.org, raw=json.dumps([good, bad]).encode(), filename="x.json")
        assert "scenarios[1].emotions[0].label" in str(error.value)
        assert not Scenario.objects.filter(organization=org_a.org).exists()


@pytest.mark.parametrize("raw, expected", [
    (b"{not json", "not valid JSON or YAML"),
    (b"slug: [unclosed", "not valid JSON or YAML"),
    (b"- just\n- strings\n", "expected a mapping"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[]", "contains no scenario"),
])
def test_malformed_files_get_a_one_line_reason(org_a, raw, expected):
    with organization_scope(org_a.org.id), pytest.raises(ScenarioFileError) as error:
        scenario_import(organization=org_a.org, raw=raw)
    assert expected in str(error.value)


def test_missing_fields_are_named(org_a):
    data = yaml.safe_load(_scenario_yaml("no-title"))
    del data["title"]
    with organization_scope(org_a.org.id), pytest.raises(ScenarioFileError) as error:
        scenario_import(organization=org_a.org, raw=yaml.safe_dump(data).encode())
    assert "scenario.title" in str(error.value)


def test_export_then_import_round_trips_in_json_and_yaml(org_a, org_b):
    with organization_scope(org_a.org.id):
        original = scenario_import(organization=org_a.org, raw=_scenario_yaml("round-trip").encode())
        exported = {fmt: scenario_export(scenarios=original, fmt=fmt) for fmt in ("json", "yaml")}
    for fmt, text in exported.items():
        with organization_scope(org_b.org.id):
            again = scenario_import(organization=org_b.org, raw=text.encode(), filename=f"s.{fmt}")
        assert again[0].to_spec_dict() == original[0].to_spec_dict()


def test_changing_a_scenario_adds_a_version_and_a_workshop_keeps_the_one_it_saw(org_a):
    with organization_scope(org_a.org.id):
        v1 = scenario_import(organization=org_a.org, raw=_scenario_yaml("evolving").encode())[0]
        changed = _scenario_yaml("evolving").replace("title: Private scenario", "title: Private scenario, revised")
        v2 = scenario_import(organization=org_a.org, raw=changed.encode())[0]
        unchanged = scenario_import(organization=org_a.org, raw=changed.encode())[0]
        v1.refresh_from_db()
    assert (v1.version, v1.is_current, v2.version, v2.is_current) == (1, False, 2, True)
    assert unchanged.pk == v2.pk and v1.title == "Private scenario"


def test_the_import_page_shows_the_error_and_keeps_the_library_as_it_was(client, org_a):
    client.force_login(org_a.facilitator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.yaml", b"slug: only-a-slug\n", content_type="application/yaml")
    response = client.post(reverse("facilitator:scenarios"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in body and "scenario.title" in body
    with unscoped():
        assert not Scenario.objects.filter(organization=org_a.org).exists()
