"""Later mentions of the story's people and places, for both languages: the first mention is the whole phrase
("the one who hosts game night", "공연을 잡아 오는 보컬"), later ones what a careful writer would say instead: a
short form ("the host", "그 보컬"), a pronoun where nobody else could be meant ("she" only for a phrase that says
she is a woman, "they" for a plural, "그분", "그곳"), "there" for a place after "in", "at" or "on", and now and then
the whole phrase again when it was named long ago. The bridge to the scenario's person names its place in full
once. Deterministic: the same text and referents give the same result."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import korean
from .textutil import capitalise
from .vocabulary import MEMORY_ACTORS, lang_data

FAR = 4  # sentences after which a person may be named in full again (once)
_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"”’']|$)")
_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|「[^」]*」")


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


# --- English -------------------------------------------------------------------------------------

_CUT = re.compile(r"\s+(?:who|that|which|where|from|at|in|on|of|with|after|next|behind|above|near|around)\s+")
_ADJECTIVES = frozenset("new newer newest other old older eldest best close closest own usual dear".split())
_VAGUE = frozenset("one ones someone person people".split())
_DETERMINERS = frozenset("the your a an another".split())
_WHERE = frozenset({"place", "occasion", "moment"})
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


# --- Korean --------------------------------------------------------------------------------------

_MODIFIER_ENDINGS = ("는", "던", "의", "은", "운", "온", "ㄴ", "한", "른", "인", "된", "갈", "할")


def korean_forms(phrase: str, kind: str) -> tuple[str, ...]:
    """"공연을 잡아 오는 보컬" -> ("그 보컬",), "다른 코치" -> ("그 코치",), "클럽 운영진" -> ("운영진",),
    "라이딩 중간에 쉬어 가는 편의점 앞" -> ("그 편의점 앞",): Korean phrases end with their head noun."""
    data = mention_data("ko")
    if phrase in data["short"]:
        return tuple(data["short"][phrase])
    words = phrase.split()
    if words[0] == "그" or phrase in data["whole"]:
        return ()
    if kind == "moment":
        return ()
    if len(words) < 2:  # "보컬" -> "그 보컬" (but "큰아버지" stays); a place of one word is "그곳" (korean_pronoun)
        keep = phrase.endswith("님") or phrase in data["family"]
        return (f"그 {phrase}",) if kind == "person" and not keep else ()
    size = 2 if words[-1] in data["positional"] else 1
    head, before = " ".join(words[-size:]), words[:-size]
    if not before:
        return ()
    if kind == "person" and head in data["generic"] and not before[-1].endswith(_MODIFIER_ENDINGS):
        # "자전거 동호회 사람들" -> "동호회 사람들" ("그 사람들" could be anyone, in anyone's story)
        return (f"{before[-1]} {head}",) if len(before) > 1 else (f"그 {head}",)  # "팀 동료" -> "그 동료"
    if kind != "person" or size == 2 or head in data["generic"] or before[-1].endswith(_MODIFIER_ENDINGS):
        short = f"그 {head}"
    else:
        short = head  # a compound: "클럽 운영진" -> "운영진"
    return (short,)


def korean_pronoun(phrase: str, kind: str) -> str | None:
    if kind != "person":  # "주말 훈련" is not somewhere to be; "친구들 사이" is a time as much as a place
        return {"place": "그곳", "moment": "그때"}.get(kind)
    if phrase.endswith("님"):
        return "그분"
    return "그들" if phrase.endswith("들") else None


_KO_PEOPLE = re.compile(r"누군가|다른 사람|사람들|친구|선생님|코치|감독|엄마|아빠|어머니|아버지|씨\b")
_PARTICLE_START = tuple(sorted({form for pair in korean.PARTICLES for form in pair} |
                               {"에게", "에서", "에", "의", "도", "만", "께", "한테", "처럼", "보다", "까지", "부터",
                                "조차", "마저", "밖에", "하고", "과", "와"}, key=len, reverse=True))


def _korean_boundary(text: str, end: int) -> bool:
    """A Korean phrase ends at `end` when what follows is not part of a longer word (a particle may follow)."""
    rest = text[end:]
    if not rest or not (rest[0].isalnum()):
        return True
    return rest.startswith(_PARTICLE_START)


def _reparticle(word: str, rest: str) -> tuple[str, int]:
    """The particle right after a replaced Korean word, agreeing with the new word: ("을", 1) for "그곳" + "를"."""
    for pair in sorted(korean.PARTICLES, key=lambda p: -max(len(p[0]), len(p[1]))):
        for form in sorted(pair, key=len, reverse=True):
            if form and rest.startswith(form):
                right = korean.particle(word, "/".join(pair))
                return right, len(form)
    return "", 0


def _place_kind(phrase: str, language: str) -> str:
    """A story's "where" is a moment when it names no place ("친구들 사이", "친구와의 대화")."""
    if language == "ko" and phrase.strip().endswith(tuple(mention_data("ko")["not_places"])):
        return "moment"
    return "place"


