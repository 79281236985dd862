"""Test settings: the product's own settings, with local defaults so a bare `pytest` works too."""

import os

os.environ.setdefault("DEBUG", "1")

from workshop.settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; production keeps the default
