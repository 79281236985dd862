"""A room for the packet tests: participants with analogies done and answers given."""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader

from tests import factories
from workshop.participants.models import Participant, Response
from workshop.participants.services import analogy_run
from workshop.tenancy.scope import organization_scope, unscoped

DOMAINS = ["amateur football", "choir", "baking bread", "hiking", "chess club", "gardening", "jazz guitar",
           "swimming"]


def answer(participant: Participant, scenario, *, before: list[str], after: list[str], understanding=(3, 5),
           resonance: int | None = 4, reflection: str = "", share: bool = False) -> Response:
    with unscoped():
        return Response.objects.create(
            organization_id=participant.organization_id, participant=participant, scenario=scenario,
            pre_labels=before, pre_intensity={"overall": 3}, pre_understanding=understanding[0],
            post_labels=after, post_intensity={"overall": 4}, post_understanding=understanding[1],
            reflection=reflection, share_reflection=share, resonance=resonance,
        )


def finish_analogies(participant: Participant) -> None:
    with unscoped():
        ids = list(participant.analogies.values_list("id", flat=True))
    with organization_scope(participant.organization_id):
        for analogy_id in ids:
            analogy_run(analogy_id=analogy_id)


def build_room(team, *, people: int, scenarios: int = 2, generic_share: float = 0.0, title: str = "Team workshop",
               answers: bool = True):
    """An open workshop where `people` joined, got their analogies and (if `answers`) answered everything."""
    workshop = factories.open_workshop(team, title=title, scenarios=scenarios, generic_share=generic_share)
    with unscoped():
        chosen = [ws.scenario for ws in workshop.workshop_scenarios.select_related("scenario").order_by("position")]
    members = []
    for i in range(people):
        participant, token = factories.joined_participant(workshop, f"Person{i}", domains=[DOMAINS[i % len(DOMAINS)]])
        finish_analogies(participant)
        if answers:
            for scenario in chosen:
                feelings = [e["label"] for e in scenario.emotions]
                answer(participant, scenario, before=feelings[:1] + ["surprise"], after=feelings[: 1 + i % 3],
                       understanding=(2 + i % 3, 4 + i % 3), resonance=1 + i % 5,
                       reflection=f"Reflection of person {i} on {scenario.slug}.", share=i % 2 == 0)
        members.append((participant, token))
    return workshop, chosen, members


def pdf_text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def pdfinfo(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pdffonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def room(org_a):
    return build_room(org_a, people=6)
