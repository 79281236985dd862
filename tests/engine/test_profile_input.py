"""Profile input: defaults, sanitising, and clear errors for bad or huge fields."""

from __future__ import annotations

import pytest

from workshop.engine import EngineInputError, ProfileSpec, parse_profile


def error_for(data: dict) -> str:
    with pytest.raises(EngineInputError) as info:
        parse_profile(data)
    return str(info.value)


def test_an_empty_profile_gets_middle_traits():
    profile = parse_profile({})
    assert profile.name == ""
    assert profile.traits.openness == 4 and profile.traits.neuroticism == 4
    assert profile.language == "en"


def test_it_rejects_unknown_fields():
    assert error_for({"shoe_size": 42}) == "profile.shoe_size: unknown field"
    assert error_for({"traits": {"humour": 5}}) == "profile.traits.humour: unknown field"


def test_it_rejects_traits_outside_one_to_seven():
    assert error_for({"traits": {"openness": 9}}).startswith("profile.traits.openness:")


def test_it_accepts_at_most_three_known_values():
    assert parse_profile({"values": ["Self direction", "power"]}).values == ["self_direction", "power"]
    assert "unknown value 'fame'" in error_for({"values": ["fame"]})
    assert error_for({"values": ["power", "security", "tradition", "hedonism"]}).startswith("profile.values:")


def test_it_drops_blank_strings_and_strips_control_characters():
    profile = parse_profile({"domains": ["  ", "foot\x00ball\n\n club", ""], "avoid": ["", "dogs"],
                             "experiences": [{"text": "   "}, "I sang\tin a choir"]})
    assert profile.domains == ["foot ball club"]
    assert profile.avoid == ["dogs"]
    assert [e.text for e in profile.experiences] == ["I sang in a choir"]


def test_it_rejects_huge_fields_naming_them():
    expected = "profile.domains[0]: String should have at most 200 characters"
    assert error_for({"domains": ["x" * 500]}) == expected
    assert error_for({"experiences": [{"text": "y" * 5000}]}).startswith("profile.experiences[0].text:")
    assert error_for({"domains": ["d"] * 11}).startswith("profile.domains:")
    assert error_for({"experiences": ["e"] * 6}).startswith("profile.experiences:")
    assert error_for({"avoid": ["a"] * 21}).startswith("profile.avoid:")


def test_it_keeps_emoji_and_rtl_text():
    profile = ProfileSpec(domains=["choir 🎶", "كرة القدم"])
    assert profile.domains == ["choir 🎶", "كرة القدم"]
