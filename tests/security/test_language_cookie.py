"""The language cookie, like every other cookie, is Secure under production settings (DEBUG off), HttpOnly (no
script reads it) and SameSite=Lax. Run in a fresh process, because the settings are read at start."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().post("/i18n/setlang/", {"language": "ko", "next": "/accounts/login/"}, secure=True,
                         HTTP_HOST="workshops.example.com")
cookie = response.cookies["django_language"]
print(json.dumps({"status": response.status_code, "value": cookie.value, "secure": bool(cookie["secure"]),
                  "httponly": bool(cookie["httponly"]), "samesite": cookie["samesite"]}))
"""


def test_under_production_settings_the_language_cookie_is_secure_httponly_and_lax(tmp_path):
    local_only = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECURE_COOKIES",
                  "SECURE_SSL_REDIRECT")
    env = {k: v for k, v in os.environ.items() if k not in local_only}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="workshops.example.com",
               DJANGO_SETTINGS_MODULE="workshop.settings", WORKSHOP_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    cookie = json.loads(result.stdout.strip().splitlines()[-1])
    assert cookie["status"] == 302 and cookie["value"] == "ko"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_locally_the_language_cookie_still_works_over_plain_http(db):
    browser = Client()
    cookie = browser.post("/i18n/setlang/", {"language": "ko", "next": "/accounts/login/"}).cookies["django_language"]
    assert cookie.value == "ko" and not cookie["secure"] and cookie["httponly"]
    assert '<html lang="ko">' in browser.get("/accounts/login/").content.decode()
