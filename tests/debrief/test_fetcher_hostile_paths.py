"""The packet fetcher serves files under static/pdf only. Paths that carry an allowed suffix (.css, .svg, .png)
but lead elsewhere (up and out with '..', spelled '%2e%2e', absolute, or through a symlink) fetch nothing."""

from __future__ import annotations

import os

import pytest
from weasyprint import HTML

from tests.debrief.conftest import pdf_text
from workshop.debrief.render import PDF_STATIC_DIR, StaticOnlyFetcher

CANARY = "CANARYOUTSIDESTATICPDF"
STATIC_PDF_URI = PDF_STATIC_DIR.as_uri()
SITE_CSS = PDF_STATIC_DIR.parent / "css" / "site.css"  # a real stylesheet, outside static/pdf


@pytest.fixture
def outside(tmp_path):
    """Files with allowed suffixes outside any fetcher root: each would print the canary if it were loaded."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.css").write_text(f'body::before {{ content: "{CANARY}" }}')
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text y="15">{CANARY}</text></svg>')
    return folder


def hostile_urls(outside) -> list[str]:
    up = os.path.relpath(outside, PDF_STATIC_DIR)  # ../../../tmp/... from static/pdf
    assert SITE_CSS.is_file()
    return [
        f"{STATIC_PDF_URI}/../css/site.css",
        f"{STATIC_PDF_URI}/../../static/css/site.css",
        f"{STATIC_PDF_URI}/%2e%2e/css/site.css",
        f"{STATIC_PDF_URI}/%2E%2E/%2E%2E/static/css/site.css",
        f"{STATIC_PDF_URI}/..%2fcss%2fsite.css",
        f"{STATIC_PDF_URI}/{up}/secret.css",
        f"{STATIC_PDF_URI}/{up}/secret.svg",
        SITE_CSS.as_uri(),
        (outside / "secret.css").as_uri(),
        (outside / "secret.svg").as_uri(),
        f"file://{outside / 'secret.css'}",
        f"file:{outside / 'secret.css'}",
    ]


def test_paths_with_allowed_suffixes_that_leave_static_pdf_are_refused(outside):
    fetcher = StaticOnlyFetcher()
    urls = hostile_urls(outside)

    for url in urls:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == len(urls)
    # The same fetcher still serves what is really under static/pdf, however it is spelled.
    assert fetcher.fetch(f"{STATIC_PDF_URI}/packet.css").read().startswith(b"/*")
    assert fetcher.fetch(f"{STATIC_PDF_URI}/../pdf/packet.css").read().startswith(b"/*")


def test_a_symlink_inside_the_root_that_points_out_is_refused(tmp_path, outside):
    root = tmp_path / "pdf"
    root.mkdir()
    (root / "own.css").write_text("/* bundled */")
    (root / "link.css").symlink_to(outside / "secret.css")
    (root / "linked-folder").symlink_to(outside, target_is_directory=True)
    fetcher = StaticOnlyFetcher(root=root)

    for url in ((root / "link.css").as_uri(), (root / "linked-folder" / "secret.svg").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 2
    assert fetcher.fetch((root / "own.css").as_uri()).read() == b"/* bundled */"


def test_a_document_that_asks_for_those_paths_renders_without_them(outside):
    """Through WeasyPrint, which resolves each reference against the packet's base URL itself."""
    up = os.path.relpath(outside, PDF_STATIC_DIR)
    html = (f'<html><head><link rel="stylesheet" href="{up}/secret.css">'
            f'<link rel="stylesheet" href="{up.replace("..", "%2e%2e")}/secret.css">'
            f'<link rel="stylesheet" href="{(outside / "secret.css").as_uri()}"></head>'
            f'<body><p>Packet</p><img src="{up}/secret.svg" alt=""><img src="../css/site.css" alt=""></body></html>')
    fetcher = StaticOnlyFetcher()

    pdf = HTML(string=html, base_url=STATIC_PDF_URI + "/", url_fetcher=fetcher).write_pdf()

    text = pdf_text(pdf)[0]
    assert "Packet" in text and CANARY not in text
    assert len(fetcher.refused) == 5, fetcher.refused
