"""Korean for the engine: morphemes (kiwipiepy, loaded lazily once per process), particles that agree with the
word before them, and retelling a participant's memory in the second person in one polite register (해요체).

Nothing here runs for English text: `has_hangul` is checked first, and the analyser is loaded on the first
Hangul text only. kiwipiepy and its model (kiwipiepy-model) are Apache-2.0."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff]")
_SYLLABLE_FIRST, _SYLLABLE_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # the final consonant index of ㄹ

_lock = threading.Lock()
_analyser: Any = None


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def analyser_loaded() -> bool:
    """Whether this process has loaded the Korean analyser (English never does)."""
    return _analyser is not None


def _kiwi() -> Any:
    global _analyser
    if _analyser is None:
        with _lock:
            if _analyser is None:
                from kiwipiepy import Kiwi  # imported here: ~1 s and ~300 MB, for Korean text only

                kiwi = Kiwi(num_workers=1, load_typo_dict=False, load_multi_dict=False)
                kiwi.tokenize("")  # finish the lazy initialisation inside the lock
                _analyser = kiwi
    return _analyser


@dataclass(frozen=True, slots=True)
class Morpheme:
    form: str
    tag: str  # Sejong tag without kiwi's irregular/regular suffix: NNG, VV, VA, JKS, EF...
    start: int
    end: int


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@functools.lru_cache(maxsize=65536)
def _sentence_morphemes(sentence: str) -> tuple[Morpheme, ...]:
    return tuple(Morpheme(t.form, t.tag.split("-")[0], t.start, t.start + t.len) for t in _kiwi().tokenize(sentence))


@functools.lru_cache(maxsize=16384)
def morphemes(text: str) -> tuple[Morpheme, ...]:
    """The text's morphemes, with offsets into the text. Analysed sentence by sentence, and each sentence is
    cached: the composer tries many texts made of the same sentences."""
    out: list[Morpheme] = []
    offset = 0
    for part in _SENTENCE_END.split(text):
        at = text.find(part, offset)
        if part:
            out += [Morpheme(m.form, m.tag, m.start + at, m.end + at) for m in _sentence_morphemes(part)]
        offset = at + len(part)
    return tuple(out)


_WORD = re.compile(r"\S+")


@functools.lru_cache(maxsize=65536)
def _word_morphemes(word: str) -> tuple[Morpheme, ...]:
    return tuple(Morpheme(t.form, t.tag.split("-")[0], t.start, t.start + t.len) for t in _kiwi().tokenize(word))


def word_morphemes(text: str) -> list[Morpheme]:
    """The text's morphemes read word (어절) by word, each word cached: what matching reads. A word reads the same
    wherever it stands, so a participant's word in a new sentence is never analysed twice (and never differently)."""
    out: list[Morpheme] = []
    for match in _WORD.finditer(text):
        at = match.start()
        out += [Morpheme(m.form, m.tag, m.start + at, m.end + at) for m in _word_morphemes(match.group(0))]
    return out


_CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "MAG", "VV", "VA", "SH", "SN"})
_LIGHT = frozenset({"하", "되", "있", "이", "그", "것", "수"})
# Compound nouns are also read as their first part, so 축구 meets 축구팀 and 조기축구회, 입원 meets 입원실.
_NOUN_SUFFIXES = ("동호회", "모임", "클럽", "카페", "교실", "팀", "회", "단", "대", "원", "장", "부", "반",
                  "실", "방", "관", "님", "들")


@functools.lru_cache(maxsize=16384)
def stems(text: str) -> tuple[str, ...]:
    """Content morphemes of a Korean (or mixed) text: nouns, verb and adjective stems, roots, adverbs, and any
    Latin word stemmed as English. "합창단에서" -> 합창단, "따돌렸다" -> 따돌리, "외로웠다" -> 외롭."""
    from .textutil import stem

    out: list[str] = []
    prefix = ""
    for m in word_morphemes(text):
        if m.tag == "XPN":  # 불안정, 무기력, 불공평: the prefix belongs to the word
            prefix = m.form
            continue
        if m.tag == "SL":
            out.append(stem(m.form.lower()))
        elif m.tag in _CONTENT_TAGS and m.form not in _LIGHT:
            # 서운하다 is read as 서운하 or as the root 서운 + 하: both meet at the root
            form = m.form[:-1] if m.tag in ("VA", "VV") and len(m.form) > 2 and m.form.endswith("하") else m.form
            form = prefix + form
            if m.tag in ("NNG", "NNP"):
                head = next((form[:-len(x)] for x in _NOUN_SUFFIXES if form.endswith(x) and len(form) - len(x) >= 2),
                            "")
                if head:
                    out.append(head)
            out.append(form)
        prefix = ""
    return tuple(out)


