"""The PDF renderer fetches nothing a person or the model names: no network, no file outside the bundled static
folder. Already proven in tests/debrief/test_closed_fetcher.py: <img>, <link>, @import, CSS url() and file://
in scenario, memory, analogy, mapping and reflection text fetch nothing, and the fetcher refuses every address
but its own static files. Here: more ways HTML can make a renderer fetch (SVG images, frames, objects, <base>,
srcset, protocol-relative and font URLs, links), and the organization report PDF, whose titles come from the
organization's own data."""

import pytest
from django.urls import reverse

from tests import factories
from tests.debrief.conftest import answer, finish_analogies, pdf_text
from tests.debrief.test_closed_fetcher import listener, render_both  # noqa: F401  (listener: a fixture)
from tests.reports.conftest import add_people
from workshop.tenancy.scope import unscoped


def lures(port: int, where: str) -> str:
    base = f"http://127.0.0.1:{port}/{where}"
    return (f'<svg><image href="{base}-svg"/><image xlink:href="{base}-xlink"/></svg>'
            f'<iframe src="{base}-iframe"></iframe><object data="{base}-object"></object>'
            f'<embed src="{base}-embed"><base href="{base}-base/"><img src="relative-after-base.png">'
            f'<img srcset="{base}-srcset 2x"><video poster="{base}-poster"></video>'
            f'<link rel=stylesheet href="//127.0.0.1:{port}/{where}-protocol-relative">'
            f'<style>@font-face {{ font-family: x; src: url({base}-font) }} p {{ font-family: x }}</style>'
            f'<a href="{base}-link">link</a><link rel=attachment href="{base}-attachment">')


def test_no_html_trick_in_any_field_makes_the_packets_fetch_anything(org_a, listener):  # noqa: F811
    port, hits = listener
    with unscoped():
        org_a.org.anonymity_k = 3
        org_a.org.name = "Org " + lures(port, "org")[:150]
        org_a.org.save()
    workshop = factories.open_workshop(org_a, scenarios=1, title="Session " + lures(port, "workshop")[:180])
    with unscoped():
        scenario = workshop.workshop_scenarios.get().scenario
        scenario.title = "Scenario " + lures(port, "title")[:180]
        scenario.narrative = lures(port, "narrative")
        scenario.discussion_prompts = [lures(port, "prompt")]
        scenario.save()
    people = []
    for i in range(3):
        participant, _ = factories.joined_participant(workshop, f"Lure{i}", domains=["chess"],
                                                      memory=lures(port, "memory"))
        finish_analogies(participant)
        answer(participant, scenario, before=["hurt"], after=["hurt"], reflection=lures(port, "reflection"),
               share=True)
        people.append(participant)
    mine, room, fetcher = render_both(workshop, people[0])

    assert hits == []
    assert fetcher.refused == [], "user text made the renderer ask for something (refused, but asked)"
    for pdf in (mine, room):
        text = "".join(pdf_text(pdf)[0].split())
        assert f'<iframesrc="http://127.0.0.1:{port}/' in text  # printed as text, not parsed as markup


@pytest.mark.parametrize("field", ["org", "workshop", "scenario"])
def test_the_report_pdf_fetches_nothing_either(client, org_a, listener, field):  # noqa: F811
    port, hits = listener
    workshop = factories.open_workshop(org_a, scenarios=1)
    with unscoped():
        org_a.org.anonymity_k = 3
        if field == "org":
            org_a.org.name = "Org " + lures(port, "org")[:150]
        org_a.org.save()
        if field == "workshop":
            workshop.title = "Session " + lures(port, "workshop")[:180]
            workshop.save(update_fields=["title"])
        if field == "scenario":
            scenario = workshop.workshop_scenarios.get().scenario
            scenario.title = "Scenario " + lures(port, "title")[:180]
            scenario.save()
    add_people(workshop, 6, reflection=lures(port, "reflection"), share=True)
    client.force_login(org_a.admin)

    response = client.get(reverse("facilitator:reports_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hits == []
