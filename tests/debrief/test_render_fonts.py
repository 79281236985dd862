"""The packets' fonts are found and loaded once per rendering thread, not once for each of a workshop's
packets (issue 15: 100 participant packets and the facilitator packet within 20 s)."""

import threading

from workshop.debrief import render


def test_one_font_configuration_serves_every_packet_a_thread_renders(monkeypatch):
    built = []
    real = render.FontConfiguration
    monkeypatch.setattr(render, "FontConfiguration", lambda: built.append(1) or real())
    monkeypatch.setattr(render, "_fonts", threading.local())

    first = render.render_pdf("pdf/base.html", {"language": "en", "kind": "participant"})
    second = render.render_pdf("pdf/base.html", {"language": "ko", "kind": "participant"})
    other = []
    thread = threading.Thread(target=lambda: other.append(render.render_pdf("pdf/base.html", {"language": "en"})))
    thread.start()
    thread.join()

    assert first.startswith(b"%PDF") and second.startswith(b"%PDF") and other[0].startswith(b"%PDF")
    assert len(built) == 2  # this thread's, and the other thread's own
