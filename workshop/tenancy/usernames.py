"""Usernames: one spelling per name, and no name that looks like someone else's.

A username is stored and looked up normalized: NFKC, then case-folded (so ``Admin@x`` and a full-width
``ａdmin@x`` are ``admin@x``). A new name is also refused when it merely *looks* like an existing one
(Cyrillic ``а`` for Latin ``a``, ``1`` for ``l``): both are reduced to a skeleton, each character replaced
by one representative of its group of look-alikes, and the skeletons compared. The groups come from
Unicode's confusables data as shipped by ``confusable_homoglyphs``.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs.utils import load as load_confusables
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def username_normalize(name: str) -> str:
    """The one spelling a username is stored and looked up in."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


@cache
def _representatives() -> dict[str, str]:
    """Each confusable character -> one member of its group of look-alikes (ASCII lower case first)."""
    parent: dict[str, str] = {}
    seen: set[str] = set()

    def find(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    def preference(char: str) -> tuple:
        return (not (char.isascii() and not char.isupper()), not char.isascii(), ord(char))

    for char, glyphs in load_confusables("confusables.json").items():
        if len(char) != 1:
            continue
        for glyph in glyphs:
            other = glyph["c"]
            if len(other) != 1:
                continue  # sequences ("rn" for "m") are left to the reader's eye
            seen.update((char, other))
            a, b = find(char), find(other)
            if a != b:
                keep, drop = sorted((a, b), key=preference)
                parent[drop] = keep
    return {char: find(char) for char in seen}


def username_skeleton(name: str) -> str:
    """What a name looks like: two names with the same skeleton are look-alikes."""
    representatives = _representatives()
    mapped = "".join(representatives.get(char, char) for char in username_normalize(name))
    return username_normalize(mapped)


def username_validate_new(name: str) -> str:
    """The normalized name, if nobody has it or a look-alike of it; else a ValidationError that says so.

    Runs the user model's own username validators (allowed characters, length) on the normalized name.
    """
    user_model = get_user_model()
    normalized = username_normalize(name)
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    field.run_validators(normalized)
    skeleton = username_skeleton(normalized)
    for existing in user_model._default_manager.values_list(user_model.USERNAME_FIELD, flat=True).iterator():
        if existing == normalized or username_normalize(existing) == normalized:
            raise ValidationError(_("That username is taken."), code="taken")
        if username_skeleton(existing) == skeleton:
            raise ValidationError(_("That username looks too much like an existing one. Choose another."),
                                  code="confusable")
    return normalized


def normalize_on_save(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save of the user model: every way an account is made or renamed stores the normalized name.

    An old account whose normalized name another account already has keeps its spelling (it cannot sign in:
    see migration tenancy 0004), so that saving it (a password reset) is not an error.
    """
    field = sender.USERNAME_FIELD
    if update_fields is not None and field not in update_fields:
        return
    normalized = username_normalize(getattr(instance, field) or "")
    if normalized == getattr(instance, field):
        return
    if not instance._state.adding and sender._default_manager.filter(**{field: normalized}).exclude(
            pk=instance.pk).exists():
        return
    setattr(instance, field, normalized)
