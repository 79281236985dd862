"""Composing a workshop on the console, without JavaScript: tick scenarios for the usual workshop, or build it from
activity rows (add, remove, move up and down), choose pacing and the check-in; plan_check's refusals come back as
messages next to the rows. A draft's page edits its activities; capacity can be raised at any time; closing asks
first and says how many people are still busy."""

import pytest
from django.urls import reverse

from tests import factories
from tests.facilitator.rooms import room
from workshop.activities.kinds import Pacing
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import unscoped
from workshop.workshops.models import Workshop


@pytest.fixture
def library(db):
    return factories.builtin_scenarios()[:3]


def new(client, **data):
    base = {"title": "Thursday session", "capacity": 30, "pacing": "self", "followup_days": 7, "generic_share": 0,
            "engine": "builtin", "instrument": "mini_ipip", "language": "en", "show_reflections": "on"}
    return client.post(reverse("facilitator:workshop_new"), {**base, **data})


def rows(*pairs) -> dict:
    data = {"act-count": str(len(pairs))}
    for i, (kind, scenario) in enumerate(pairs):
        data[f"act-{i}-kind"], data[f"act-{i}-scenario"] = kind, str(scenario.id) if scenario else ""
    return data


def the_workshop(title="Thursday session") -> Workshop:
    with unscoped():
        return Workshop.objects.get(title=title)


def created() -> bool:
    with unscoped():
        return Workshop.objects.filter(title="Thursday session").exists()


def plan_of(workshop) -> list[tuple[int, str, int | None]]:
    with unscoped():
        return [(a.position, a.kind, a.scenario_id) for a in workshop.activities.order_by("position")]


def shown_rows(response) -> list[tuple[str, str]]:
    """(kind, scenario id) of each row the page draws, from its selected options."""
    import re

    html = response.content.decode()
    kinds = re.findall(r'<select name="act-(\d+)-kind"[^>]*>(.*?)</select>', html, re.S)
    scenarios = dict(re.findall(r'<select name="act-(\d+)-scenario"[^>]*>(.*?)</select>', html, re.S))

    def chosen(options: str) -> str:
        found = re.search(r'<option value="([^"]*)" selected>', options)
        return found.group(1) if found else ""
    return [(chosen(options), chosen(scenarios[i])) for i, options in kinds]


def test_ticking_scenarios_makes_the_usual_workshop_in_the_order_they_were_ticked(client, org_a, library):
    client.force_login(org_a.facilitator)
    a, b, c = library

    response = new(client, scenarios=[a.id, c.id], order=f"{c.id},{a.id}")

    workshop = the_workshop()
    assert response["Location"] == reverse("facilitator:workshop", args=[workshop.public_id])
    assert plan_of(workshop) == [(1, "analogy", c.id), (2, "analogy", a.id)]
    assert (workshop.pacing, workshop.followup_days) == ("self", 7)


def test_the_rows_are_built_and_moved_with_plain_buttons_then_saved_in_that_order(client, org_a, library):
    client.force_login(org_a.facilitator)
    a, b, c = library
    ticked = {"scenarios": [a.id, b.id], "order": f"{a.id},{b.id}"}

    filled = new(client, edit="fill", **ticked)
    assert shown_rows(filled) == [("analogy", str(a.id)), ("analogy", str(b.id))]
    assert "This field is required" not in filled.content.decode(), "an edit never complains about the form"
    added = new(client, edit="add", **ticked, **rows(("analogy", a), ("analogy", b)))
    assert shown_rows(added) == [("analogy", str(a.id)), ("analogy", str(b.id)), ("", str(b.id))]
    moved = new(client, edit="up-1", **ticked, **rows(("analogy", a), ("analogy", b), ("analogy", c)))
    assert shown_rows(moved) == [("analogy", str(b.id)), ("analogy", str(a.id)), ("analogy", str(c.id))]
    down = new(client, edit="down-0", **ticked, **rows(("analogy", a), ("analogy", b), ("analogy", c)))
    assert shown_rows(down)[:2] == [("analogy", str(b.id)), ("analogy", str(a.id))]
    removed = new(client, edit="remove-0", **ticked, **rows(("analogy", a), ("analogy", b)))
    assert shown_rows(removed) == [("analogy", str(b.id))]
    assert 'value="Thursday session"' in removed.content.decode(), "what was typed stays"
    assert not created(), "editing the rows saves nothing"

    new(client, pacing="presenter", followup_days=14, **ticked, **rows(("analogy", b), ("analogy", a), ("analogy", c)))

    workshop = the_workshop()
    assert plan_of(workshop) == [(1, "analogy", b.id), (2, "analogy", a.id), (3, "analogy", c.id)]
    assert (workshop.pacing, workshop.followup_days) == (Pacing.PRESENTER, 14)