# --- both ----------------------------------------------------------------------------------------

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


@dataclass
class _State:
    count: int = 0
    fulls: int = 0
    turn: int = 0
    last_sentence: int = -10
    last_full_sentence: int = -10
    last_end: int = 0
    bridge_full: bool = False
    shortened: int = 0
    last_how: str = ""


def _matches(text: str, refs: list[Referent],
             language: str) -> tuple[list[tuple[int, int, Referent]], set[str]]:
    """Each referent's mentions, longest phrase first, none inside quoted speech; and the referents already met
    before their first mention outside it (in a quote, or, for several people named together, each on their own
    the first time: "운영진과 새로 들어온 회원" is its two people the first time it is said)."""
    quoted = [m.span() for m in _QUOTE.finditer(text)]
    taken: list[tuple[int, int, Referent]] = []
    met: set[str] = set()
    phrases = sorted(((p, r) for r in refs for p in (r.phrase, *r.aliases)), key=lambda x: -len(x[0]))
    for phrase, ref in phrases:
        body = re.escape(phrase[1:])
        first = phrase[0]
        pattern = f"(?<![\\w'’])[{re.escape(first.upper())}{re.escape(first.lower())}]{body}"
        if language == "en":
            pattern += r"(?![\w])"
        several = ref.kind == "person" and len(split_people(ref.phrase, language)) > 1 and phrase == ref.phrase
        for m in re.finditer(pattern, text):
            s, e = m.span()
            if language == "ko" and not _korean_boundary(text, e):
                continue
            if any(a <= s < b for a, b in quoted):
                if not any(t[2] is ref for t in taken):
                    met.add(ref.phrase)
                continue
            if any(s < b and a < e for a, b, _ in taken):
                continue
            if several and ref.phrase not in met:
                met.add(ref.phrase)
                continue
            taken.append((s, e, ref))
    return sorted(taken, key=lambda t: t[0]), met


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


def _grams(tokens: list[str], size: int = 3) -> list[tuple[str, ...]]:
    return [g for g in zip(*(tokens[i:] for i in range(size)), strict=False) if _BREAK not in g]


def _count(tokens: list[str]) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for gram in _grams(tokens):
        counts[gram] = counts.get(gram, 0) + 1
    return counts


