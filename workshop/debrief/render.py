"""HTML -> PDF with WeasyPrint, behind a URL fetcher that can only read bundled static files."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_STATIC_DIR = Path(settings.BASE_DIR) / "static" / "pdf"

WORD_JOINER = "\u2060"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
_HANGUL_PAIR = re.compile(f"(?<=[{_HANGUL}])(?=[{_HANGUL}])")
_TEXT = re.compile(r">([^<]+)<")


def keep_korean_words(html: str) -> str:
    """Join the syllables of every Korean word in the body's text with WORD JOINERs, so lines break between
    words and never inside one (CSS word-break: keep-all, which WeasyPrint does not implement). Only text
    between tags changes: markup, attributes and the <head> (the PDF's title) stay as they are."""
    head, marker, body = html.partition("<body")
    if not marker:
        return html
    return head + marker + _TEXT.sub(lambda m: ">" + _HANGUL_PAIR.sub(WORD_JOINER, m.group(1)) + "<", body)


class StaticOnlyFetcher(URLFetcher):
    """Serves files under static/pdf/ and refuses everything else: no network, no other file, no data URI."""

    def __init__(self, root: Path = PDF_STATIC_DIR):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" and not parts.netloc else None
        if path is None or not path.is_relative_to(self.root) or not path.is_file():
            self.refused.append(url[:200])
            raise ValueError("refused: only bundled static files may be loaded")
        mime = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(path.suffix, "")
        if not mime:
            self.refused.append(url[:200])
            raise ValueError("refused: unexpected file type")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread (Pango's font map is not shared between threads), kept for every
    packet that thread renders: the fonts are found and loaded once, not for each of a workshop's 100 packets
    (an eighth of a participant packet's CPU, issue 15). The packets use only installed fonts, no @font-face."""
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render_pdf(template: str, context: dict, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Render a template to a tagged PDF (PDF/UA-1: title and language come from the template's <html>)."""
    html = keep_korean_words(render_to_string(template, context))
    document = HTML(string=html, base_url=PDF_STATIC_DIR.as_uri() + "/", url_fetcher=fetcher or StaticOnlyFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False, font_config=_font_config())