@functools.lru_cache(maxsize=16384)
def morpheme_string(text: str) -> str:
    """The morphemes' forms joined by spaces ("나 만 빼 고 가 었 다"): what Korean event patterns are written on."""
    return " " + " ".join(m.form.lower() for m in morphemes(text)) + " "


# --- particles ------------------------------------------------------------------------------------

_DIGIT_FINAL = {"0": 21, "1": _RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": _RIEUL, "8": _RIEUL, "9": 0}
_TENS = {1: 17, 2: 1, 3: 4}  # 십 (ㅂ), 백 (ㄱ), 천 (ㄴ); 만 and above end in ㄴ too
_TRAILING = re.compile(r"[\s\"'”’)\]}>.,!?…·~-]+$")


def final_consonant(word: str) -> int:
    """The index of the final consonant (받침) the word is read with: 0 for none, 8 for ㄹ. Digits are read as
    Sino-Korean numbers; a Latin word ending in m, n or ng is read with a final nasal, in l with ㄹ."""
    word = _TRAILING.sub("", word)
    if not word:
        return 0
    last = word[-1]
    code = ord(last)
    if _SYLLABLE_FIRST <= code <= _SYLLABLE_LAST:
        return (code - _SYLLABLE_FIRST) % 28
    if last.isdigit():
        digits = re.search(r"\d+$", word).group(0)
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros and digits.strip("0"):
            return _TENS.get(zeros, 4)
        return _DIGIT_FINAL.get(last, 0)
    low = word.lower()
    if low.endswith("l"):
        return _RIEUL
    if low.endswith(("m", "n", "ng")) or (low.endswith(("me", "ne")) and len(low) > 3):
        return 4
    return 0


# (form after a final consonant, form after a vowel). 으로/로 also takes 로 after ㄹ.
PARTICLES: tuple[tuple[str, str], ...] = (
    ("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"), ("이나", "나"), ("아", "야"),
    ("이랑", "랑"), ("이에요", "예요"), ("이었", "였"), ("이라고", "라고"), ("이라는", "라는"), ("이라", "라"),
    ("이란", "란"), ("이든", "든"), ("이며", "며"), ("으로서", "로서"), ("으로부터", "로부터"), ("이야", "야"),
    ("이죠", "죠"), ("이고", "고"), ("이지만", "지만"), ("이었고", "였고"), ("이었는데", "였는데"),
    ("이었어요", "였어요"), ("이네요", "네요"), ("이잖아요", "잖아요"), ("이라서", "라서"), ("인", "인"),
)
_BY_FORM = {form: pair for pair in PARTICLES for form in pair}


def particle(word: str, spec: str) -> str:
    """The particle of `spec` ("은/는", "이/가", "으로/로" or either form alone) that agrees with `word`."""
    first, _, second = spec.partition("/")
    pair = _BY_FORM.get(first) or _BY_FORM.get(second) or (first, second or first)
    after_consonant, after_vowel = pair
    final = final_consonant(word)
    if after_consonant.startswith("으로"):
        return after_vowel if final in (0, _RIEUL) else after_consonant
    return after_consonant if final else after_vowel


def josa(word: str, spec: str) -> str:
    """`word` with the particle that agrees with it: josa("합창단", "은/는") -> "합창단은"."""
    return word + particle(word, spec)


# A slot written as {slot:은/는} in a template, or a particle pair left after a word in any text.
PARTICLE_LEFTOVER = re.compile(r"[\w)]\s?(?:" + "|".join(f"{re.escape(a)}/{re.escape(b)}|{re.escape(b)}/{re.escape(a)}"
                                                     for a, b in PARTICLES if a != b) + r")")


_AFTER_CONSONANT = ("은", "을", "과", "으로")
_AFTER_VOWEL = ("는", "를", "와", "가", "로")
_NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "NP", "NR", "XSN"})
_EOJEOL_END = re.compile(r"(은|을|과|으로|는|를|와|가|로)(?=[\s.,!?…\"”’')]|$)")


