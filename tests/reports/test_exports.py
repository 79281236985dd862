"""Report downloads: formula-safe cells, an audit event for each, and an anonymized participant file that
names no one, keeps private reflections out and is k-anonymous over workshop, month and condition."""

import csv
import io
import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.reports.conftest import add_people
from workshop.reports.exports import neutralize
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped

K = 5
DOWNLOADS = {"facilitator:reports_csv": "aggregates.csv", "facilitator:reports_json": "aggregates.json",
             "facilitator:reports_people": "participants.csv", "facilitator:reports_pdf": "report.pdf"}


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("text, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), (-0.25, -0.25), (3, 3), (None, None),
])
def test_cells_that_could_start_a_formula_are_neutralized_and_numbers_are_not(text, safe):
    assert neutralize(text) == safe


def test_every_download_is_audited_with_its_format_and_filters(client, org_a, workshop_a):
    add_people(workshop_a, 8)
    client.force_login(org_a.analyst)
    for name in DOWNLOADS:
        assert client.get(reverse(name), {"workshop": workshop_a.public_id}).status_code == 200
    with unscoped():
        events = list(AuditEvent.objects.filter(organization=org_a.org, action="report.export"))
    assert sorted(e.detail["format"] for e in events) == sorted(DOWNLOADS.values())
    assert all(e.actor == org_a.analyst and e.detail["filters"] == {"workshop": workshop_a.public_id}
               for e in events)


def test_the_aggregates_csv_keeps_negative_gains_as_numbers_and_hides_small_groups(client, org_a, workshop_a):
    add_people(workshop_a, 7, condition="generic", pre_f1=0.75, post_f1=0.5)
    add_people(workshop_a, 8)
    add_people(workshop_a, 2, source_kind="own_experience")
    client.force_login(org_a.admin)
    rows = rows_of(client.get(reverse("facilitator:reports_csv")))
    gain = next(r for r in rows if r["section"] == "condition" and r["key"] == "generic"
                and r["measure"] == "f1_gain_mean")
    assert gain["value"] == "-0.25"
    own = next(r for r in rows if r["key"] == "own_experience" and r["measure"] == "people")
    assert own["value"] == "" and own["people"] == "" and own["suppressed"] == "fewer than k"
    assert all(r["people"] == "" or int(r["people"]) == 0 or int(r["people"]) >= K for r in rows)


def test_the_json_export_is_the_report_with_nothing_below_k(client, org_a, workshop_a):
    add_people(workshop_a, 9)
    client.force_login(org_a.analyst)
    data = json.loads(client.get(reverse("facilitator:reports_json")).content)
    assert data["participants"] == {"value": 9, "n": 9, "suppressed": None}
    assert data["anonymity_k"] == K


def test_the_participant_file_names_no_one_and_keeps_only_shared_reflections(client, org_a, workshop_a):
    shared = "=cmd|' /C calc'!A0 <b>bold</b> שלום 👋 " + "long " * 4000
    people = add_people(workshop_a, 6, reflection=shared, share=True)
    add_people(workshop_a, 6, reflection="my private thoughts", share=False)
    with unscoped():
        people[0].pseudonym = "Zephyrine"
        people[0].save()
    client.force_login(org_a.analyst)
    response = client.get(reverse("facilitator:reports_people"))
    body = response.content.decode()
    assert "Zephyrine" not in body and people[0].public_id not in body and workshop_a.public_id not in body
    assert "my private thoughts" not in body
    rows = rows_of(response)
    texts = {r["shared_reflection"] for r in rows}
    assert texts == {"'" + shared, ""}  # survives whole, escaped for spreadsheets, not mangled
    assert all(len(r["month"]) == 7 for r in rows)  # months, not dates
    assert len({r["row"] for r in rows}) == len(rows)


def test_the_participant_file_is_k_anonymous_over_workshop_month_and_condition(client, org_a, workshop_a):
    march = timezone.make_aware(datetime(2026, 3, 12, 10))
    april = timezone.make_aware(datetime(2026, 4, 12, 10))
    second, third = (factories.open_workshop(org_a, title=t) for t in ("Second", "Third"))
    add_people(workshop_a, 6, joined=march)  # big enough on its own
    add_people(second, 2, joined=march)  # two small rooms in March: merged across workshops (2 + 3 = 5)
    add_people(third, 3, joined=march)
    add_people(second, 2, joined=april, condition="generic")  # alone in its month and condition: left out
    client.force_login(org_a.analyst)
    rows = rows_of(client.get(reverse("facilitator:reports_people")))
    groups: dict[tuple, set] = {}
    for r in rows:
        groups.setdefault((r["workshop"], r["month"], r["condition"]), set()).add(r["person"])
    assert all(len(people) >= K for people in groups.values()), groups
    assert sorted(len(p) for p in groups.values()) == [5, 6]
    assert ("*", "2026-03", "personalized") in groups
    assert not any(r["condition"] == "generic" for r in rows)
    with unscoped():
        event = AuditEvent.objects.get(organization=org_a.org, detail__format="participants.csv")
    assert event.detail["dropped"] == 2 and event.detail["generalized_workshop"] == 5
