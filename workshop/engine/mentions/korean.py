"""Korean later mentions: short forms ("그 보컬"), "그분", "그들", "그곳", "그때", where a phrase ends, and the
particle after a replaced word."""

from __future__ import annotations

import re

from .. import korean
from .base import mention_data

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