def particles_disagree(text: str) -> list[str]:
    """Particles that do not agree with the word before them: "합창단는", "성가대을", "사람가", "운동장로". A word's
    last syllables count as a particle only where the analyser ends a noun right before them (so 먹는, 좋은 and
    결과 are not read as particles)."""
    return list(_particles_disagree(text))


@functools.lru_cache(maxsize=8192)
def _particles_disagree(text: str) -> tuple[str, ...]:
    bad: list[str] = []
    # nouns as written (누군가 is 누구 + ㄴ가 contracted: no particle follows a noun there)
    ends = {m.end for m in word_morphemes(text) if m.tag in _NOUN_TAGS and text[m.start:m.end] == m.form}
    for match in _EOJEOL_END.finditer(text):
        at, found = match.start(), match.group(1)
        if at == 0 or at not in ends or not (_SYLLABLE_FIRST <= ord(text[at - 1]) <= _SYLLABLE_LAST):
            continue
        final = (ord(text[at - 1]) - _SYLLABLE_FIRST) % 28
        if found == "로":
            wrong = final not in (0, _RIEUL)
        elif found == "으로":
            wrong = final in (0, _RIEUL)
        elif found in _AFTER_VOWEL:
            wrong = bool(final)
        else:
            wrong = not final
        if wrong:
            bad.append(text[max(0, at - 2):match.end()])
    return tuple(bad)


# --- the second person --------------------------------------------------------------------------

YOU = "당신"
_FIRST_PERSON = frozenset({"나", "저", "우리", "저희"})
_MY = frozenset({"내", "제"})
_PARTICLE_TAGS = ("JKS", "JKO", "JKB", "JKG", "JX", "JC", "JKC", "JKV", "JKQ")
_SPOKEN = {"ᆯ": "을/를", "ᆫ": "은/는", "를": "을/를", "는": "은/는", "가": "이/가", "와": "과/와", "랑": "이랑/랑",
           "로": "으로/로", "나": "이나/나", "야": "이야/야", "라고": "이라고/라고", "란": "이란/란"}
_POLITE_ENDINGS = frozenset({"다", "ᆫ다", "는다", "어", "아", "ᆸ니다", "습니다", "네", "지", "었다", "더라", "더라고",
                             "군", "구나", "ᆫ다고", "거든"})
_QUOTES = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|'[^']*'|「[^」]*」|『[^』]*』")


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTES.finditer(text)]


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(a <= at < b for a, b in spans)


def _swap_pronouns(text: str) -> str:
    """나는/내가/나를/내/저는/제가/저를/제/우리/저희 -> 당신 with particles that agree with it."""
    ms = morphemes(text)
    quotes = _quoted(text)
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(ms):
        m = ms[i]
        if m.tag == "MM" and m.form in _MY and not _inside(quotes, m.start):  # 내 친구들, read as a determiner
            edits.append((m.start, m.end, YOU + "의"))
        elif m.tag == "NP" and m.form in _FIRST_PERSON and not _inside(quotes, m.start):
            end, parts = m.end, []
            j = i + 1
            while j < len(ms) and ms[j].tag in _PARTICLE_TAGS and ms[j].start <= end:
                parts.append(ms[j].form)
                end = max(end, ms[j].end)
                j += 1
            word = YOU
            for form in parts:
                word += "의" if form == "의" else particle(word, _SPOKEN.get(form, form))
            edits.append((m.start, end, word))
            i = j
            continue
        i += 1
    for start, end, word in reversed(edits):
        text = text[:start] + word + text[end:]
    return text


def _eojeol_start(text: str, at: int) -> int:
    space = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at))
    return space + 1


def _polite(text: str) -> str:
    """Each sentence's plain or formal ending (갔다, 갔어, 갔습니다) in 해요체 (갔어요); quotes are left as said."""
    ms = morphemes(text)
    quotes = _quoted(text)
    edits: list[tuple[int, int, str]] = []
    for i, m in enumerate(ms):
        if m.tag != "EF" or _inside(quotes, m.start) or m.form not in _POLITE_ENDINGS:
            continue
        nxt = ms[i + 1] if i + 1 < len(ms) else None
        if nxt is not None and nxt.tag not in ("SF", "SE", "SS", "SW", "SO") and nxt.start < m.end + 2:
            continue  # an ending followed by more of the same word ("-다고") is not the sentence's end
        begin = _eojeol_start(text, m.start)
        parts = [p for p in ms[:i] if p.start >= begin]
        chain = _verbal_chain(parts)
        if not chain:
            continue
        first = chain[0]
        if first.tag == "VCP" and len(chain) == 1:  # 코치다 -> 코치예요, 학생이다 -> 학생이에요
            word = josa(text[begin:first.start] or text[begin:m.start], "이에요/예요")
        elif first.tag == "VCN" and len(chain) == 1:
            word = text[begin:first.start] + "아니에요"
        else:  # only the verb and its endings are rebuilt; the participant's nouns stay as they wrote them
            word = text[begin:first.start] + _kiwi().join([(p.form, p.tag) for p in chain] + [("어요", "EF")])
        edits.append((begin, m.end, word))
    for start, end, word in reversed(edits):
        text = text[:start] + word + text[end:]
    return text


