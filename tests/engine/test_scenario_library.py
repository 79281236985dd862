"""The built-in scenario library (written by the scenarios team) works with the engine for everyone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workshop.engine import generate, parse_scenario

LIBRARY = Path(__file__).resolve().parents[2] / "workshop" / "scenarios" / "library"
FILES = sorted(LIBRARY.glob("*.yaml")) if LIBRARY.is_dir() else []
SPEC_KEYS = ("slug", "title", "narrative", "perspective", "emotions", "themes", "discussion_prompts")


@pytest.mark.skipif(not FILES, reason="no scenario library in this checkout")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_library_scenario_gives_every_participant_a_checked_analogy(path, profiles):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("language", "en") != "en":
        pytest.skip("a Korean-first scenario: tests/engine's Korean tests cover it")
    spec = parse_scenario({k: data[k] for k in SPEC_KEYS if k in data}
                          | {"perspective": {k: v for k, v in data["perspective"].items()
                                             if k in ("name", "role", "pronouns")}})
    texts = set()
    for name, profile in profiles.items():
        result = generate(spec, profile)
        assert all(result.checks.values()), (name, result.checks)
        texts.add(result.text)
    assert len(texts) == len(profiles)
