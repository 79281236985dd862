"""The rewrite: each later mention of a referent said the first way that repeats no phrase a third time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textutil import capitalise
from .base import _SENTENCE_END, _WHERE, Referent
from .english import _CASES, _english_case, _english_people, _there, _within
from .korean import _KO_PEOPLE, _korean_boundary, _reparticle
from .measure import _count, _grams, _tokens
from .referents import split_people

FAR = 4  # sentences after which a person may be named in full again (once)
_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|「[^」]*」")


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


def vary(text: str, refs: list[Referent], language: str, bridge: str = "") -> str:
    """The text with later mentions of each referent varied (see the package's docstring). Of the ways to say a
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
