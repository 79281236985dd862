"""Small text helpers: sanitising participant text, tokenising, crude stemming, word counts."""

from __future__ import annotations

import functools
import re
import unicodedata

from .korean import has_hangul
from .korean import stems as korean_stems

# C0/C1 control characters, except tab/newline which become spaces when whitespace is collapsed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def clean(text: str, cap: int | None = None) -> str:
    """Strip control characters, collapse whitespace; emoji and RTL text stay as they are."""
    text = unicodedata.normalize("NFC", str(text))
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    if cap is not None and len(text) > cap:
        text = text[:cap].rstrip()
    return text


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters of any script, digits, inner apostrophes)."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def word_count(text: str) -> int:
    return len(text.split())


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately small stemmer: enough that dogs/dog, swimming/swim, blamed/blame meet."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""),
                         ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                break
            if suffix == "es" and not w.endswith(("ches", "shes", "xes", "sses", "zes")):
                w = w[:-1]
                break
            w = w[: len(w) - len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "ls":
                w = w[:-1]
            break
    if len(w) > 4 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]
    return w


@functools.lru_cache(maxsize=16384)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


def stems(text: str) -> list[str]:
    """Word stems; Korean (Hangul) text is read on its morphemes instead (see korean.stems)."""
    if has_hangul(text):
        return list(korean_stems(text))
    return list(_stems(text))


def contains_phrase(haystack: list[str], needle: tuple[str, ...]) -> bool:
    """True when the stem sequence `needle` occurs contiguously in `haystack`."""
    n = len(needle)
    if n == 0:
        return False
    if n == 1:
        return needle[0] in haystack
    if needle[0] not in haystack:
        return False
    first = needle[0]
    return any(haystack[i:i + n] == list(needle) for i, w in enumerate(haystack) if w == first)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
