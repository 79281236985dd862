"""A NUL or another control character in an imported scenario file is refused with the field it sits in, and
nothing is imported (SQLite would store it; PostgreSQL refused it with a server error)."""

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.tenancy.test_scope import _scenario_yaml
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import ScenarioFileError, scenario_import
from workshop.tenancy.scope import organization_scope, unscoped

GOOD = yaml.safe_load(_scenario_yaml("controls"))


def refused(org, raw: bytes, filename: str = "") -> str:
    with organization_scope(org.org.id), pytest.raises(ScenarioFileError) as error:
        scenario_import(organization=org.org, raw=raw, filename=filename)
    with unscoped():
        assert not Scenario.objects.filter(organization=org.org).exists(), "a refused file imported something"
    return str(error.value)


def as_json(**changes) -> bytes:
    return json.dumps({**GOOD, **changes}).encode()


@pytest.mark.parametrize(("changes", "message"), [
    ({"narrative": GOOD["narrative"] + "\u0000"}, "scenario.narrative: contains a control character (U+0000)"),
    ({"title": "Private\u0007 scenario"}, "scenario.title: contains a control character (U+0007)"),
    ({"title": "Private \ud800 scenario"}, "scenario.title: contains a control character (U+D800)"),
    ({"perspective": {"name": "Na\u0000dia", "role": "Nurse"}}, "scenario.perspective.name: contains a control"),
    ({"discussion_prompts": ["Fine?", "Not\u001b[31m fine"]}, "scenario.discussion_prompts[1]: contains a control"),
    ({"emotions": [{"label": "hurt\u0000", "intensity": 0.7}]}, "scenario.emotions[0].label: contains a control"),
    ({"themes": ["exclusion", "\u007f"]}, "scenario.themes[1]: contains a control character (U+007F)"),
    ({"ti\u0000tle": "x"}, "scenario: a field name contains a control character (U+0000)"),
])
def test_an_escaped_control_character_is_refused_by_field(org_a, changes, message):
    assert refused(org_a, as_json(**changes), "s.json").startswith(message)


def test_a_raw_nul_byte_in_a_yaml_file_names_its_field(org_a):
    raw = _scenario_yaml("controls").replace("title: Private scenario", "title: Private\x00 scenario").encode()
    assert refused(org_a, raw) == "scenario.title: contains a control character (U+0000); remove it"


def test_a_raw_nul_byte_in_a_json_file_names_its_field(org_a):
    raw = json.dumps([GOOD, {**GOOD, "slug": "second"}]).encode()
    second_narrative = raw.rindex(b"Nadia waits")
    raw = raw[:second_narrative] + b"\x00" + raw[second_narrative:]
    assert refused(org_a, raw, "s.json") == "scenarios[1].narrative: contains a control character (U+0000); remove it"


def test_a_control_character_outside_any_field_says_where_it_is(org_a):
    raw = ("\x00" + _scenario_yaml("controls")).encode()
    assert refused(org_a, raw) == "file: contains a control character (U+0000) at line 1, column 1; remove it"


def test_tabs_and_line_breaks_are_fine(org_a):
    narrative = GOOD["narrative"] + "\n\nShe writes it down.\tLater\r\nshe asks."
    with organization_scope(org_a.org.id):
        [scenario] = scenario_import(organization=org_a.org, raw=as_json(narrative=narrative), filename="s.json")
    assert "She writes it down." in scenario.narrative


def test_the_import_page_names_the_field_and_keeps_the_library_as_it_was(client, org_a):
    client.force_login(org_a.facilitator)
    upload = SimpleUploadedFile("nul.json", as_json(narrative=GOOD["narrative"] + "\u0000"))
    response = client.post(reverse("facilitator:scenarios"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in body and "scenario.narrative: contains a control character (U+0000)" in body
    with unscoped():
        assert not Scenario.objects.filter(organization=org_a.org).exists()
