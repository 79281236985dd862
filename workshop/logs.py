"""Keeping participants' secrets out of the logs.

A participant's personal resume link (``/r/<token>/``) is a bearer secret: whoever reads it in a log can open
that person's memories and reflections. Every log line that names a URL goes through ``redact_urls`` first: the
resume token is replaced by ``-`` and query strings on participant routes (``/j/``, ``/r/``, ``/p/``) are
dropped. Two consumers: ``RedactTokensFilter`` for Django's loggers (``django.request``, ``django.server`` and
the rest, see LOGGING in settings) and ``RedactingGunicornLogger`` for gunicorn's access log
(``deploy/gunicorn.conf.py``).
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "-"
# The resume route's token segment, wherever it appears (path, request line, absolute Referer).
_RESUME_TOKEN = re.compile(r"(/r/)[^/?#\s\"']+")
# A participant route, and a query string on one: dropped whole.
_PARTICIPANT_ROUTE = re.compile(r"/(?:j|r|p)/")
_PARTICIPANT_QUERY = re.compile(r"(/(?:j|r|p)/[^?#\s\"']*)\?[^#\s\"']*")
# Request headers and environ entries that carry credentials: never logged, whatever the format asks for.
_SECRET_ATOMS = ("{cookie}i", "{authorization}i", "{http_cookie}e", "{http_authorization}e")


def redact_urls(text: str) -> str:
    """``text`` with every resume token and every participant route's query string taken out."""
    if "/r/" not in text and "?" not in text:
        return text
    return _RESUME_TOKEN.sub(rf"\g<1>{REDACTED}", _PARTICIPANT_QUERY.sub(r"\g<1>", text))


def _redact(value: object) -> object:
    return redact_urls(value) if isinstance(value, str) else value


class RedactTokensFilter(logging.Filter):
    """Redacts the message and its arguments of every record; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_urls(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact(value) for key, value in record.args.items()}
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger, with URLs redacted in every access-log atom (%(r)s, %(U)s, %(q)s, %(f)s, headers)."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = {key: _redact(value) for key, value in super().atoms(resp, req, environ, request_time).items()}
        if _PARTICIPANT_ROUTE.search(environ.get("PATH_INFO") or ""):
            atoms["q"] = atoms["{query_string}e"] = ""
        for key in _SECRET_ATOMS:
            if key in atoms:
                atoms[key] = REDACTED
        return atoms