_VERBAL = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "EP"})
_PREDICATE_STEMS = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"})


def _verbal_chain(parts: list[Morpheme]) -> list[Morpheme]:
    """The predicate at the end of a word (했 = 하 + 었, 이었): its stem and what follows, which an ending
    attaches to; [] when the word does not end in one."""
    chain: list[Morpheme] = []
    for p in reversed(parts):
        if p.tag not in _VERBAL:
            break
        chain.insert(0, p)
        if p.tag in _PREDICATE_STEMS:
            break
    return chain


def second_person(text: str) -> str:
    """A first-person memory retold to its writer: 나/저/우리 -> 당신 with agreeing particles, and every sentence
    ending in 해요체. Every other word stays as the participant wrote it."""
    return _polite(_swap_pronouns(text))


_CLAUSE_ENDINGS = frozenset({"고", "는데", "ᆫ데", "은데", "어서", "아서", "서", "지만", "면서", "으면서", "니까",
                             "으니까", "어", "아", "며", "으며", "다가", "자"})


def _clauses(sentence: str) -> list[tuple[int, int, Morpheme | None]]:
    """(start, end, connective ending) of each clause in one sentence, split after a connective ending that ends
    its word (not one an auxiliary verb follows: 가고 싶었다 is one clause)."""
    ms = morphemes(sentence)
    cuts: list[tuple[int, Morpheme]] = []
    for i, m in enumerate(ms):
        if m.tag != "EC" or m.form not in _CLAUSE_ENDINGS:
            continue
        nxt = ms[i + 1] if i + 1 < len(ms) else None
        if nxt is None or nxt.tag == "VX" or sentence[m.end:m.end + 1] not in (" ", ","):
            continue
        cuts.append((m.end, m))
    out, start = [], 0
    for end, m in cuts:
        out.append((start, end, m))
        start = end
    out.append((start, len(sentence), None))
    return out


def _ends_clause(text: str) -> str:
    """A clause that ended with a connective (알았는데) given a sentence ending instead (알았어요)."""
    text = text.rstrip(" ,")
    ms = morphemes(text)
    if not ms or ms[-1].tag != "EC":
        return text + "."
    begin = _eojeol_start(text, ms[-1].start)
    parts = [p for p in ms[:-1] if p.start >= begin]
    if not parts:
        return text + "."
    word = text[begin:parts[0].start] + _kiwi().join([(p.form, p.tag) for p in parts] + [("어요", "EF")])
    return text[:begin] + word + "."


def connect(sentence: str) -> str:
    """A sentence that ends in 해요체 given a connective instead, to run on into another clause: "계획을
    세웠어요." -> "계획을 세웠고"."""
    text = sentence.strip().rstrip(".!?…")
    ms = morphemes(text)
    ends = [i for i, m in enumerate(ms) if m.tag == "EF"]
    if not ends:
        return text
    last = ends[-1]
    begin = _eojeol_start(text, ms[last].start)
    chain = _verbal_chain([p for p in ms[:last] if p.start >= begin])
    if not chain:
        return text
    word = text[begin:chain[0].start] + _kiwi().join([(p.form, p.tag) for p in chain] + [("고", "EC")])
    return text[:begin] + word + text[ms[last].end:]


