"""The listening lab's offline feedback: a listener's reflection graded on the three mechanisms of EPITOME
(Sharma, Miner, Atkins & Althoff, "A Computational Approach to Understanding Empathy Expressed in Text-Based
Mental Health Support", EMNLP 2020), each none, weak or strong, by rules in English and Korean.

- Emotional reactions: is a feeling named? A specific feeling word is strong; an allusion to one ("that's
  hard", "힘들었겠어요") or plain sympathy is weak.
- Interpretations: is the speaker's experience given back in the listener's words? A paraphrase long enough
  to carry content and addressed to the speaker is strong; a claim of understanding ("I get it"), advice, or a
  short or self-centred line is weak.
- Explorations: is there an open question? "What"/"how" (어떤/어떻게...) with some content is strong; a
  yes-or-no question, a "why" (which can sound like judging) or a stock follow-up ("and then?") is weak.

The words live in data/listening_words.yaml. The grades are the listener's alone (listening_services.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db import models
from django.utils.translation import gettext_lazy

WORDS = Path(__file__).with_name("data") / "listening_words.yaml"


class Mechanism(models.TextChoices):
    EMOTIONS = "emotional_reactions", gettext_lazy("Naming the feeling (emotional reactions)")
    INTERPRETATIONS = "interpretations", gettext_lazy("Giving it back in your words (interpretations)")
    EXPLORATIONS = "explorations", gettext_lazy("Asking an open question (explorations)")


class Grade(models.TextChoices):
    """EPITOME's three levels, in order; the rules, the observer's rating and the reports use these."""

    NONE = "none", gettext_lazy("not yet")
    WEAK = "weak", gettext_lazy("partly")
    STRONG = "strong", gettext_lazy("clearly")


GRADE_ORDER = [Grade.NONE, Grade.WEAK, Grade.STRONG]

# Enough words for a paraphrase to carry what was said, and for a question to be about something.
MIN_WORDS = {"en": {"paraphrase": 6, "question": 4}, "ko": {"paraphrase": 4, "question": 3}}

TIPS = {
    (Mechanism.EMOTIONS, Grade.NONE): gettext_lazy(
        "You did not name a feeling. Try “It sounds like you felt …” with one word for the feeling "
        "you heard."),
    (Mechanism.EMOTIONS, Grade.WEAK): gettext_lazy(
        "You hinted at a feeling. Naming it exactly (frustrated, left out, worried) shows you heard it."),
    (Mechanism.EMOTIONS, Grade.STRONG): gettext_lazy(
        "You named a feeling. Saying it tentatively (“it sounds like…”) lets them correct you."),
    (Mechanism.INTERPRETATIONS, Grade.NONE): gettext_lazy(
        "Give back what you heard in your own words, in a sentence or two."),
    (Mechanism.INTERPRETATIONS, Grade.WEAK): gettext_lazy(
        "Your paraphrase stays general or moves to advice. Give back their experience: “So when …, "
        "you …”."),
    (Mechanism.INTERPRETATIONS, Grade.STRONG): gettext_lazy(
        "You put their experience in your own words: the heart of reflective listening."),
    (Mechanism.EXPLORATIONS, Grade.NONE): gettext_lazy("Ask one open question about their experience."),
    (Mechanism.EXPLORATIONS, Grade.WEAK): gettext_lazy(
        "Your question can be answered with yes or no, or asks why, which can sound like judging. Try "
        "“what” or “how”."),
    (Mechanism.EXPLORATIONS, Grade.STRONG): gettext_lazy(
        "An open question invites them to say more. Then let them answer without stepping in."),
}


@dataclass(frozen=True)
class Reflection:
    paraphrase: str
    feeling: str
    question: str


def tip(mechanism: str, grade: str) -> str:
    return str(TIPS[(Mechanism(mechanism), Grade(grade))])


@cache
def _words() -> dict:
    return yaml.safe_load(WORDS.read_text(encoding="utf-8"))


@cache
def _pattern(name: str) -> re.Pattern | None:
    entries = _words()["en"].get(name, [])
    if not entries:
        return None
    return re.compile(r"(?<![\w'])(?:" + "|".join(sorted(entries, key=len, reverse=True)) + r")(?![\w'])")


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _lang(reflection: Reflection, language: str) -> str:
    """Korean when the reflection is written in Hangul (whatever the page's language), else the page's."""
    text = f"{reflection.paraphrase}{reflection.feeling}{reflection.question}"
    if _HANGUL.search(text):
        return "ko"
    return "ko" if (language or "").startswith("ko") and not re.search(r"[a-zA-Z]", text) else "en"


def _has(text: str, language: str, name: str) -> bool:
    if language == "ko":
        return any(word in text for word in _words()["ko"].get(name, []))
    pattern = _pattern(name)
    return bool(pattern and pattern.search(text))


def _starts(text: str, name: str) -> bool:
    """English: the text begins with one of the entries (a question's first words)."""
    pattern = _pattern(name)
    return bool(pattern and pattern.match(text))


def _clean(text: str) -> str:
    return " ".join((text or "").replace("’", "'").lower().split())


def _count(text: str) -> int:
    return len(text.split())  # English words, Korean 어절: both are separated by spaces


def emotional_reactions(reflection: Reflection, language: str) -> str:
    text = _clean(f"{reflection.feeling} {reflection.paraphrase}")
    if _has(text, language, "feelings"):
        return Grade.STRONG
    if _has(text, language, "vague") or _has(text, language, "sympathy"):
        return Grade.WEAK
    return Grade.NONE


def interpretations(reflection: Reflection, language: str) -> str:
    text = _clean(reflection.paraphrase)
    if not text:
        return Grade.NONE
    if _has(text, language, "advice"):
        return Grade.WEAK
    if _count(text) >= MIN_WORDS[language]["paraphrase"] and _has(text, language, "reflective"):
        return Grade.STRONG
    if _count(text) < 2 and not _has(text, language, "generic"):
        return Grade.NONE
    return Grade.WEAK


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[?.!\n])\s+", text) if s.strip()]


def _question_grade(sentence: str, language: str) -> str:
    text = _clean(sentence)
    bare = text.rstrip("?.! ")
    if not bare:
        return Grade.NONE
    asks = "?" in text
    if language == "ko":
        opened = _has(text, language, "open")
        why = _has(text, language, "why")
        asks = asks or opened or why or any(bare.endswith(e) for e in _words()["ko"]["question_endings"])
    else:
        opened = _starts(bare, "open")
        why = _starts(bare, "why")
        asks = asks or opened or why or _starts(bare, "closed")
    if not asks:
        return Grade.NONE
    if _has(bare, language, "generic_questions") and _count(bare) <= MIN_WORDS[language]["question"]:
        return Grade.WEAK
    if why or not opened:
        return Grade.WEAK
    return Grade.STRONG if _count(bare) >= MIN_WORDS[language]["question"] else Grade.WEAK


def explorations(reflection: Reflection, language: str) -> str:
    """The best question in the question field, or one asked in the other two fields."""
    candidates = _sentences(reflection.question)
    candidates += [s for s in _sentences(f"{reflection.paraphrase}\n{reflection.feeling}") if "?" in s]
    grades = [_question_grade(s, language) for s in candidates] or [Grade.NONE]
    return max(grades, key=GRADE_ORDER.index)


def reflection_grades(reflection: Reflection, *, language: str) -> dict[str, str]:
    """Each mechanism's grade for this reflection. ``language`` is the page's; the text's own script decides
    between the English and the Korean rules."""
    code = _lang(reflection, language)
    return {Mechanism.EMOTIONS: str(emotional_reactions(reflection, code)),
            Mechanism.INTERPRETATIONS: str(interpretations(reflection, code)),
            Mechanism.EXPLORATIONS: str(explorations(reflection, code))}


def grade_best(grades: list[str]) -> str:
    """The highest of some grades (a person's level over the rounds they listened)."""
    return max(grades, key=GRADE_ORDER.index) if grades else Grade.NONE
