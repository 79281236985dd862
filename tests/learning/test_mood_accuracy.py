"""The mood scorer reads the held-out sentences (written after its lexicon was frozen) better than always
answering the most frequent label, in both languages. The figures themselves are in docs/mood.md."""

import pytest

from tests.learning.mood_accuracy import measure, sentences


@pytest.mark.parametrize("language", ["en", "ko"])
def test_it_beats_the_majority_class_on_sentences_it_was_not_tuned_on(language):
    rows = sentences()[language]["heldout"]
    assert len(rows) >= 100
    accuracy = measure(rows, language, "heldout")
    assert accuracy.valence > accuracy.valence_baseline
    assert accuracy.feeling > accuracy.feeling_baseline


def test_every_labelled_sentence_uses_the_moods_own_labels():
    from workshop.learning.mood import MOOD_FEELINGS

    for splits in sentences().values():
        for rows in splits.values():
            for valence, feeling, text in rows:
                assert valence in {"positive", "negative", "neutral"}, text
                assert feeling in MOOD_FEELINGS, text
