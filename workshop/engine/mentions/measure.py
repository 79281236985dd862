"""The repeated-phrase figure: a text's words within one clause, Korean words less their particles, and the
phrase of three words said most often."""

from __future__ import annotations

import re

from .. import korean
from .korean import _PARTICLE_START

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


def _grams(tokens: list[str], size: int = 3) -> list[tuple[str, ...]]:
    return [g for g in zip(*(tokens[i:] for i in range(size)), strict=False) if _BREAK not in g]


def _count(tokens: list[str]) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for gram in _grams(tokens):
        counts[gram] = counts.get(gram, 0) + 1
    return counts


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
