"""What both languages share: the referent, the mentions data files (data/mentions.yaml, data/ko/mentions.yaml),
the kinds of referent that are somewhere, and where a sentence ends."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..vocabulary import lang_data

_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"”’']|$)")
_WHERE = frozenset({"place", "occasion", "moment"})


@dataclass(frozen=True)
class Referent:
    phrase: str  # the first, whole mention
    kind: str  # person | place | occasion ("the cup final", "주말 훈련") | world (the part of the participant's life
    # the story is in: "your salsa dancing") | name (the scenario's person, in the Korean bridge)
    forms: tuple[str, ...]  # later mentions, taken in turn
    pronoun: str | None  # she | he | they | 그분 | 그들 for a person, there | 그곳 for a place
    aliases: tuple[str, ...] = ()  # other phrases the story already uses for a later mention ("that teammate")


@functools.cache
def mention_data(language: str) -> dict:
    return lang_data("mentions.yaml", language)