def vary(text: str, refs: list[Referent], language: str, bridge: str = "") -> str:
    """The text with later mentions of each referent varied (see the module's docstring). Of the ways to say a
    mention, the first that would not make a phrase of three words come up a third time is taken."""
    if not refs:
        return text
    bridge_at = len(text) - len(bridge) if bridge and text.endswith(bridge) else len(text)
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]

    def sentence(at: int) -> int:
        return sum(1 for e in ends if e <= at)

    found, met = _matches(text, refs, language)
    # per mention, its sentence (the scenario's person, named in every bridge, does not make a sentence personal)
    sentences = [sentence(s) for s, _, r in found if r.kind != "name"]
    people = [(s, e, r) for s, e, r in found if r.kind == "person"]
    generic = [m.span() for m in (_english_people() if language == "en" else _KO_PEOPLE).finditer(text)]
    state = {r.phrase: _State() for r in refs}
    for r in refs:  # met before (in a quote, or as its people one by one): its next mention is a later one
        if r.phrase in met:
            at = next((sentence(s) for s, _, x in found if x is r), 0)
            state[r.phrase] = _State(count=1, fulls=1, last_sentence=at, last_full_sentence=at)
    # the bridge, with its place in full, is counted from the start so the story leaves room for it
    reserved = _count(_tokens(text[bridge_at:]))
    out: list[str] = []
    pos = 0
    generic_in: dict[int, int] = {}  # per sentence, the mentions said as a pronoun or "there"
    for start, end, ref in found:
        st = state[ref.phrase]
        here = sentence(start)
        in_bridge = start >= bridge_at
        written = text[start:end]
        if st.count == 0:
            within = _within(ref.phrase, ref.kind, language)
            options = [(written, 0, 0, "first")]
            if within and re.search(r"(?<![\w'])" + re.escape(within[1]) + r"(?!\w)", text[:start], re.I):
                options.insert(0, (within[0], 0, 0, "form"))  # where it is was said already
        elif in_bridge and ref.kind in _WHERE and not st.bridge_full:
            options = [(ref.phrase, 0, 0, "bridge"), *_later(text, start, end, ref, st, here, True, language,
                                                             people, generic)]
        elif ref.kind == "name":  # the scenario's person: "그분" from the third mention, unless the story said it
            said = "".join(out) + text[pos:start]  # of someone else
            options = [(ref.pronoun or written, 0, 0, "pronoun")] if st.count >= 2 and "그분" not in said else []
            dropped = re.match(r"(?:은|는|이|가)\s+", text[end:])
            if st.count >= 2 and dropped and not options:  # "지금 그분은" cannot be said: "지금 ... 있어요"
                options.append(("", 0, len(dropped.group(0)), "pronoun"))
            options.append((written, 0, 0, "full"))
        else:
            options = _later(text, start, end, ref, st, here, in_bridge, language, people, generic)
            if sentences.count(here) < 2 and (ref.forms or len(ref.phrase.split()) <= 2):
                # the only name in its sentence: a pronoun there would leave a sentence every participant gets, so
                # a short form, or a short name again, comes first
                options = [o for o in options if o[3] not in ("pronoun", "there")] + \
                          [o for o in options if o[3] in ("pronoun", "there")]
                if (language == "ko" and not in_bridge and len(ref.phrase.split()) <= 2
                        and not ref.phrase.startswith("다른")):
                    options.insert(0, (written, 0, 0, "full"))  # "라이딩 리더" again, while it is not said too often
        if in_bridge:
            reserved = {}
        before = "".join(out) + text[pos:start]
        counts = _count(_tokens(before))
        for gram, n in reserved.items():
            counts[gram] = counts.get(gram, 0) + n
        if generic_in.get(here) and any(o[3] not in ("pronoun", "there") for o in options):
            # one pronoun or "there" to a sentence: "You smiled at them through the rest of it there" is nobody's
            options = [o for o in options if o[3] not in ("pronoun", "there")] + \
                      [o for o in options if o[3] in ("pronoun", "there")]
        chosen = _least_repeated(options, counts, before, text[end:], language)
        new, back, ahead, how = chosen
        if how in ("pronoun", "there"):
            generic_in[here] = generic_in.get(here, 0) + 1
        _record(st, how, here, in_bridge)
        out.append(text[pos:max(pos, start - back)])
        if how != "first" and new[:1].islower() and written[:1].isupper() and language == "en":
            new = capitalise(new)
        out.append(new)
        if new == "그때" and text[end:].startswith("에서"):
            ahead = 2  # "친구들 사이에서 겪은 일" -> "그때 겪은 일"
        elif language == "ko" and new and new != written:
            right, size = _reparticle(new, text[end:])
            if size:
                out.append(right)
                ahead = size
        pos = end + ahead
        st.count += 1
        st.last_sentence, st.last_end = here, end
    out.append(text[pos:])
    return "".join(out)


def _least_repeated(options: list[tuple[str, int, int, str]], counts: dict[tuple[str, ...], int], before: str,
                    after: str, language: str) -> tuple[str, int, int, str]:
    """The first option whose words, with a word of context each side, say no phrase a third time; else the one
    that repeats least."""
    left = _tokens(before)[-1:]
    if language == "ko" and after[:1].strip():  # the particle is part of the mention's word, not the next word
        after = after.split(maxsplit=1)[1] if len(after.split(maxsplit=1)) > 1 else ""
    right = _tokens(after)[:1]
    scored = []
    for option in options:
        words_ = _tokens(option[0])
        context = (left if not option[1] else _tokens(before[: len(before) - option[1]])[-1:]) + words_ + right
        worst = max((counts.get(g, 0) for g in _grams(context)), default=0)
        if worst < 2:
            return option
        scored.append((worst, option))
    return min(scored, key=lambda item: item[0])[1] if scored else options[0]


def _record(st: _State, how: str, here: int, in_bridge: bool) -> None:
    st.last_how = how
    if how in ("first", "full", "bridge"):
        st.fulls += 1
        st.last_full_sentence = here
    if how == "bridge" or (how == "first" and in_bridge):
        st.bridge_full = True
    if how in ("pronoun", "there", "form"):
        st.turn += 1
    if how == "form":
        st.shortened += 1


