"""Control characters in an imported scenario file, refused by name of the field they sit in.

PostgreSQL refuses NUL in text and in JSON and cannot store a lone surrogate; SQLite keeps them, and none of
them belongs in a scenario. Tab and line breaks are fine.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# Both parsers refuse a raw control character before telling which field holds it. While parsing, each one
# stands in as a private-use character they accept (PARKED + its code), so the field can be named afterwards.
_PARKED = 0xF0000
_PARKED_CHARS = re.compile("[\U000F0000-\U000F009F]")


def _code(char: str) -> str:
    code = ord(char)
    return f"U+{code - _PARKED if code >= _PARKED else code:04X}"


def controls_park(text: str) -> tuple[str, str | None]:
    """The text with each raw control character parked, and which and where the first one is ("(U+0000) at
    line 3, column 8"), or None when there is none."""
    first = _CONTROL.search(text)
    if first is None:
        return text, None
    line = text.count("\n", 0, first.start()) + 1
    column = first.start() - text.rfind("\n", 0, first.start())
    parked = _CONTROL.sub(lambda m: chr(_PARKED + ord(m.group())), text)
    return parked, f"({_code(first.group())}) at line {line}, column {column}"


def _found(text: str, parked: bool) -> str | None:
    found = _UNWANTED.search(text) or (_PARKED_CHARS.search(text) if parked else None)
    return _code(found.group()) if found else None


def control_character_problem(data: object, where: str, *, parked: bool = False) -> str | None:
    """`<where>.<field>: contains a control character (U+0000); remove it` for the first string (a value or a
    key) holding one, else None. ``parked``: the text went through controls_park.

    Walks without recursion and visits an object shared by YAML aliases once, so neither deep nesting nor a
    billion-laughs file can make it expensive."""
    stack: list[tuple[object, str]] = [(data, where)]
    seen: set[int] = set()
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if code := _found(value, parked):
                return f"{path}: contains a control character ({code}); remove it"
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str) and (code := _found(key, parked)):
                    return f"{path}: a field name contains a control character ({code}); remove it"
                stack.append((item, f"{path}.{key}"))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(value))))
    return None
