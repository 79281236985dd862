"""Later mentions of the story's people and places, for both languages: the first mention is the whole phrase
("the one who hosts game night", "공연을 잡아 오는 보컬"), later ones what a careful writer would say instead: a
short form ("the host", "그 보컬"), a pronoun where nobody else could be meant ("she" only for a phrase that says
she is a woman, "they" for a plural, "그분", "그곳"), "there" for a place after "in", "at" or "on", and now and then
the whole phrase again when it was named long ago. The bridge to the scenario's person names its place in full
once. Deterministic: the same text and referents give the same result.

The package by concern: base (the referent, the data files, what counts as a place), english and korean (each
language's short forms, pronouns and grammar), referents (a story's people and places as referents), vary (the
rewrite of later mentions), measure (the repeated-phrase figure)."""

from .base import Referent
from .english import english_pronoun
from .measure import most_repeated_phrase
from .referents import referents, split_people
from .vary import vary

__all__ = ["Referent", "english_pronoun", "most_repeated_phrase", "referents", "split_people", "vary"]
