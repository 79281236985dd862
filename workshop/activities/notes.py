"""Near-duplicate notes merged, with counts: what the room's combined empathy map (and list of questions) shows.

A light reading, no model: each note becomes a set of content words (English: lower case, without the most
common function words, lightly stemmed; Korean: its content morphemes, read with kiwipiepy as the engine reads
them, workshop/engine/korean.py). Two notes are near-duplicates when their sets overlap by at least half
(Jaccard >= 0.5): "feels left out" meets "he feels left out of the team", 팀장이 무시했다 meets 팀장님한테
무시당함. A note with no content word (an emoji, "?") meets only the same text.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from workshop.engine import korean
from workshop.engine.textutil import stem, words

SIMILAR = 0.5

# Function words, and the verbs every note about a feeling carries ("feels", "thinks"), which say nothing
# about which feeling. Korean particles and endings are not content morphemes, so only the light verbs remain.
_ENGLISH_LIGHT = frozenset("""a an the and or but if so to of in on at by for with from about into over as than
then that this these those it its is are was were be been being am do does did done have has had will would
can could should may might must shall i me my mine you your yours he him his she her hers they them their
theirs we us our ours who whom whose which what when where why how not no nor just very really too also
feel feels felt feeling think thinks thought thinking maybe probably kind sort bit lot""".split())
_KOREAN_LIGHT = frozenset("느끼 느낌 생각 같 보 좀 너무 정말 진짜 그냥 많이 조금 다".split())


@dataclass(frozen=True)
class MergedNote:
    """One merged note: the text most of its writers used, how many people wrote it (or something close), and
    how many of them marked it as their own assumption."""

    text: str
    people: int
    assumptions: int = 0

    def as_dict(self) -> dict:
        return {"text": self.text, "people": self.people, "assumptions": self.assumptions}


@dataclass
class _Group:
    seed: frozenset[str]
    seed_form: str
    writers: set = field(default_factory=set)
    assumers: set = field(default_factory=set)
    forms: Counter = field(default_factory=Counter)  # normal form -> how many notes were written so
    written: dict = field(default_factory=dict)  # normal form -> the first note written so, as typed

    def takes(self, key: frozenset[str], form: str) -> bool:
        return similar(self.seed, key) or (not (self.seed and key) and self.seed_form == form)

    def merged(self) -> MergedNote:
        best = min(self.forms, key=lambda form: (-self.forms[form], len(form), form))
        return MergedNote(text=self.written[best], people=len(self.writers), assumptions=len(self.assumers))


def normal_form(text: str) -> str:
    """The note as compared word for word: compatibility forms folded, case folded, spaces collapsed, the
    punctuation around it dropped."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).strip(" .,!?;:…'\"“”‘’()[]-")


def content_words(text: str) -> frozenset[str]:
    """The note's content words in either language (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", text)
    if korean.has_hangul(folded):
        return frozenset(t for t in korean.stems(folded) if t not in _KOREAN_LIGHT and t not in _ENGLISH_LIGHT)
    return frozenset(stem(w) for w in words(folded) if w not in _ENGLISH_LIGHT and not w.isdigit())


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= SIMILAR


def notes_merge(notes: list[tuple[str, int, bool]]) -> list[MergedNote]:
    """``notes``: (text, writer, marked as an assumption). The merged notes, the most written first. Each note
    joins the first group whose first note it is similar to; the notes are read in the order of their normal
    forms, never in the order they came, so the same notes always merge the same way."""
    groups: list[_Group] = []
    for text, writer, assumed in sorted(notes, key=lambda n: (normal_form(n[0]), n[0], n[1])):
        form = normal_form(text)
        if not form:
            continue
        key = content_words(text)
        group = next((g for g in groups if g.takes(key, form)), None)
        if group is None:
            group = _Group(seed=key, seed_form=form)
            groups.append(group)
        group.writers.add(writer)
        if assumed:
            group.assumers.add(writer)
        group.forms[form] += 1
        group.written.setdefault(form, text)
    return sorted((g.merged() for g in groups), key=lambda m: (-m.people, normal_form(m.text)))
