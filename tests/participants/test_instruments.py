import pytest

from workshop.participants.answers import emotion_choices, identification_f1
from workshop.participants.instruments import TRAITS, instrument, memory_prompts


def keyed_answers(tool, *, high: bool) -> dict[str, int]:
    """Agree fully with positively keyed items and disagree fully with reverse-keyed ones (or the opposite)."""
    top, bottom = tool.scale_max, 1
    return {str(item.number): (bottom if item.reverse else top) if high else (top if item.reverse else bottom)
            for item in tool.items}


@pytest.mark.parametrize("instrument_id, items, per_trait, scale", [("mini_ipip", 20, 4, 5), ("tipi", 10, 2, 7)])
def test_each_instrument_has_its_items_keyed_to_the_big_five(instrument_id, items, per_trait, scale):
    tool = instrument(instrument_id)
    assert len(tool.items) == items and tool.scale_max == scale
    for trait in TRAITS:
        assert sum(item.key == trait for item in tool.items) == per_trait


@pytest.mark.parametrize("instrument_id", ["mini_ipip", "tipi"])
def test_reverse_keyed_items_are_flipped_so_consistent_answers_reach_the_ends_of_the_scale(instrument_id):
    tool = instrument(instrument_id)
    assert tool.score(keyed_answers(tool, high=True)) == {t: 7.0 for t in TRAITS}
    assert tool.score(keyed_answers(tool, high=False)) == {t: 1.0 for t in TRAITS}


def test_mini_ipip_scores_the_mean_of_four_items_stretched_to_one_to_seven():
    tool = instrument("mini_ipip")
    # Extraversion items 1 (+), 6 (-), 11 (+), 16 (-): answers 4, 2, 5, 1 -> 4, 4, 5, 5 -> mean 4.5 on 1..5
    score = tool.score({"1": 4, "6": 2, "11": 5, "16": 1})
    assert score["extraversion"] == round(1 + (4.5 - 1) * 6 / 4, 2) == 6.25
    assert score["openness"] == 4.0  # nothing answered yet: the middle


def test_tipi_scores_each_trait_from_its_pair_as_gosling_describes():
    tool = instrument("tipi")
    # Extraversion = mean(item 1, 8 - item 6); Emotional stability is the reverse of our neuroticism.
    score = tool.score({"1": 6, "6": 3, "4": 2, "9": 7})
    assert score["extraversion"] == (6 + 5) / 2
    assert score["neuroticism"] == (2 + 1) / 2


def test_the_pages_show_a_few_items_at_a_time():
    assert [len(instrument("mini_ipip").page_items(p)) for p in range(1, 5)] == [5, 5, 5, 5]
    assert instrument("tipi").pages == 2


def test_identification_is_scored_as_f1_against_the_target_feelings():
    assert identification_f1(["hurt", "anger"], ["hurt", "anger"]) == 1.0
    assert identification_f1(["hurt"], ["hurt", "anger"]) == pytest.approx(2 / 3)
    assert identification_f1(["joy"], ["hurt"]) == 0.0
    assert identification_f1([], ["hurt"]) == 0.0


def test_the_feelings_to_choose_from_hold_every_target_and_some_distractors_in_a_stable_order(workshop_a):
    from tests import factories
    from workshop.tenancy.scope import unscoped

    participant, _ = factories.joined_participant(workshop_a, "Ola", with_profile=False)
    other, _ = factories.joined_participant(workshop_a, "Per", with_profile=False)
    with unscoped():
        scenario = workshop_a.workshop_scenarios.first().scenario
    choices = emotion_choices(participant=participant, scenario=scenario)
    targets = [e["label"] for e in scenario.emotions]
    assert set(targets) <= set(choices) and len(choices) == len(targets) + 5
    assert choices == emotion_choices(participant=participant, scenario=scenario)
    assert choices != emotion_choices(participant=other, scenario=scenario)


def test_memory_prompts_follow_the_workshops_themes():
    prompts = memory_prompts(["exclusion", "caregiving"], "en")
    assert prompts[0] == "A time a decision about you was made without you"
    assert "A time you found out plans had been made without you" in prompts
    assert "A time you were pulled between two people who both needed you" in prompts
    assert memory_prompts(["exclusion"], "ko")[1] == "나만 빼고 계획이 세워졌다는 걸 알게 된 때"