def test_adding_a_row_to_an_empty_composer_starts_from_the_ticked_scenarios(client, org_a, library):
    client.force_login(org_a.facilitator)
    a, b, _c = library

    added = new(client, edit="add", scenarios=[a.id, b.id], order=f"{b.id},{a.id}")

    assert shown_rows(added) == [("analogy", str(b.id)), ("analogy", str(a.id)), ("", str(a.id))]


@pytest.mark.parametrize("composed, message", [
    ("same-twice", "Activity 2: this scenario already has its analogy activity."),
    ("no-kind", "Activity 1: choose a kind of activity."),
    ("unknown-scenario", "Activity 1: choose a scenario from the list."),
    ("left-out", "is ticked, but no activity below is about it"),
    ("nothing", "Tick at least one scenario, or compose the activities below."),
])
def test_a_plan_that_cannot_run_gets_its_message_next_to_the_rows(client, org_a, library, composed, message):
    client.force_login(org_a.facilitator)
    a, b, _c = library
    data = {
        "same-twice": {**rows(("analogy", a), ("analogy", a))},
        "no-kind": {**rows(("", a))},
        "unknown-scenario": {"act-count": "1", "act-0-kind": "analogy", "act-0-scenario": "999999999"},
        "left-out": {"scenarios": [a.id, b.id], **rows(("analogy", a))},
        "nothing": {},
    }[composed]

    response = new(client, **data)

    assert response.status_code == 200
    assert 'id="composer-error"' in response.content.decode() and message in response.content.decode()
    assert not created()


@pytest.mark.parametrize("field, value", [
    ("title", "Session\x00"), ("act-count", "99999999999"), ("act-0-kind", "<script>alert(1)</script>"),
    ("act-0-scenario", "\x00"), ("edit", "up-99999"), ("edit", "remove-<b>"), ("order", "1," * 50_000),
    ("followup_days", "0"), ("pacing", "sideways"), ("capacity", "1" * 5000),
])
def test_hostile_input_gets_a_message_never_a_500(client, org_a, library, field, value):
    client.force_login(org_a.facilitator)
    a = library[0]

    response = new(client, **{**rows(("analogy", a)), field: value})

    assert response.status_code in (200, 302)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_title_with_markup_is_shown_as_text(client, org_a, library):
    client.force_login(org_a.facilitator)
    new(client, title="<b>Bold</b> & co", scenarios=[library[0].id])

    page = client.get(reverse("facilitator:workshop", args=[the_workshop("<b>Bold</b> & co").public_id]))

    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page.content.decode() and "<b>Bold</b>" not in page.content.decode()


def test_a_drafts_activities_are_composed_on_its_page(client, org_a, library):
    a, b, c = library
    with unscoped():
        draft = factories.open_workshop(org_a, title="Draft session")
        Workshop.objects.filter(pk=draft.pk).update(state=Workshop.State.DRAFT)
    client.force_login(org_a.facilitator)
    url = reverse("facilitator:workshop_activities", args=[draft.public_id])

    shown = client.post(url, {"edit": "add", **rows(("analogy", a))})
    assert shown_rows(shown) == [("analogy", str(a.id)), ("", str(a.id))]
    refused = client.post(url, rows(("analogy", a), ("analogy", a)))
    assert refused.status_code == 200 and "already has its analogy activity" in refused.content.decode()
    client.post(url, rows(("analogy", c), ("analogy", b)))

    assert plan_of(draft) == [(1, "analogy", c.id), (2, "analogy", b.id)]
    with unscoped():
        assert AuditEvent.objects.filter(action="workshop.activities").count() == 1


def test_an_open_workshops_activities_stay_as_they_are(client, org_a, workshop_a, library):
    client.force_login(org_a.facilitator)
    before = plan_of(workshop_a)
    page = client.get(reverse("facilitator:workshop", args=[workshop_a.public_id])).content.decode()
    assert 'id="save-activities"' not in page

    response = client.post(reverse("facilitator:workshop_activities", args=[workshop_a.public_id]),
                           rows(("analogy", library[2])))

    assert "Activities can change only while the workshop is a draft." in response.content.decode()
    assert plan_of(workshop_a) == before


