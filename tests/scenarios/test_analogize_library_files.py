"""`manage.py analogize` takes a library file with its other language in a block, and gives the engine the
version in the profile's language (the engine's own CLI contract is tested in tests/engine/test_cli.py)."""

import json

import pytest
import yaml
from django.core.management import call_command

from workshop.scenarios.services import LIBRARY_DIR


def analogize(capsys, tmp_path, scenario, profile: dict) -> tuple[int, dict | None, str]:
    profile_path = tmp_path / "profile.json"
    profile_path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    code = 0
    try:
        call_command("analogize", scenario=str(scenario), profile=str(profile_path))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else None, err


@pytest.mark.parametrize(("slug", "language", "person"), [
    ("leaves-at-four", "ko", "박준영"), ("leaves-at-four", None, "Daniel"),
    ("left-out-of-the-team-dinner", "en", "Seo-yoon Lee"), ("left-out-of-the-team-dinner", "ko", "이서윤"),
])
def test_a_library_file_is_read_in_the_profiles_language(capsys, tmp_path, slug, language, person):
    korean = language == "ko"
    profile = {"name": "민지" if korean else "Ana", "domains": ["교회 성가대" if korean else "choir"]}
    if language:
        profile["language"] = language
    code, result, err = analogize(capsys, tmp_path, LIBRARY_DIR / f"{slug}.yaml", profile)
    assert code == 0, err
    assert person in result["bridge"] or any(person in pair["scenario"] for pair in result["mapping"]), result


def test_a_bad_language_block_exits_2_with_one_line_naming_it(capsys, tmp_path):
    data = yaml.safe_load((LIBRARY_DIR / "leaves-at-four.yaml").read_text(encoding="utf-8"))
    data["ko"]["narrative"] = "가" * 5001
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, result, err = analogize(capsys, tmp_path, scenario, {"name": "민지", "language": "ko"})
    assert (code, result) == (2, None)
    assert err.startswith("error: scenario.ko.narrative: String should have at most 5000 characters")
    assert err.count("\n") == 1
