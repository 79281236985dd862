"""The participant packet renders as a real, tagged PDF, and nothing in it can fetch or inject."""

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from participants.models import Analogy
from tests import factories
from workshop.debrief.render import StaticOnlyFetcher, render_pdf
from workshop.debrief.services import participant_packet_context
from workshop.tenancy.scope import organization_scope, unscoped


@pytest.fixture
def listener():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


def test_hostile_text_is_escaped_and_nothing_is_fetched(org_a, listener):
    port, hits = listener
    payload = (f'<img src="http://127.0.0.1:{port}/x"><img src="file:///etc/passwd">'
               f'<link rel=attachment href="file:///etc/passwd"><style>@import url(http://127.0.0.1:{port}/c);</style>')
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Eve", domains=["chess"])
    with unscoped():
        Analogy.objects.filter(participant=participant).update(state="done", title="T", text=payload)
    fetcher = StaticOnlyFetcher()
    with organization_scope(org_a.org.id):
        pdf = render_pdf("pdf/participant_packet.html", participant_packet_context(participant=participant),
                         fetcher=fetcher)
    assert hits == []
    assert not any("passwd" in url or str(port) in url for url in fetcher.refused), fetcher.refused
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "<img src=" in text  # shown as text, not interpreted
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"])


def test_the_fetcher_serves_bundled_css_and_refuses_everything_else():
    fetcher = StaticOnlyFetcher()
    from workshop.debrief.render import PDF_STATIC_DIR

    assert fetcher.fetch((PDF_STATIC_DIR / "packet.css").as_uri()).read().startswith(b"@page")
    for url in ("file:///etc/passwd", "http://127.0.0.1:1/", (PDF_STATIC_DIR / ".." / ".." / "pyproject.toml").as_uri(),
                "data:text/plain,hello"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_packet_is_a_tagged_pdf_with_title_and_language(org_a):
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Hana", domains=["calligraphy"])
    with organization_scope(org_a.org.id):
        pdf = render_pdf("pdf/participant_packet.html", participant_packet_context(participant=participant))
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert "Hana" in reader.metadata.title
