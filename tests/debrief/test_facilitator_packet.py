"""The facilitator packet: the room in aggregate, charts, anonymity threshold, shared reflections only."""

from pathlib import Path

from tests.debrief.conftest import build_room, pdf_text, pdfinfo
from workshop.debrief.render import render_pdf
from workshop.debrief.selectors import facilitator_packet_context
from workshop.tenancy.scope import organization_scope, unscoped


def render_for(workshop) -> bytes:
    with unscoped():
        workshop.refresh_from_db()
    with organization_scope(workshop.organization_id):
        context = facilitator_packet_context(workshop=workshop)
        return render_pdf("pdf/facilitator_packet.html", context), context


def test_it_summarizes_the_room_with_charts_and_names_nobody(org_a, tmp_path):
    workshop, scenarios, members = build_room(org_a, people=6)
    pdf, context = render_for(workshop)
    text, pages = pdf_text(pdf)

    assert "6 joined" in text and "6 answered every scenario" in text
    assert all(s.title in text for s in scenarios)
    assert set(context["charts"]) == {"accuracy", "understanding", "resonance"}
    assert "<svg" in str(context["charts"]["accuracy"]) and "<script" not in str(context["charts"]["accuracy"])
    assert "Before the analogy" in text and "After the analogy" in text  # the chart legends, drawn as text
    assert not any(f"Person{i}" in text for i in range(6))
    assert scenarios[0].discussion_prompts[0] in text and "What the room found hardest" in text
    path = Path(tmp_path) / "f.pdf"
    path.write_bytes(pdf)
    assert "Tagged:          yes" in pdfinfo(path) and pages >= 5


def test_only_reflections_people_chose_to_share_appear(org_a):
    workshop, scenarios, _ = build_room(org_a, people=6)  # even-numbered people share
    text, _ = pdf_text(render_for(workshop)[0])

    slug = scenarios[0].slug
    assert f"Reflection of person 0 on {slug}." in text and f"Reflection of person 4 on {slug}." in text
    assert f"Reflection of person 1 on {slug}." not in text and f"Reflection of person 5 on {slug}." not in text


def test_reflections_the_facilitator_hid_from_the_wall_are_left_out(org_a):
    workshop, scenarios, members = build_room(org_a, people=6)
    with unscoped():
        members[0][0].responses.filter(scenario=scenarios[0]).update(hidden_from_wall=True)
    text, _ = pdf_text(render_for(workshop)[0])

    assert f"Reflection of person 0 on {scenarios[0].slug}." not in text
    assert f"Reflection of person 0 on {scenarios[1].slug}." in text  # only the hidden one goes
    assert f"Reflection of person 2 on {scenarios[0].slug}." in text


def test_a_room_smaller_than_k_shows_no_figures_and_no_reflections(org_a):
    workshop, scenarios, _ = build_room(org_a, people=4)  # k = 5
    pdf, context = render_for(workshop)
    text, _ = pdf_text(pdf)

    assert context["charts"] == {} and context["room"] is None
    assert "fewer than 5 people" in text
    assert "Reflection of person" not in text and "What the room found hardest:" not in text
    assert scenarios[0].discussion_prompts[0] in text  # the prompts themselves are not about anyone


def test_the_threshold_is_the_organizations(org_a):
    with unscoped():
        org_a.org.anonymity_k = 3
        org_a.org.save()
    workshop, _, _ = build_room(org_a, people=4)
    _, context = render_for(workshop)

    assert context["room"] is not None and context["k"] == 3 and "accuracy" in context["charts"]


def test_the_comparison_shows_only_when_both_groups_reach_k(org_a):
    with unscoped():
        org_a.org.anonymity_k = 3
        org_a.org.save()
    workshop, _, members = build_room(org_a, people=7, generic_share=0.5)
    with unscoped():
        for i, (participant, _) in enumerate(members):
            participant.condition = "generic" if i < 3 else "personalized"
            participant.save(update_fields=["condition"])
    _, context = render_for(workshop)
    assert context["comparison"]["shown"] and context["comparison"]["generic"].people == 3

    with unscoped():
        members[0][0].__class__.objects.filter(pk=members[0][0].pk).update(condition="personalized")
    pdf, context = render_for(workshop)
    assert context["comparison"] == {"used": True, "shown": False}
    assert "one of the two groups has fewer than 3 people" in pdf_text(pdf)[0]


def test_a_workshop_without_a_comparison_does_not_mention_one(org_a):
    workshop, _, _ = build_room(org_a, people=5)
    pdf, context = render_for(workshop)
    assert context["comparison"] == {"used": False} and "Personalized or generic" not in pdf_text(pdf)[0]
