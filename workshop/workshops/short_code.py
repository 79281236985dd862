"""The short join code: six characters read off the projector and typed on a phone at /go, leading to the
workshop's join link. It rotates with the join link (services.workshop_join_token_rotate).

What people type is forgiven what does not matter: case, spaces, dashes and dots, full-width letters from a
phone keyboard in another script. The alphabet (models.SHORT_CODE_ALPHABET) has no look-alike characters to
confuse, so nothing else is guessed."""
from __future__ import annotations

import unicodedata

from workshop.tenancy.scope import unscoped
from workshop.workshops.models import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, Workshop, new_short_code

TYPED_MAX = 40  # longer input is not a code: refused before it is read
_IGNORED = str.maketrans("", "", " -._\u00a0\u3000\t\n\r")


def short_code_normalize(typed: str) -> str | None:
    """The code as stored ("k7m-xq4 " -> "K7MXQ4"), or None when what was typed cannot be a code."""
    if not typed or len(typed) > TYPED_MAX:
        return None
    code = unicodedata.normalize("NFKC", typed).translate(_IGNORED).upper()
    if len(code) != SHORT_CODE_LENGTH or any(c not in SHORT_CODE_ALPHABET for c in code):
        return None
    return code


def short_code_shown(code: str | None) -> str:
    """The code as the projector prints it, in two groups of three for reading aloud ("K7M XQ4")."""
    if not code:
        return ""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def workshop_by_short_code(typed: str) -> Workshop | None:
    """The open workshop whose code this is. Like the join link, the code names its workshop before any
    organization is known: a deliberate unscoped read. Drafts and closed workshops are not found."""
    code = short_code_normalize(typed)
    if code is None:
        return None
    with unscoped():
        return Workshop.objects.filter(short_code=code, state=Workshop.State.OPEN).only(
            "id", "join_token", "organization_id").first()


def short_code_free() -> str:
    """A code no workshop has (one in 244 million collides; draw again then)."""
    while True:
        code = new_short_code()
        with unscoped():
            if not Workshop.objects.filter(short_code=code).exists():
                return code
