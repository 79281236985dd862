"""The participant packet: a real, tagged PDF with that person's analogy and answers, and nobody else's."""

from pathlib import Path

from tests import factories
from tests.debrief.conftest import answer, build_room, pdf_text, pdffonts, pdfinfo
from workshop.debrief.render import render_pdf
from workshop.debrief.selectors import participant_packet_context
from workshop.participants.models import Analogy
from workshop.tenancy.scope import organization_scope, unscoped
from workshop.workshops.services import workshop_close


def render_for(participant) -> bytes:
    with organization_scope(participant.organization_id):
        return render_pdf("pdf/participant_packet.html", participant_packet_context(participant=participant))


def test_the_packet_holds_their_own_analogy_mapping_and_answers_and_nobody_elses(org_a):
    workshop, scenarios, members = build_room(org_a, people=3, answers=False)
    (mine, _), (theirs, _), _ = members
    with unscoped():
        Analogy.objects.filter(participant=mine).update(
            title="The cup final team sheet", text="Your name was not on the sheet.",
            mapping=[{"scenario": "the all-hands announcement", "analogy": "the team sheet on the door"}] * 3)
        Analogy.objects.filter(participant=theirs).update(title="Someone else's story", text="Not for you.")
    answer(mine, scenarios[0], before=["surprise"], after=["disappointment"], understanding=(2, 6), resonance=5,
           reflection="I had never thought about who is around at four.")
    answer(theirs, scenarios[0], before=["anger"], after=["anger"], reflection="A colleague's private thought.")

    text, pages = pdf_text(render_for(mine))

    assert "The cup final team sheet" in text and "team sheet on the door" in text
    assert "I had never thought about who is around at four." in text
    assert "Someone else's story" not in text and "colleague's private thought" not in text
    assert "Person1" not in text and "Person2" not in text
    assert "5 of 5" in text and "In a week" in text and "About the method" in text
    assert scenarios[0].title in text and scenarios[1].title in text
    assert pages >= 3  # cover, one chapter per scenario


def test_a_packet_with_no_answers_yet_still_reads_well(org_a):
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Quiet", domains=["pottery"])

    text, pages = pdf_text(render_for(participant))

    assert "was not ready" in text  # the analogy never ran
    # While the workshop is open the "after" question may still come: the packet does not name the feelings yet.
    assert "listed once you have answered" in text and "You did not write a reflection" in text
    with unscoped():
        targets = [e["label"] for e in workshop.workshop_scenarios.first().scenario.emotions]
    assert not any(label in text.lower() for label in targets)
    assert pages >= 2  # cover and the scenario's chapter
    with unscoped():
        workshop_close(workshop=workshop, actor=org_a.facilitator)
        participant.workshop.refresh_from_db()
    text, _ = pdf_text(render_for(participant))
    assert "You did not record answers" in text


def test_the_packet_is_a_tagged_pdf_with_title_and_language(org_a, tmp_path):
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Hana", domains=["calligraphy"])
    path = Path(tmp_path) / "packet.pdf"
    path.write_bytes(render_for(participant))

    info = pdfinfo(path)

    assert "Tagged:          yes" in info
    assert "Title:           Debrief: Team workshop (Hana)" in info
    assert "A4" in info
    from pypdf import PdfReader

    root = PdfReader(path).trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_the_paper_size_follows_the_organization(org_a, tmp_path):
    with unscoped():
        org_a.org.paper_size = "Letter"
        org_a.org.save()
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Lee")
    path = Path(tmp_path) / "packet.pdf"
    path.write_bytes(render_for(participant))

    assert "612 x 792 pts (letter)" in pdfinfo(path)


def test_a_korean_reflection_is_set_in_a_cjk_font(org_a, tmp_path):
    workshop = factories.open_workshop(org_a, scenarios=1)
    participant, _ = factories.joined_participant(workshop, "Jiwoo", domains=["baduk"])
    with unscoped():
        scenario = workshop.workshop_scenarios.get().scenario
    answer(participant, scenario, before=["sadness"], after=["sadness"],
           reflection="다니엘이 왜 고맙다고 했는지 이제 조금 알 것 같아요.")
    path = Path(tmp_path) / "packet.pdf"
    path.write_bytes(render_for(participant))

    fonts = pdffonts(path)
    text, _ = pdf_text(path.read_bytes())

    assert "Noto-Sans-CJK-KR" in fonts and "DejaVu-Sans" in fonts, fonts
    assert "고맙다고" in text
