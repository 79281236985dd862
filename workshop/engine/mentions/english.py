"""English later mentions: short forms, pronouns and their case, "there" for a place, and a phrase inside a
place already named."""

from __future__ import annotations

import functools
import re

from ..vocabulary import MEMORY_ACTORS
from .base import _SENTENCE_END, _WHERE, mention_data

_CUT = re.compile(r"\s+(?:who|that|which|where|from|at|in|on|of|with|after|next|behind|above|near|around)\s+")
_ADJECTIVES = frozenset("new newer newest other old older eldest best close closest own usual dear".split())
_VAGUE = frozenset("one ones someone person people".split())
_DETERMINERS = frozenset("the your a an another".split())
_PLURAL = frozenset("people children men women others parents".split())
_COLLECTIVE = frozenset("team squad band choir cast crew group club circle guild society committee congregation "
                        "ensemble family class".split())


def _head(phrase: str) -> str:
    head = _CUT.split(phrase, maxsplit=1)[0].split()
    return head[-1].lower() if head else ""


def _plural(head: str) -> bool:
    return head in _PLURAL or (head.endswith("s") and not head.endswith(("ss", "us", "'s")))


def english_forms(phrase: str, kind: str) -> tuple[str, ...]:
    """Short forms of a person or place phrase, longest first: "the new bass player" -> ("the bass player", "the
    player"), "a teammate" -> ("that teammate", "the teammate"), "the back room of the pub" -> ("the pub",)."""
    data = mention_data("en")
    if phrase in data["short"]:
        return tuple(data["short"][phrase])
    place_of = re.match(r"^(?:the|your)\s+[\w' -]+?\s+of\s+((?:the|your)\s+.+)$", phrase)
    if kind in _WHERE and place_of:
        return (place_of.group(1),)
    group_of = re.match(r"^(?:a|the) group of (\w+)$", phrase)
    if group_of:
        return (f"the {group_of.group(1)}",)
    cut = _CUT.split(phrase, maxsplit=1)
    words = cut[0].split()
    if len(words) < 2 or words[0].lower() not in _DETERMINERS:
        return ()
    det, rest = words[0].lower(), words[1:]
    if rest[0].endswith(("'s", "’s")) and len(rest) > 1:  # "the club's coach" -> "the coach"
        det, rest = "the", rest[1:]
    head = rest[-1]
    if head.lower() in _VAGUE:
        return ("everyone there", "the others") if len(cut) > 1 and _plural(head.lower()) else ()
    shortest = (f"that {head}",) if len(rest) > 1 else ()  # "a newer member" -> ... "that member"
    if det in ("a", "an"):
        return (f"that {' '.join(rest)}", f"the {' '.join(rest)}", *shortest)
    if det == "another":
        return (f"the other {' '.join(rest)}", f"that {' '.join(rest)}", *shortest)
    out = []
    if len(cut) > 1 or rest[0] != words[1]:
        out.append(f"{det} {' '.join(rest)}")
    kept = [w for w in rest[:-1] if w.lower() not in _ADJECTIVES]
    if len(kept) < len(rest) - 1:
        out.append(" ".join([det, *kept, head]))
    if kept and not (kind != "person" and " ".join([det, *kept, head]) in data["whole"]):
        out.append(f"{det} {head}")
    outer = re.match(r"^.+?\s+(?:in|at|on|behind|above)\s+((?:the|your)\s+.+)$", phrase)
    if kind in _WHERE and outer:  # "the start line in the park" -> ... "the park"
        out.append(outer.group(1))
    return tuple(dict.fromkeys(f for f in out if f != phrase))


def english_pronoun(phrase: str, kind: str) -> str | None:
    """she/he only when the phrase's head noun says so; they for a plural; there for a place; else none."""
    if kind != "person":
        return "there" if kind in _WHERE else None
    head = _head(phrase)
    for pronoun, nouns in mention_data("en")["gender"].items():
        if head in nouns:
            return pronoun
    if _plural(head):
        return "they"
    return "them" if head in _COLLECTIVE else None  # "the choir": "them" after a verb or preposition, never "they"


_PREPOSITIONS = frozenset("to with from for of at on by about than like without behind beside around toward towards "
                          "against into onto among between near past under over through".split())
_OBJECT_VERBS = frozenset("saw see watched watch told tell asked ask thanked thank called call rang ring heard hear "
                          "met meet let made gave give trusted trust followed follow joined join helped help faced "
                          "face blamed blame".split())
_EITHER = frozenset("after before until since as".split())
_CONJUNCTIONS = frozenset("and but when that because while so if though although whether once".split())
_NOT_VERB = _PREPOSITIONS | frozenset("and or among".split())
_CASES = {"she": ("she", "her", "her"), "he": ("he", "him", "his"), "they": ("they", "them", "their"),
          "them": ("they", "them", "their")}


def _english_case(text: str, start: int, end: int) -> str | None:
    """How a pronoun in place of text[start:end] would be read: subj, obj or poss; None when it cannot be told."""
    if text[end:end + 2] in ("'s", "’s"):
        return "poss"
    before = text[:start].rstrip()
    prev_word = re.search(r"([\w']+)$", before)
    after = re.match(r"\s*([\w']+|[^\w\s])", text[end:])
    following = after.group(1).lower() if after else ""
    verb_next = following.isalpha() and following not in _NOT_VERB
    if not before or before[-1] in ".!?:;—(":
        return "subj" if verb_next else None
    if before[-1] == ",":
        return "subj" if verb_next else None
    if prev_word is None:
        return None
    prev = prev_word.group(1).lower()
    if prev in _EITHER:
        return "subj" if verb_next else "obj"
    if prev in _PREPOSITIONS or prev in _OBJECT_VERBS:
        return "obj"
    if prev in _CONJUNCTIONS:
        return "subj" if verb_next else None
    return None


@functools.cache
def _english_people() -> re.Pattern[str]:
    nouns = sorted({*MEMORY_ACTORS, "someone", "somebody", "anyone", "anybody", "everyone", "everybody", "person"},
                   key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, nouns)) + r")\b", re.IGNORECASE)


def _within(phrase: str, kind: str, language: str) -> tuple[str, str] | None:
    """(short, outer) for a phrase that says where it is inside something the story may already have named: "the
    sorting room at the food bank" -> ("the sorting room", "the food bank"), "the people at the clubhouse" -> ("the
    people there", "the clubhouse")."""
    if language != "en":
        return None
    match = re.match(r"^(.+?)\s+(?:at|of|in|on|behind|above)\s+((?:the|your)\s+.+)$", phrase)
    if not match or len(match.group(1).split()) < 2:
        return None
    short = match.group(1)
    if short.split()[-1].lower() in _VAGUE:
        short += " there"
    return short, match.group(2)


def _there(text: str, start: int, end: int) -> tuple[str, int] | None:
    """"there" for "in/at/on the place" (the preposition taken back), unless the sentence already says there."""
    prep = re.search(r"\b(in|at|on)\s+$", text[max(0, start - 4):start])
    if not prep:
        return None
    begin = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start), -1)
    stop = _SENTENCE_END.search(text, end)
    sentence_text = text[begin + 1: stop.end() if stop else len(text)].lower()
    if re.search(r"\bthere\b", sentence_text):
        return None
    return "there", len(prep.group(0))
