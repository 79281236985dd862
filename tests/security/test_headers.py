"""Security headers on every page: a strict Content-Security-Policy the pages actually satisfy (no inline
script, style or event handler anywhere), no framing, no referrer to other sites, and HSTS plus secure
cookies with production settings."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.security.markup import inline_code
from tests.tenancy.test_isolation import BEARER, MEMBER, PARTICIPANT, PUBLIC, all_routes, url_for
from workshop.security import HEADER


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_the_policy_allows_our_own_origin_only_and_no_inline_code(settings):
    policy = directives(settings.CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == ["'self'"]
    for kind in ("script-src", "style-src"):
        assert policy[kind] == ["'self'"], kind  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_every_page_has_the_strict_policy_and_nothing_inline_for_it_to_block(client, world, org_a, as_participant):
    """Every route of the URLconf, fetched as the person it is for. A template that adds an inline script,
    a style="" or an onclick fails here, before a browser would silently refuse to run it."""
    strict = directives(client.get("/healthz").headers[HEADER])
    scanned, problems = set(), []

    def scan(name, response):
        assert response.headers.get(HEADER), f"no {HEADER} on {name}"
        assert directives(response.headers[HEADER]) == strict, name
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert response.headers["Referrer-Policy"] == "same-origin", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            scanned.add(name)
            problems.extend(f"{name}: {p}" for p in inline_code(response.content.decode()))

    routes = list(all_routes())
    for who, group in (("anonymous", PUBLIC | BEARER), ("admin", MEMBER), ("participant", PARTICIPANT)):
        client.logout()
        client.cookies.clear()
        if who == "admin":
            client.force_login(org_a.admin)
        elif who == "participant":
            as_participant(world["participant_token"])
        for name, params in routes:
            if name in group and name not in ("logout", "participants:resume", "participants:delete"):
                scan(name, client.get(url_for(name, params, world)))

    assert not problems, "inline code the Content-Security-Policy would block:\n" + "\n".join(problems)
    for page in ("login", "participants:join", "participants:home", "participants:scenario",
                 "facilitator:workshop_new", "facilitator:workshop", "facilitator:projector", "facilitator:monitor",
                 "facilitator:organization", "facilitator:scenario_new"):
        assert page in scanned, f"{page} was not rendered, so it was not checked"


def test_the_api_pages_get_the_relaxed_policy_that_still_forbids_framing(client, settings, db):
    relaxed = directives(settings.CONTENT_SECURITY_POLICY_RELAXED)
    assert relaxed["frame-ancestors"] == ["'none'"] and relaxed["object-src"] == ["'none'"]
    response = client.get("/api/v1/")
    assert directives(response.headers[HEADER]) == relaxed
    assert response.headers["X-Frame-Options"] == "DENY"
    assert directives(client.get("/apiary/").headers[HEADER]) == directives(settings.CONTENT_SECURITY_POLICY)


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
secure = client.get("/accounts/login/", secure=True, HTTP_HOST="workshops.example.com")
plain = client.get("/accounts/login/", HTTP_HOST="workshops.example.com")
print(json.dumps({
    "status": secure.status_code, "headers": dict(secure.headers),
    "csrf_cookie_secure": bool(secure.cookies["csrftoken"]["secure"]),
    "csrf_cookie_httponly": bool(secure.cookies["csrftoken"]["httponly"]),
    "plain_status": plain.status_code, "plain_location": plain.headers.get("Location", ""),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "participant_cookie_secure": settings.PARTICIPANT_COOKIE_SECURE,
}))
"""


def test_production_settings_send_hsts_redirect_to_https_and_mark_cookies_secure(tmp_path):
    local_only = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL",
                  "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SECURE_COOKIES")
    env = {k: v for k, v in os.environ.items() if k not in local_only}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="workshops.example.com",
               DJANGO_SETTINGS_MODULE="workshop.settings", WORKSHOP_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120,
                            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    headers = seen["headers"]
    assert seen["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert directives(headers[HEADER])["frame-ancestors"] == ["'none'"]
    assert directives(headers[HEADER])["script-src"] == ["'self'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert seen["csrf_cookie_secure"] and seen["csrf_cookie_httponly"]
    assert seen["session_cookie_secure"] and seen["participant_cookie_secure"]
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://workshops.example.com/")


@pytest.mark.parametrize("path", ["/", "/healthz", "/j/not-a-token/"])
def test_even_plain_and_error_pages_are_never_framed(client, db, path):
    response = client.get(path)
    assert directives(response.headers[HEADER])["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
