"""A story's people and places as referents, each with its later forms and pronoun, no two sharing a form."""

from __future__ import annotations

import re

from .. import korean
from .base import _WHERE, Referent, mention_data
from .english import english_forms, english_pronoun
from .korean import _place_kind, korean_forms, korean_pronoun

_AND = {"en": re.compile(r"\s+and\s+"), "ko": re.compile(r"(?<=[가-힣])[과와]\s+")}
_ALL = {"en": ("{first} and the others", "all of them")}


def split_people(phrase: str, language: str) -> list[str]:
    """"the coach and the squad" -> ["the coach", "the squad"]; "코치님과 팀 동료" -> ["코치님", "팀 동료"]."""
    return _AND["ko" if language == "ko" else "en"].split(phrase)


def referent(phrase: str, kind: str, language: str, aliases: tuple[str, ...] = ()) -> Referent:
    parts = split_people(phrase, language)
    if kind == "person" and len(parts) > 1 and phrase not in mention_data(language)["short"]:
        # several people named together: later "they", "the coach and the others", "all of them"
        first = referent(parts[0], kind, language).forms[:2] or (parts[0],)
        if language == "ko":  # "코치님과 다른 사람들", "그들"
            forms = tuple(dict.fromkeys([*(f"{korean.josa(name, '과/와')} 다른 사람들" for name in first), "그들"]))
        else:
            forms = tuple(dict.fromkeys(f.format(first=name) for name in first for f in _ALL["en"]))
        return Referent(phrase, kind, forms, "they" if language == "en" else "그들", aliases)
    if language == "ko":
        forms = korean_forms(phrase, kind)
        # the bank's Korean stories name a person again as "그 학부모" themselves: that is a later mention too
        own = tuple(f for f in forms[:1] if f.startswith("그 ") and kind == "person"
                    and f not in ("그 사람", "그 사람들"))  # "그 사람" may be anyone
        return Referent(phrase, kind, forms, korean_pronoun(phrase, kind), (*aliases, *own))
    return Referent(phrase, kind, english_forms(phrase, kind), english_pronoun(phrase, kind), aliases)


def referents(people: list[str], places: list[str], language: str,
              aliases: dict[str, tuple[str, ...]] | None = None, worlds: tuple[str, ...] = (),
              occasions: tuple[str, ...] = (), person: str = "") -> list[Referent]:
    """The story's people and places as referents; a short form that is another one's phrase or form is dropped
    (with "the coach" in the story, "another coach" is never shortened to "the coach")."""
    aliases = aliases or {}
    made: list[Referent] = []
    seen: set[str] = {a.lower() for group in aliases.values() for a in group}  # said as the one they stand for
    for phrase, kind in [*((p, "person") for p in people), *((p, _place_kind(p, language)) for p in places),
                         *((o, "occasion") for o in occasions), *((w, "world") for w in worlds)]:
        phrase = phrase.strip()
        if not phrase or phrase.lower() in seen or (phrase.lower().startswith(("that ", "this ", "그 "))
                                                    and phrase not in mention_data(language)["short"]):
            continue
        seen.add(phrase.lower())
        made.append(referent(phrase, kind, language, aliases.get(phrase, ())))
    # a phrase with a place inside it ("the door of the car park", "the people at the clubhouse") is left to the
    # place's own mentions, so that the place is not said in full once more inside it
    inner = [r.phrase.lower() for r in made if r.kind in _WHERE]
    made = [r for r in made if r.kind not in _WHERE or not any(
        q != r.phrase.lower() and re.search(r"\b(?:at|of|in|on|by)\s+" + re.escape(q) + r"(?![\w])", r.phrase.lower())
        for q in inner)]
    if person and language == "ko":
        # the scenario's person in the Korean bridge: by name, then by name again, then "그분"
        made.append(Referent(person, "name", (), "그분"))
    names = {r.phrase.lower(): r for r in made}
    # Two people (or places) must not share a later form. A first-choice form goes to the first one named (who did
    # it, then the leader, ...); another form only to one whose first choice it is not for someone else.
    said = {f.lower(): r.phrase for r in made for f in (r.phrase, *r.aliases) if r.kind != "world"}
    claimed: dict[str, str] = {}
    for r in made:
        if r.forms and r.forms[0].lower() not in claimed:
            claimed[r.forms[0].lower()] = r.phrase
    out = []
    for r in made:
        forms = []
        for i, f in enumerate(r.forms):
            key = f.lower()
            if said.get(key, r.phrase) != r.phrase or claimed.setdefault(key, r.phrase) != r.phrase:
                continue
            if i and key in names and names[key].kind != "world":
                continue
            forms.append(f)
        out.append(Referent(r.phrase, r.kind, tuple(forms), r.pronoun, r.aliases))
    return out
