"""What the scorer reads in one text, in English and Korean: feelings, valence, simple negation, contrast."""

import subprocess
import sys

import pytest

from workshop.learning.mood import MOOD_FEELINGS, text_mood


@pytest.mark.parametrize(("text", "feeling"), [
    ("I felt so lonely when they all went to lunch without me.", "loneliness"),
    ("Thank you, this was really useful.", "gratitude"),
    ("나만 빼고 점심을 먹으러 가서 외로웠어요.", "loneliness"),
    ("정말 고맙습니다.", "gratitude"),
    ("화가 많이 났어요.", "anger"),  # a word between the words of 화가 나다
])
def test_it_names_the_feeling_a_text_carries(text, feeling):
    assert text_mood(text).main_feeling == feeling


@pytest.mark.parametrize(("plain", "negated"), [
    ("I am happy about this.", "I am not happy about this."),
    ("I was worried.", "I wasn't worried at all."),
    ("좋았어요.", "안 좋았어요."),
    ("기뻤어요.", "기쁘지 않았어요."),
    ("걱정이 돼요.", "걱정이 없어요."),
    ("이해가 됐어요.", "이해가 안 됐어요."),
])
def test_a_negation_turns_the_valence_and_the_feeling_does_not_count(plain, negated):
    before, after = text_mood(plain), text_mood(negated)
    assert before.valence * after.valence < 0
    assert before.main_feeling is None or after.main_feeling != before.main_feeling


def test_what_follows_but_weighs_more():
    assert text_mood("It was sad, but I am hopeful.").valence > 0
    assert text_mood("힘들었지만 희망이 보여요.").valence > 0


def test_a_text_with_no_feeling_words_is_neutral():
    mood = text_mood("We met on Tuesday in room 4.")
    assert (mood.valence, mood.feelings, mood.polarity) == (0.0, {}, "neutral")


def test_english_text_never_loads_the_korean_analyser():
    code = ("from workshop.learning.mood import text_mood; from workshop.engine.korean import analyser_loaded; "
            "text_mood('I was glad to be asked, but not happy.'); assert not analyser_loaded()")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_moods_feelings_are_product_labels():
    from workshop.engine import EMOTIONS

    assert len(MOOD_FEELINGS) == 14
    assert set(MOOD_FEELINGS) <= set(EMOTIONS)
