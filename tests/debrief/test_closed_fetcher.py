"""Nothing written by people or by the model can make a packet fetch anything or inject markup."""

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from tests import factories
from tests.debrief.conftest import answer, finish_analogies, pdf_text
from workshop.debrief.render import PDF_STATIC_DIR, StaticOnlyFetcher, render_pdf
from workshop.debrief.selectors import facilitator_packet_context, participant_packet_context
from workshop.participants.models import Analogy
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


def payload(port: int, where: str) -> str:
    return (f'<img src="http://127.0.0.1:{port}/{where}-img"><img src="file:///etc/passwd">'
            f'<link rel=attachment href="file:///etc/passwd">'
            f'<link rel=stylesheet href="http://127.0.0.1:{port}/{where}-css">'
            f'<style>@import url(http://127.0.0.1:{port}/{where}-import);'
            f' body {{ background: url(file:///etc/passwd) }}</style><p style="background:url(http://127.0.0.1:{port}/{where}-inline)">{where}</p>')


@pytest.fixture
def hostile_room(org_a, listener):
    """Payloads in the scenario, in memories, in the model's analogy and mapping, and in shared reflections."""
    port, _ = listener
    with unscoped():
        org_a.org.anonymity_k = 3
        org_a.org.save()
    workshop = factories.open_workshop(org_a, scenarios=1)
    with unscoped():
        scenario = workshop.workshop_scenarios.get().scenario
        scenario.title = "Scenario " + payload(port, "title")[:180]
        scenario.narrative = payload(port, "narrative")
        scenario.perspective_name = "Dana"
        scenario.discussion_prompts = [payload(port, "prompt")]
        scenario.save()
    people = []
    for i in range(3):
        participant, _ = factories.joined_participant(workshop, f"Eve{i}", domains=["chess"],
                                                      memory=payload(port, "memory"))
        finish_analogies(participant)
        with unscoped():
            Analogy.objects.filter(participant=participant).update(
                state="done", title=payload(port, "analogy-title")[:290], text=payload(port, "analogy"),
                mapping=[{"scenario": payload(port, "map-left"), "analogy": payload(port, "map-right")}] * 3)
        answer(participant, scenario, before=["sadness"], after=["sadness"], reflection=payload(port, "reflection"),
               share=True)
        people.append(participant)
    with unscoped():
        workshop.refresh_from_db()
    return workshop, people


def render_both(workshop, participant):
    fetcher = StaticOnlyFetcher()
    with organization_scope(workshop.organization_id):
        mine = render_pdf("pdf/participant_packet.html", participant_packet_context(participant=participant),
                          fetcher=fetcher)
        room = render_pdf("pdf/facilitator_packet.html", facilitator_packet_context(workshop=workshop),
                          fetcher=fetcher)
    return mine, room, fetcher


def test_hostile_text_is_escaped_and_nothing_is_fetched(hostile_room, listener):
    port, hits = listener
    workshop, people = hostile_room

    mine, room, fetcher = render_both(workshop, people[0])

    assert hits == []
    # The only thing the packets asked for is the bundled stylesheet: no refusal was even needed.
    assert fetcher.refused == [], fetcher.refused
    for pdf, places in ((mine, ("title", "narrative", "analogy", "map-left", "map-right", "reflection")),
                        (room, ("title", "prompt", "reflection"))):
        text = "".join(pdf_text(pdf)[0].split()).replace("\u2010", "")  # line breaks, hyphenation
        for where in places:
            assert f'<imgsrc="http://127.0.0.1:{port}/{where}-img">' in text, where
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert "/EmbeddedFiles" not in str(root.get("/Names", {})) and "/AF" not in root
        assert all("/Annots" not in page for page in reader.pages)  # no links, no file attachments


def test_a_memory_never_reaches_the_packet_as_markup(hostile_room, listener):
    port, hits = listener
    workshop, people = hostile_room
    with unscoped():  # the engine's own analogy this time, built from the hostile memory
        Analogy.objects.filter(participant=people[1]).update(state="pending", claim="")
    finish_analogies(people[1])

    mine, _, fetcher = render_both(workshop, people[1])

    assert hits == [] and fetcher.refused == []
    text = "".join(pdf_text(mine)[0].split())
    assert "memory-img" not in text or f'<imgsrc="http://127.0.0.1:{port}/memory-img">' in text


def test_the_fetcher_serves_bundled_css_and_refuses_everything_else(listener):
    port, hits = listener
    fetcher = StaticOnlyFetcher()

    assert fetcher.fetch((PDF_STATIC_DIR / "packet.css").as_uri()).read().startswith(b"/*")
    for url in ("file:///etc/passwd", f"http://127.0.0.1:{port}/", (PDF_STATIC_DIR / ".." / ".." / "pyproject.toml")
                .as_uri(), "data:text/plain,hello", "file://evil.example/share/x.css", "ftp://127.0.0.1/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert hits == [] and len(fetcher.refused) == 6
