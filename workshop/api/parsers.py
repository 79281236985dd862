"""The API's JSON parser: DRF's, with a limit on how deeply objects and arrays may nest.

Python's json module recurses once per level, so a body nested a few thousand levels deep raised
RecursionError (a 500). No request the API takes needs more than a handful of levels; a deeper body is a 400
in the API's error shape, naming the top-level field it was found under.
"""

from __future__ import annotations

import io
import json
import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, ParseError
from rest_framework.parsers import JSONParser, get_encoding

MAX_DEPTH = 32

# A JSON string (with its escapes) or one of the characters that open, close or key a level. The closing quote
# is optional so that an unterminated string ends the scan instead of being retried from every later quote.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}:]', re.DOTALL)


def json_too_deep(text: str, *, limit: int = MAX_DEPTH) -> tuple[bool, str | None]:
    """Whether ``text`` nests objects and arrays more than ``limit`` levels deep, and if so the top-level key
    under which it does (None for a top-level array). Brackets inside strings do not count. One pass, no
    recursion; text that is not JSON at all is left for the JSON parser to refuse."""
    if text.count("[") + text.count("{") <= limit:
        return False, None
    depth, field, last_string = 0, None, None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return True, field
        elif token in ("]", "}"):
            depth -= 1
        elif token == ":":
            if depth == 1 and last_string is not None:
                try:
                    field = json.loads(last_string)
                except ValueError:
                    field = None
        else:
            last_string = token
    return False, None


class DepthLimitedJSONParser(JSONParser):
    """Refuses a body nested deeper than MAX_DEPTH before the json module sees it; DRF's parser does the rest."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        text = raw.decode(get_encoding(parser_context or {}), errors="replace")
        too_deep, field = json_too_deep(text)
        if too_deep:
            message = _("The JSON is nested more than %(limit)d levels deep.") % {"limit": MAX_DEPTH}
            raise ParseError({field or "body": [ErrorDetail(message, code="too_deep")]})
        return super().parse(io.BytesIO(raw), media_type, parser_context)
