"""The source bank: every relational theme x life-domain family offers at least two real situations."""

from __future__ import annotations

import pytest

from workshop.engine import DOMAIN_FAMILIES, THEMES
from workshop.engine.sources import bank, situations
from workshop.engine.textutil import word_count

RELATIONAL = [t for t, info in THEMES.items() if info["relational"]]


@pytest.mark.parametrize("theme", RELATIONAL)
@pytest.mark.parametrize("family", list(DOMAIN_FAMILIES))
def test_every_theme_and_family_cell_has_two_distinct_situations(theme, family):
    cell = situations(theme, family)
    texts = {s["text"] for s in cell}
    assert len(texts) >= 2
    for s in cell:
        for key in ("text", "who", "happened", "where", "title"):
            assert s[key] and "{" not in s[key] and "}" not in s[key], (theme, family, key, s[key])
        assert 20 <= word_count(s["text"]) <= 80
        assert s["text"][0].isupper() and s["text"].rstrip()[-1] in '.!?"'


@pytest.mark.parametrize("theme", RELATIONAL)
def test_every_theme_has_universal_situations_from_school_family_and_friends(theme):
    universal = bank(theme)["universal"]
    assert len({u["text"] for u in universal}) >= 2
    told = " ".join(u["text"].lower() for u in universal)
    assert "school" in told or "family" in told or "friend" in told
    for u in universal:
        assert {"who", "happened", "where", "title"} <= set(u)


def test_situations_differ_between_families():
    football = {s["text"] for s in situations("exclusion", "team_sport")}
    choir = {s["text"] for s in situations("exclusion", "music_performing")}
    assert not football & choir
