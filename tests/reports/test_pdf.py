"""The report as a PDF, through the debrief renderer: the figures in words, small groups named as hidden."""

import io

from django.urls import reverse
from pypdf import PdfReader

from tests.reports.conftest import add_people


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_the_figures_and_says_which_groups_are_hidden(client, org_a, workshop_a):
    add_people(workshop_a, 11)
    add_people(workshop_a, 3, condition="generic")
    client.force_login(org_a.admin)
    response = client.get(reverse("facilitator:reports_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Organization report" in text and "acme" in text.lower()
    assert "People joined" in text and "14" in text
    assert "fewer than 5" in text and "withheld" in text  # the generic group, and the personalized beside it


def test_a_selection_below_k_gives_a_pdf_that_shows_nothing_else(client, org_a, workshop_a):
    add_people(workshop_a, 3)
    client.force_login(org_a.analyst)
    text = pdf_text(client.get(reverse("facilitator:reports_pdf")))
    assert "Fewer than 5 people match these filters" in text
    assert "Completion" not in text