def _later(text: str, start: int, end: int, ref: Referent, st: _State, here: int, in_bridge: bool, language: str,
           people: list[tuple[int, int, Referent]], generic: list[tuple[int, int]]) -> list[tuple[str, int, int, str]]:
    """The ways to say a later mention, preferred first: (text, characters taken back before the match,
    characters taken after it, how)."""
    near = here - st.last_sentence <= 1
    between = [r for s, _, r in people if st.last_end <= s < start and r.phrase != ref.phrase]
    between_generic = [s for s, e in generic if st.last_end <= s < start
                       and not any(a <= s < b for a, b, r in people)]
    alone = near and not between and not between_generic
    options: list[tuple[str, int, int, str]] = []
    # A person: a pronoun where nobody else was named since (never in the bridge, never on a second mention
    # made a sentence or more away: the reader meets the short form first).
    if ref.kind == "person" and ref.pronoun and alone and not in_bridge and (st.count >= 2 or here == st.last_sentence):
        if language == "en":
            case = _english_case(text, start, end)
            if case == "subj" and ref.pronoun == "them":
                case = None
            if case:
                word = _CASES[ref.pronoun][("subj", "obj", "poss").index(case)]
                options.append((word, 0, 2 if case == "poss" else 0, "pronoun"))
        elif st.count % 2 == 0:  # Korean: the short form and "그분" by turns
            options.append((ref.pronoun, 0, 0, "pronoun"))
    if (ref.kind == "person" and not in_bridge and st.fulls < 2 and here - st.last_full_sentence >= FAR
            and len(ref.phrase.split()) >= 3 and not ref.phrase.startswith(("a ", "an ", "another "))):
        options.append((ref.phrase, 0, 0, "full"))  # (someone met as "a close friend" is not "a close friend" again)
    there = None
    if ref.kind in _WHERE and ref.pronoun:
        found = _there(text, start, end) if language == "en" else (ref.pronoun, 0)
        there = (found[0], found[1], 0, "there") if found else None
    if there and (st.last_how != "there" or not ref.forms):
        options.append(there)
    if text[end:].startswith(" among"):  # "{who} among them": not "them among them"
        options = [o for o in options if not re.search(r"\b(?:them|they)\b", o[0])]
    k = st.shortened
    options += [(f, 0, 0, "form") for f in (*ref.forms[k % len(ref.forms):], *ref.forms[:k % len(ref.forms)])
                if not (text[end:].startswith(" among") and re.search(r"\b(?:them|they)\b", f))] if ref.forms else []
    if there and there not in options:
        options.append(there)
    options.append((text[start:end], 0, 0, "full"))
    return options


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


# --- the measure ---------------------------------------------------------------------------------

_KO_TRAILING = tuple(sorted(_PARTICLE_START, key=len, reverse=True))


_BREAK = "|"  # a phrase does not run across punctuation


def _tokens(text: str) -> list[str]:
    tokens = re.findall(r"[\w'’-]+|[.,;:!?…\"“”‘’()—]", text.lower())
    hangul = korean.has_hangul(text)
    out = []
    for token in tokens:
        if not (token[0].isalnum() or token[0] == "_"):
            out.append(_BREAK)
            continue
        if hangul:  # a Korean word less its particle: "보컬이" and "보컬에게" are one word
            for particle in _KO_TRAILING:
                if token.endswith(particle) and len(token) > len(particle) and korean.has_hangul(token):
                    token = token[: -len(particle)]
                    break
        out.append(token)
    return out


def most_repeated_phrase(text: str, size: int = 3) -> tuple[str, int]:
    """The phrase of `size` words said most often in one text, with its count: words within one clause (a phrase
    does not run across punctuation), Korean words read less their particles, and at least two of the words
    content words ("the food bank", "공연을 잡아 오는"; not "in front of")."""
    counts: dict[tuple[str, ...], int] = {}
    for gram in _grams(_tokens(text), size):
        if sum(1 for w in gram if w not in _FUNCTION_WORDS) >= 2:
            counts[gram] = counts.get(gram, 0) + 1
    if not counts:
        return "", 0
    gram, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return " ".join(gram), count


_FUNCTION_WORDS = frozenset(
    "a an and the of in on at to for from with by as into about than like so but or if when then that this these "
    "those what who whom which where while because before after until since once there here it its it's you your "
    "yours i me my we us our they them their he him his she her one ones all every each some any no not nobody "
    "nothing someone something everyone everything anyone anything was were is are be been being had have has did "
    "do does would could should will can may might must just only even also too very more most never ever always "
    "still front out up down off over away back again".split()) | frozenset(
    "그 이 저 당신 그곳 그때 그날 그분 그들 거기 정말 너무 다시 모두 다들 아무 더 다 안 못 또 좀 늘 한 "
    "앞 뒤 옆 밖 위 아래 사이 속".split())
