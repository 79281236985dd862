"""The audience of a strategy is the scene its analogy tells: "group" when the participant is among several others,
"one_to_one" when it is between them and one other person; both are offered where both can be written."""

from __future__ import annotations

import re
from functools import cache

import pytest

from workshop.engine import ProfileSpec, eligible_strategies, generate
from workshop.engine.vocabulary import FAMILY_WORDS, ROLES, WORLDS, lang_data

from .conftest import scenario

# Words that put several people in a scene, read on the written text (not on the engine's own annotation).
# (The opening sets the participant's world, "among people you have known for a while"; the scene is the story's.)
SEVERAL_EN = re.compile(r"\b(everyone|everybody|the others|a few others|nobody|all of them|their heads|heads turned|"
                        r"the room|the table|the list|round the|group|class|classmates|family|friends|cousins)\b", re.I)
SEVERAL_KO = ("모두", "다들", "아무도", "몇몇", "한 줄")


@cache
def group_words(language: str) -> tuple[str, ...]:
    """Every word the bank fills its {group} slot with: the group in a story, never in a one-to-one one."""
    if language == "en":
        sources = [FAMILY_WORDS.values(), (w["words"] for w in WORLDS.values()), (r["words"] for r in ROLES.values())]
    else:
        worlds = lang_data("worlds.yaml", "ko")
        sources = [(f["words"] for f in lang_data("families.yaml", "ko").values()),
                   (w["words"] for w in worlds["worlds"].values()), (r["words"] for r in worlds["roles"].values())]
    return tuple(sorted({words["group"] for source in sources for words in source if "group" in words}, key=len,
                        reverse=True))


def the_scene(text: str, language: str) -> str:
    """The scene a written analogy tells, read on its words: its story, before the bridge to the scenario."""
    story = text.rsplit("\n", 1)[0]
    if language == "ko":
        several = any(w in story for w in group_words("ko")) or any(m in story for m in SEVERAL_KO)
    else:
        several = any(re.search(rf"\b{re.escape(w)}\b", story, re.I) for w in group_words("en")) or bool(
            SEVERAL_EN.search(story))
    return "group" if several else "one_to_one"


def story_of(result) -> str:
    return result.text[: len(result.text) - len(result.bridge)] if result.text.endswith(result.bridge) else result.text


@pytest.mark.parametrize("traits, first", [({"extraversion": 6}, "group"), ({"extraversion": 2}, "one_to_one")])
def test_both_scenes_are_offered_where_both_can_be_written_the_participants_own_first(scenarios, traits, first):
    profile = ProfileSpec(domains=["church choir", "sourdough baking"], traits=traits)
    strategies = eligible_strategies(scenario(scenarios, "the-rota"), profile)
    for source in ("domain:faith", "domain:cooking_food", "universal:none"):
        offered = [s.rsplit(":", 1)[1] for s in strategies if s.startswith(source + ":")]
        assert offered[0] == first and set(offered) == {"group", "one_to_one"}, strategies
    assert len(strategies) <= 8


def test_a_scenario_done_by_the_people_around_the_person_offers_only_group_scenes(scenarios, profiles):
    for slug in ("lunch-without-priya", "the-accent-joke"):
        for profile in profiles.values():
            assert all(s.endswith(":group") for s in eligible_strategies(scenario(scenarios, slug), profile)
                       if not s.startswith("own_experience:"))


def test_a_chosen_scene_is_honoured_and_named_as_written(scenarios):
    profile = ProfileSpec(domains=["amateur football"], traits={"extraversion": 2})
    spec = scenario(scenarios, "too-old-for-the-app")
    one, group = "domain:team_sport:imagined:one_to_one", "domain:team_sport:imagined:group"
    assert {one, group} <= set(eligible_strategies(spec, profile))
    alone, among = generate(spec, profile, strategy=one), generate(spec, profile, strategy=group)
    assert (alone.strategy, among.strategy) == (one, group) and alone.text != among.text
    assert "the squad" not in story_of(alone)


def test_a_strategy_of_a_scene_the_scenario_cannot_have_is_refused(scenarios):
    profile = ProfileSpec(domains=["amateur football"])
    with pytest.raises(Exception, match="strategy"):
        generate(scenario(scenarios, "lunch-without-priya"), profile, strategy="domain:team_sport:imagined:one_to_one")


def test_an_own_memory_is_named_by_its_own_scene(scenarios, profiles):
    grandchild = eligible_strategies(scenario(scenarios, "blamed-for-the-outage"), profiles["grandchild"])
    assert grandchild == ["own_experience:family_caregiving:recalled:group"]  # "at grandmother's birthday"
    alone = ProfileSpec(experiences=[{"text": "My manager took me aside and said my idea was naive, then a week later "
                                              "presented it to me as his own plan."}])
    only = eligible_strategies(scenario(scenarios, "the-repeated-idea"), alone)
    assert len(only) == 1 and only[0].startswith("own_experience:") and only[0].endswith(":one_to_one")
