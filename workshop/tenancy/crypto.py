"""Encryption at rest for organization secrets (the LLM API key), memories, reflections and participants' packets.
Fernet, keyed from the environment."""

import base64
import functools
import hashlib
import logging
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

log = logging.getLogger(__name__)


def _fernet() -> Fernet:
    # A dedicated key can be set so SECRET_KEY can rotate without losing stored API keys.
    return _fernet_for(os.environ.get("FIELD_ENCRYPTION_KEY") or settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _fernet_for(material: str) -> Fernet:
    """Built once per key: every memory and reflection read or written goes through here. Keyed by the
    material, so a changed SECRET_KEY or FIELD_ENCRYPTION_KEY takes effect at once."""
    digest = hashlib.sha256(b"empathy-workshop/field-encryption/" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_text(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        log.error("a stored secret cannot be decrypted: was FIELD_ENCRYPTION_KEY or SECRET_KEY changed?")
        return ""


def encrypt_bytes(plain: bytes) -> bytes:
    """A whole file (a participant's PDF packet) as one Fernet token."""
    return _fernet().encrypt(plain)


def decrypt_bytes(token: bytes) -> bytes:
    """The file back; raises ``InvalidToken`` when it was not encrypted with the current key."""
    return _fernet().decrypt(token)


class EncryptedTextField(models.TextField):
    """Text that is plain in Python and encrypted in the database (memories, reflections).

    The empty string stays empty so `exclude(field="")` keeps working; nothing else can be filtered on.
    """

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else value
