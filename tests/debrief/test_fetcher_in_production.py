"""The packets and the report PDF, made the way the product makes them (the packet task, the report download),
load nothing but bundled files even when their HTML asks for more. These tests pass no fetcher of their own:
if the production path fell back to WeasyPrint's default fetcher, which follows http:// and file:// URLs,
the counting server below would be called."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from weasyprint import HTML

from tests.debrief import test_closed_fetcher
from workshop.debrief.models import DebriefPacket
from workshop.debrief.render import PDF_STATIC_DIR
from workshop.debrief.services import packets_request_for_workshop
from workshop.debrief.tasks import packet_build
from workshop.tenancy.scope import unscoped

# The counting server and the room full of payloads, shared with the closed-fetcher tests.
listener, hostile_room = test_closed_fetcher.listener, test_closed_fetcher.hostile_room
REAL_TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


def _hostile_tags(port: int, outside: Path) -> tuple[str, str]:
    """What a careless template change (or a compromised one) could ask for: the network, and files outside
    static/pdf that would in turn call the network if they were ever read."""
    (outside / "relay.css").write_text(f"body {{ background: url(http://127.0.0.1:{port}/via-file-css) }}")
    (outside / "relay.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
        f'<image xlink:href="http://127.0.0.1:{port}/via-file-svg" width="10" height="10"/></svg>')
    head = (f'<link rel="stylesheet" href="http://127.0.0.1:{port}/template-link">'
            f'<link rel="stylesheet" href="{(outside / "relay.css").as_uri()}">'
            f'<style>@import url(http://127.0.0.1:{port}/template-import);</style>')
    body = (f'<img src="http://127.0.0.1:{port}/template-img" alt="">'
            f'<img src="{(outside / "relay.svg").as_uri()}" alt="">')
    return head, body


@pytest.fixture
def hostile_templates(settings, tmp_path, listener):
    """The real PDF templates, each with hostile references added to its head and body, put first in line."""
    port, _ = listener
    outside = tmp_path / "outside"
    outside.mkdir()
    head, body = _hostile_tags(port, outside)
    folder = tmp_path / "templates" / "pdf"
    folder.mkdir(parents=True)
    for name in ("base.html", "report.html"):
        text = (REAL_TEMPLATES / "pdf" / name).read_text()
        text, heads = re.subn(r"</head>", head + "</head>", text, count=1)
        text, bodies = re.subn(r"(<body[^>]*>)", r"\1" + body.replace("\\", "\\\\"), text, count=1)
        assert heads == bodies == 1, name
        (folder / name).write_text(text)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path / "templates", *engine["DIRS"]]}]
    return head + body


def test_the_hostile_references_would_call_out_through_weasyprints_default_fetcher(hostile_templates, listener):
    """The control: without the closed fetcher, this same HTML does reach the counting server."""
    _, hits = listener
    HTML(string=f"<html><head></head><body>{hostile_templates}</body></html>",
         base_url=PDF_STATIC_DIR.as_uri() + "/").write_pdf()
    assert {"/template-link", "/template-import", "/template-img", "/via-file-css", "/via-file-svg"} <= set(hits)


def test_packets_built_by_the_real_task_fetch_nothing(hostile_templates, hostile_room, listener):
    _, hits = listener
    workshop, people = hostile_room
    with unscoped():
        packets = packets_request_for_workshop(workshop=workshop)
    assert len(packets) == 1 + len(people)

    for packet in packets:
        outcome = packet_build.apply(kwargs={"packet_id": packet.id, "organization_id": packet.organization_id})
        assert outcome.get() == "done"

    assert hits == []
    with unscoped():
        assert set(DebriefPacket.objects.filter(workshop=workshop).values_list("state", flat=True)) == {"done"}


def test_the_report_pdf_download_fetches_nothing(client, org_a, hostile_templates, hostile_room, listener):
    _, hits = listener
    client.force_login(org_a.analyst)

    response = client.get(reverse("facilitator:reports_pdf"))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert hits == []
