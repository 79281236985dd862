"""The analogize command's core: one JSON object out, or exit 2 with a one-line error naming the field."""

from __future__ import annotations

import json

import pytest
import yaml

from workshop.engine.cli import run

FIELDS = {"engine", "mode", "title", "text", "source", "mapping", "emotions", "bridge", "checks", "usage"}


@pytest.fixture
def files(tmp_path, raw_scenarios, raw_profiles):
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(raw_scenarios[0]), encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(raw_profiles["maya"], allow_unicode=True), encoding="utf-8")
    return tmp_path, scenario, profile


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_prints_one_json_analogy(files):
    _, scenario, profile = files
    code, out, err = run(["--scenario", str(scenario), "--profile", str(profile)])
    assert code == 0 and err == ""
    result = json.loads(out)
    assert FIELDS <= set(result)
    assert result["engine"] == "builtin" and result["mode"] == "personalized"
    assert result["source"]["kind"] in {"own_experience", "domain", "universal"}
    assert len(result["mapping"]) >= 3 and all(set(p) == {"scenario", "analogy"} for p in result["mapping"])
    assert result["text"].endswith(result["bridge"])


def test_generic_prints_the_generic_analogy(files):
    _, scenario, profile = files
    code, out, _ = run(["--scenario", str(scenario), "--profile", str(profile), "--generic"])
    assert code == 0
    assert json.loads(out)["mode"] == "generic" and json.loads(out)["source"]["kind"] == "universal"


def test_an_unknown_emotion_label_exits_2_naming_the_field(files, raw_scenarios):
    tmp_path, _, profile = files
    bad = dict(raw_scenarios[0], emotions=[{"label": "sadd", "intensity": 0.5}])
    scenario = write(tmp_path, "bad.json", json.dumps(bad))
    code, out, err = run(["--scenario", scenario, "--profile", str(profile)])
    assert (code, out) == (2, "")
    assert err == "error: scenario.emotions[0].label: unknown emotion 'sadd'\n"


def test_a_missing_field_exits_2_naming_it(files, raw_scenarios):
    tmp_path, _, profile = files
    bad = {k: v for k, v in raw_scenarios[0].items() if k != "narrative"}
    scenario = write(tmp_path, "bad.yaml", yaml.safe_dump(bad))
    code, _, err = run(["--scenario", scenario, "--profile", str(profile)])
    assert code == 2 and err == "error: scenario.narrative: missing field\n"


def test_malformed_json_exits_2_with_one_line(files):
    tmp_path, scenario, _ = files
    code, _, err = run(["--scenario", str(scenario), "--profile", write(tmp_path, "p.json", '{"name": ')])
    assert code == 2
    assert err.startswith("error: profile: malformed JSON") and err.count("\n") == 1


def test_malformed_yaml_exits_2_with_one_line(files):
    tmp_path, scenario, _ = files
    profile = write(tmp_path, "p.yaml", "domains: [a, b\n")
    code, _, err = run(["--scenario", str(scenario), "--profile", profile])
    assert code == 2 and err.startswith("error: profile: malformed YAML") and err.count("\n") == 1


def test_a_missing_file_exits_2(files):
    _, scenario, _ = files
    code, _, err = run(["--scenario", str(scenario), "--profile", "/nonexistent/profile.json"])
    assert code == 2 and err.startswith("error: profile: file not found")


def test_a_profile_that_is_not_an_object_exits_2(files):
    tmp_path, scenario, _ = files
    code, _, err = run(["--scenario", str(scenario), "--profile", write(tmp_path, "p.json", "[1, 2]")])
    assert code == 2 and err.startswith("error: profile: expected an object")


def test_a_bad_profile_field_exits_2_naming_it(files):
    tmp_path, scenario, _ = files
    profile = write(tmp_path, "p.json", json.dumps({"traits": {"openness": 12}}))
    code, _, err = run(["--scenario", str(scenario), "--profile", profile])
    assert code == 2 and err.startswith("error: profile.traits.openness:")


def test_missing_arguments_exit_2(files):
    _, scenario, _ = files
    code, _, err = run(["--scenario", str(scenario)])
    assert code == 2 and "--profile" in err and err.count("\n") == 1


def test_the_openai_engine_without_a_key_or_endpoint_says_what_is_missing(files, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    _, scenario, profile = files
    code, out, err = run(["--scenario", str(scenario), "--profile", str(profile), "--engine", "openai"])
    assert code == 1 and out == "" and err.startswith("error: engine:")


def test_emoji_and_rtl_come_out_as_text_not_escapes(tmp_path, raw_scenarios):
    scenario = write(tmp_path, "s.json", json.dumps(raw_scenarios[0]))
    profile = write(tmp_path, "p.json", json.dumps({"domains": ["choir 🎶 كورال"]}, ensure_ascii=False))
    code, out, _ = run(["--scenario", scenario, "--profile", profile])
    assert code == 0 and "🎶 كورال" in out and "🎶 كورال" in json.loads(out)["text"]