def without_named_feelings(text: str, names_feeling: Callable[[list[str]], bool]) -> str:
    """The retold memory less the clauses that name a feeling ("너무 서운했어요"): the analogy evokes the feelings,
    it never hands over their names. A sentence whose only clause names one is left out. `names_feeling` reads a
    clause's morphemes (vocabulary.korean_named)."""
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if not sentence or not names_feeling(list(stems(sentence))):
            if sentence:
                out.append(sentence)
            continue
        kept = [(a, b, m) for a, b, m in _clauses(sentence) if not names_feeling(list(stems(sentence[a:b])))]
        if not kept:
            continue
        joined = "".join(sentence[a:b] for a, b, _ in kept).strip()
        last = kept[-1]
        if last[2] is not None:  # the sentence's own ending went with the dropped clause
            joined = _ends_clause(joined)
        elif joined[-1:] not in ".!?…":
            joined += "."
        out.append(joined)
    return " ".join(out)


# --- measures ----------------------------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")


def hangul_share(text: str, exempt: tuple[str, ...] = ()) -> float:
    """The share of letters that are Hangul, not counting the participant's own typed names and words (`exempt`)."""
    exempted = _exempt_pattern(tuple(sorted({w for w in exempt if w and not has_hangul(w)}, key=len, reverse=True)))
    if exempted is not None:
        text = exempted.sub(" ", text)
    letters = len(_LETTER.findall(text))
    return len(_HANGUL.findall(text)) / letters if letters else 0.0


@functools.lru_cache(maxsize=1024)
def _exempt_pattern(words_: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words_:
        return None
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, words_)) + r")(?![A-Za-z])", re.IGNORECASE)


# --- a participant's own words as parts of a story -----------------------------------------------

def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def first_clause(text: str, limit: int = 14) -> str:
    """The first sentence, cut at a comma if it runs long, for the mapping."""
    sentence = (sentences(text) or [text])[0].rstrip(".!?…")
    if len(sentence.split()) > limit:
        sentence = sentence.split(",")[0]
    cut = sentence.split()
    return " ".join(cut[:limit]) + ("…" if len(cut) > limit else "")


_SUBJECT = ("JKS", "JX")
_TIME_NOUNS = frozenset("날 때 주 해 달 밤 낮 아침 저녁 점심 오늘 어제 작년 올해 내년 그날 그때 다음 처음 주말 "
                        "봄 여름 가을 겨울 방학 학기".split())


@functools.lru_cache(maxsize=4096)
def memory_who(text: str, actors: tuple[str, ...]) -> str:
    """Who did it in a memory, in the participant's own words ("지휘자", "합창단 친구들", "당신의 친구들"): the first
    person it names as a subject, else the first it names at all; "" when it names nobody."""
    ms = morphemes(text)
    found: list[tuple[int, int, str]] = []
    for i, m in enumerate(ms):
        if m.tag not in ("NNG", "NNP"):
            continue
        end = m.end
        j = i + 1
        while j < len(ms) and ms[j].tag == "XSN" and ms[j].start == end:
            end = ms[j].end
            j += 1
        word = text[m.start:end]
        if not any(word.startswith(a) or m.form == a for a in actors):
            continue
        rank = 0 if j < len(ms) and ms[j].tag in _SUBJECT else 1
        start, k = m.start, i - 1
        while k >= 0 and ms[k].tag == "NNG" and ms[k].end == start:  # a compound: 남자 + 애들
            start, k = ms[k].start, k - 1
        noun_before = ms[k].tag in ("NNG", "NNP") and ms[k].form not in _TIME_NOUNS if k >= 0 else False
        if k >= 0 and text[ms[k].end:start] == " " and (noun_before or (
                ms[k].tag == "MM" and ms[k].form not in _MY)):
            start = ms[k].start  # "합창단 친구들", "체육 선생님", "다른 코치들": what sets them apart is part of who
            k -= 1
            while k >= 0 and ms[k].tag == "NNG" and ms[k].end == start:  # "옆자리 선배들"
                start, k = ms[k].start, k - 1
        mine = (k >= 1 and ms[k].tag == "JKG" and ms[k - 1].tag == "NP" and ms[k - 1].form in _FIRST_PERSON) or (
            k >= 0 and ms[k].tag == "MM" and ms[k].form in _MY)
        phrase = text[start:end]
        found.append((rank, m.start, f"{YOU}의 {phrase}" if mine else phrase))
        if rank == 0:
            break
    return min(found)[2] if found else ""


_PLACE_SUFFIXES = ("장", "실", "관", "방", "당", "터", "원", "소", "점", "집", "단", "대", "팀", "회", "모임", "동호회",
                   "카페", "교실", "공원", "학교", "교회", "성당", "식당", "무대", "밴드", "크루", "길드")
