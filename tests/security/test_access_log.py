"""Participants' resume tokens never reach a log. The resume link trades its token for the cookie and redirects to
a token-free URL; gunicorn's access log (deploy/gunicorn.conf.py) shows the link as /r/-/ and drops query strings
on participant routes; Django's own request logging ("Not Found: /r/...") is redacted the same way. Proven on a
real gunicorn process with the production config file, reading the log files it writes."""

import logging
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config

from tests import factories
from tests.conftest import _database_url, wait_for
from workshop.logs import RedactingGunicornLogger, RedactTokensFilter, redact_urls

ROOT = Path(__file__).resolve().parents[2]


def test_redaction_takes_the_token_and_participant_query_strings_out_of_any_url():
    token = secrets.token_urlsafe(32)
    assert redact_urls(f"GET /r/{token}/ HTTP/1.1") == "GET /r/-/ HTTP/1.1"
    assert redact_urls(f"GET /r/{token}/?from=mail HTTP/1.1") == "GET /r/-/ HTTP/1.1"
    assert redact_urls(f"https://workshops.example.com/r/{token}/") == "https://workshops.example.com/r/-/"
    assert redact_urls("/p/s/1/?note=private") == "/p/s/1/"
    assert redact_urls("/j/abc/?code=1") == "/j/abc/"
    assert redact_urls("/f/reports/?date_from=2026-01-01") == "/f/reports/?date_from=2026-01-01"  # staff pages keep it


def test_the_gunicorn_logger_redacts_every_atom_a_format_could_name():
    token = secrets.token_urlsafe(32)
    logger = RedactingGunicornLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/r/{token}/?from=mail", "PATH_INFO": f"/r/{token}/",
               "QUERY_STRING": "from=mail", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": f"https://workshops.example.com/r/{token}/", "HTTP_COOKIE": f"ewt_participant={token}"}
    request = SimpleNamespace(headers=[("COOKIE", f"ewt_participant={token}"),
                                       ("REFERER", f"https://workshops.example.com/r/{token}/")])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", "/p/")])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    assert atoms["r"] == "GET /r/-/ HTTP/1.1" and atoms["U"] == "/r/-/" and atoms["q"] == ""
    assert not [key for key, value in atoms.items() if token in str(value) or "from=mail" in str(value)]


def test_the_django_filter_redacts_a_request_warning_as_django_logs_it():
    token = secrets.token_urlsafe(32)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s: %s",
                               ("Not Found", f"/r/{token}/"), None)
    assert RedactTokensFilter().filter(record) and record.getMessage() == "Not Found: /r/-/"
    server = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               (f"GET /r/{token}/?x=1 HTTP/1.1", "302", "0"), None)
    RedactTokensFilter().filter(server)
    assert token not in server.getMessage() and "/r/-/" in server.getMessage()


def test_the_resume_link_sets_the_cookie_and_redirects_to_a_url_without_the_token(org_a):
    workshop = factories.open_workshop(org_a)
    _participant, token = factories.joined_participant(workshop, "Private")
    response = Client().get(reverse("participants:resume", args=[token]) + "?from=mail")
    assert response.status_code == 302 and response["Location"] == reverse("participants:home")
    assert response.cookies["ewt_participant"].value == token
    assert "no-store" in response["Cache-Control"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, cookie: str = "") -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:  # not listening yet
        return 0


@pytest.mark.django_db(transaction=True)
def test_a_real_gunicorn_with_the_production_config_logs_no_token(org_a, tmp_path):
    workshop = factories.open_workshop(org_a)
    _participant, token = factories.joined_participant(workshop, "Private")
    bogus = secrets.token_urlsafe(32)
    port = free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict), "DEBUG": "1",
           "DJANGO_SETTINGS_MODULE": "tests.settings", "WORKSHOP_VAR_DIR": str(settings.VAR_DIR),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": str(access_log), "WEB_CONCURRENCY": "1",
           "GUNICORN_THREADS": "2"}
    with open(error_log, "w") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "workshop.wsgi", "-c", "deploy/gunicorn.conf.py"],
                                  cwd=ROOT, env=env, stdout=stderr, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: server.poll() is not None or get(f"{base}/healthz") in (200, 503), timeout=60,
                 what="gunicorn to answer")
        assert server.poll() is None, error_log.read_text()[-3000:]
        assert get(f"{base}/r/{token}/?from=mail") == 302
        assert get(f"{base}/p/?note=private", cookie=f"ewt_participant={token}") == 200
        assert get(f"{base}/r/{bogus}/") == 404
        wait_for(lambda: access_log.exists() and access_log.read_text().count("\n") >= 4, timeout=10,
                 what="the access log lines")
    finally:
        server.terminate()
        server.wait(timeout=30)
    time.sleep(0.1)
    logged = access_log.read_text() + error_log.read_text()
    for secret in (token, bogus, "from=mail", "note=private"):
        assert secret not in logged, f"{secret!r} reached a log"
    assert '"GET /r/-/ HTTP/1.1" 302' in logged and '"GET /p/ HTTP/1.1" 200' in logged
    assert "Not Found: /r/-/" in logged  # Django's own warning, through the redacting handler
