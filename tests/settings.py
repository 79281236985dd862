"""Test settings: the product's own settings, with local defaults so a bare `pytest` works too."""

import os

os.environ.setdefault("DEBUG", "1")
# The fake LLM server (tests/llm_server.py) listens on 127.0.0.1, which organizations may not reach by
# default: the tests allow it as an operator would an on-premises endpoint. Egress tests narrow it again.
os.environ.setdefault("LLM_ALLOWED_HOSTS", "127.0.0.1")

from workshop.settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; production keeps the default