_PLACE_NOUNS = frozenset("반 교실 학교 회사 사무실 집 공원 무대 절 회식 모임 파티 결혼식 공연 연주회 발표회 수업 "
                         "동아리 경기 대회 회의 행사 잔치 여행 캠핑 리그 훈련 연습 예배 미사 수련회 엠티 총회".split())
_NOT_PLACES = frozenset("사진 생각 마음 중 앞 뒤 사이 때 일 이유 말 얘기 이야기 기억 결과 동안 날 주말 시간 처음 "
                        "끝 자리 덕분 대신 탓 문제 기분 목소리 눈".split())


def memory_place(text: str) -> str:
    """Where a memory happened, as the participant named it ("동네 공원", "합창단", "회식"), or ""."""
    ms = morphemes(text)
    for i, m in enumerate(ms[1:], start=1):
        if m.tag != "JKB" or m.form not in ("에서", "에"):
            continue
        noun = ms[i - 1]
        if noun.tag not in ("NNG", "NNP") or noun.end != m.start or noun.form in _NOT_PLACES:
            continue
        if not noun.form.endswith(_PLACE_SUFFIXES) and noun.form not in _PLACE_NOUNS:
            continue  # 부산에서 서울로 전학: a city it started from is not where it happened
        start, k = noun.start, i - 2
        while k >= 0 and ms[k].tag in ("NNG", "NNP") and ms[k].end == start:  # a compound: 한글 + 학교
            start, k = ms[k].start, k - 1
        if k >= 0 and ms[k].tag in ("NNG", "NNP") and text[ms[k].end:start] == " " and \
                ms[k].form not in _NOT_PLACES and ms[k].form not in _TIME_NOUNS:
            start = ms[k].start
        return text[start:noun.end]
    return ""


_GROUP_SUFFIXES = ("팀", "단", "대", "회", "모임", "동호회", "클럽", "밴드", "교회", "성당", "반", "부", "크루", "길드")


def short_world(noun: str) -> str:
    """A domain, short, for later mentions: "아들 축구팀" -> "축구팀", "교회 성가대" -> "성가대"; an activity by
    its group or its thing: "직장인 밴드에서 기타 치기" -> "직장인 밴드", "주말마다 딸과 자전거 타기" -> "자전거"."""
    ms = morphemes(noun)
    if ms and ms[-1].tag == "ETN":
        group = memory_place(noun)
        if group:
            return group
        things = [m for m in ms if m.tag in ("NNG", "NNP")]
        return noun[things[-1].start:things[-1].end] if things else noun
    parts = noun.split()
    if len(parts) >= 2 and parts[-1].endswith(_GROUP_SUFFIXES) and (len(parts[-1]) >= 3 or len(parts) >= 3):
        return parts[-1]
    return noun


ROLE_WORDS = ("코치", "감독", "주장", "총무", "회장", "모임장", "부회장", "방장", "선생님", "강사", "교사", "학부모",
              "운영진", "반장", "리더", "매니저", "단장", "지휘자")
_ENDING_TAGS = ("EF",)


def domain_phrases(text: str) -> tuple[str, str, str]:
    """(noun phrase, activity, role word) for a Korean life domain: "아들 축구팀 코치" -> ("아들 축구팀", "", "코치");
    "주말마다 딸과 한강에서 자전거 타기" -> (the text, the text, ""); "저는 동네 합창단에서 테너를 맡고 있어요" ->
    ("동네 합창단", "", "")."""
    plain = text.strip().rstrip(".!?…")
    ms = morphemes(plain)
    if ms and ms[0].tag == "NP" and ms[0].form in _FIRST_PERSON:  # 저는 / 제 / 우리: the domain is theirs anyway
        cut = _eojeol_start(plain, ms[0].start)
        rest = plain[cut:].split(" ", 1)
        plain = rest[1] if len(rest) > 1 else plain
        ms = morphemes(plain)
    if any(m.tag in _ENDING_TAGS for m in ms):
        place = memory_place(plain)
        if place:
            return place, "", ""
        nouns = [m for m in ms if m.tag in ("NNG", "NNP")]
        return (plain[nouns[0].start:nouns[0].end] if nouns else plain), "", ""
    activity = plain if ms and ms[-1].tag == "ETN" else ""
    role_word = ""
    parts = plain.split()
    if len(parts) >= 2 and parts[-1] in ROLE_WORDS:
        role_word = parts[-1]
        plain = " ".join(parts[:-1])
    return plain, activity, role_word