def test_capacity_is_raised_on_the_workshop_page_while_people_join(client, org_a):
    with unscoped():
        workshop = factories.open_workshop(org_a, title="Small room", capacity=2)
    room(workshop, 2)
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:workshop", args=[workshop.public_id])).content.decode()
    assert 'id="room-full"' in page

    response = client.post(reverse("facilitator:workshop_settings", args=[workshop.public_id]),
                           {"capacity": 5, "pacing": "presenter"})

    with unscoped():
        workshop.refresh_from_db()
    assert response.status_code == 302 and workshop.capacity == 5
    assert workshop.pacing == "self", "pacing stays as it was once the workshop is open"
    lowered = client.post(reverse("facilitator:workshop_settings", args=[workshop.public_id]), {"capacity": 1})
    assert lowered.status_code == 200
    assert "Capacity cannot be lower than the number of people who already joined." in lowered.content.decode()


def test_a_drafts_pacing_and_check_in_are_set_on_its_page(client, org_a):
    with unscoped():
        draft = factories.open_workshop(org_a, title="Draft")
        Workshop.objects.filter(pk=draft.pk).update(state=Workshop.State.DRAFT)
    client.force_login(org_a.facilitator)

    client.post(reverse("facilitator:workshop_settings", args=[draft.public_id]),
                {"capacity": 40, "pacing": "presenter", "followup_days": 10})

    with unscoped():
        draft.refresh_from_db()
    assert (draft.pacing, draft.followup_days) == ("presenter", 10)


def test_closing_asks_first_and_says_how_many_are_still_mid_activity(client, org_a, workshop_a):
    room(workshop_a, 2, prefix="Busy", before=True)
    room(workshop_a, 1, prefix="Done", before=True, after=True)
    client.force_login(org_a.facilitator)
    page = client.get(reverse("facilitator:workshop", args=[workshop_a.public_id])).content.decode()
    assert f'href="{reverse("facilitator:workshop_close", args=[workshop_a.public_id])}"' in page

    asked = client.get(reverse("facilitator:workshop_close", args=[workshop_a.public_id]))

    assert "2 people of 3 are still mid-activity." in asked.content.decode()
    assert fresh_state(workshop_a) == "open"
    client.post(reverse("facilitator:workshop_close", args=[workshop_a.public_id]))
    assert fresh_state(workshop_a) == "closed"


def fresh_state(workshop) -> str:
    with unscoped():
        return Workshop.objects.get(pk=workshop.pk).state


def test_the_packet_list_keeps_an_id_so_the_live_refresh_keeps_it_open(client, org_a, workshop_a):
    from workshop.debrief.models import DebriefPacket

    [person] = room(workshop_a, 1)
    with unscoped():
        DebriefPacket.objects.create(organization=org_a.org, workshop=workshop_a, participant=person,
                                     kind="participant", state="done")
    client.force_login(org_a.facilitator)

    page = client.get(reverse("facilitator:workshop", args=[workshop_a.public_id])).content.decode()

    assert '<details id="participant-packets">' in page


@pytest.mark.parametrize("who", ["anonymous", "analyst", "org_b-admin", "org_b-facilitator"])
def test_composing_capacity_and_closing_are_refused_to_anyone_else(client, org_a, org_b, workshop_a, library, who):
    if who == "analyst":
        client.force_login(org_a.analyst)
    elif who.startswith("org_b"):
        client.force_login(getattr(org_b, who.split("-")[1]))
    before = plan_of(workshop_a)

    for name, data in (("facilitator:workshop_activities", rows(("analogy", library[2]))),
                       ("facilitator:workshop_settings", {"capacity": 9999}),
                       ("facilitator:workshop_close", {})):
        for response in (client.post(reverse(name, args=[workshop_a.public_id]), data),
                         client.get(reverse(name, args=[workshop_a.public_id]))):
            assert response.status_code in (302, 404, 405)
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"]
    with unscoped():
        workshop_a.refresh_from_db()
    assert (workshop_a.state, workshop_a.capacity, plan_of(workshop_a)) == ("open", 40, before)
