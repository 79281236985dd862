"""Scenario files are untrusted uploads. Already proven in tests/scenarios/test_import.py: malformed JSON or
YAML, non-UTF-8 bytes and non-mapping content get a one-line reason; an invalid file imports nothing. Here: YAML
that asks to build Python objects, entity expansion (billion laughs), nesting deep enough to break a recursive
parser, too many scenarios, and huge uploads, each refused with a clear message and nothing imported."""

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.tenancy.test_scope import _scenario_yaml
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import MAX_IMPORT_BYTES, MAX_IMPORT_SCENARIOS, ScenarioFileError, scenario_import
from workshop.tenancy.scope import organization_scope, unscoped


def refused(org_a, raw: bytes, filename: str = "") -> str:
    with organization_scope(org_a.org.id), pytest.raises(ScenarioFileError) as error:
        scenario_import(organization=org_a.org, raw=raw, filename=filename)
    with unscoped():
        assert not Scenario.objects.filter(organization=org_a.org).exists(), "a refused file imported something"
    return str(error.value)


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system", "!!python/object:builtins.object"])
def test_yaml_python_tags_are_refused_and_never_run(org_a, tmp_path, tag):
    marker = tmp_path / "pwned"
    raw = f'{tag} ["touch {marker}"]\n' if "name:" not in tag and "object:" not in tag else f"slug: {tag} x\n"
    message = refused(org_a, raw.encode())
    assert "not valid JSON or YAML" in message and "constructor" in message
    assert not marker.exists()


def test_a_python_tag_inside_a_valid_scenario_is_refused_too(org_a):
    raw = _scenario_yaml("tagged").replace("title: Private scenario", "title: !!python/object/apply:os.getcwd []")
    assert "not valid JSON or YAML" in refused(org_a, raw.encode())


def billion_laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\n{_scenario_yaml('laughs').strip()}\ndiscussion_prompts: *a{levels}\n"


def test_billion_laughs_anchors_are_refused_without_expanding_them(org_a):
    # 9^10 strings if anything expanded the aliases; the file is refused after looking at one level.
    raw = billion_laughs().replace('discussion_prompts: ["What would you say?"]\n', "")
    message = refused(org_a, raw.encode())
    assert "discussion_prompts[0]" in message and "string" in message


def test_billion_laughs_in_a_field_that_does_not_exist_is_refused_by_name(org_a):
    message = refused(org_a, billion_laughs().replace("discussion_prompts: *a9", "extra: *a9").encode())
    assert "scenario.extra: unknown field" in message or "scenario.a0: unknown field" in message
    assert len(message) < 500  # one line naming a few fields, not the expanded document


@pytest.mark.parametrize("raw, filename", [
    ("x: " + "[" * 5000 + "]" * 5000, "deep.yaml"),
    ("[" * 100_000 + "]" * 100_000, "deep.json"),
    ("{\"a\": " * 50_000 + "1" + "}" * 50_000, "deep.json"),
])
def test_deeply_nested_files_get_a_clear_message_not_a_crash(org_a, raw, filename):
    assert refused(org_a, raw.encode(), filename) == "file: nested too deeply to be a scenario file"


def test_more_scenarios_than_the_limit_are_refused(org_a):
    one = yaml.safe_load(_scenario_yaml("many"))
    many = [{**one, "slug": f"many-{i}"} for i in range(MAX_IMPORT_SCENARIOS + 1)]
    assert refused(org_a, json.dumps(many).encode(), "many.json") == f"file: more than {MAX_IMPORT_SCENARIOS} scenarios"


def test_a_huge_upload_is_refused_on_the_page_without_reading_it_all(client, org_a, monkeypatch):
    import facilitator.scenarios as views

    seen = []
    real = views.scenario_import
    monkeypatch.setattr(views, "scenario_import", lambda **kw: seen.append(len(kw["raw"])) or real(**kw))
    client.force_login(org_a.facilitator)
    upload = SimpleUploadedFile("huge.yaml", b"# " + b"x" * (5 * MAX_IMPORT_BYTES), content_type="application/yaml")

    response = client.post(reverse("facilitator:scenarios"), {"file": upload})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in body and f"larger than {MAX_IMPORT_BYTES // 1024} KiB" in body
    assert seen == [MAX_IMPORT_BYTES + 1]
    with unscoped():
        assert not Scenario.objects.filter(organization=org_a.org).exists()
