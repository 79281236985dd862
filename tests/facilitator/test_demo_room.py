"""The demo's main workshops show a room in motion: several kinds of activity, people at every step of them,
enough finished (k = 5) for the before/after chart, the wall and the combined empathy map; built the same however
often the demo runs. (The whole `manage.py demo` runs in scripts/check_demo_output.py and .ci/run.)"""

from collections import Counter

import pytest
from django.urls import reverse

from workshop.activities.flow import room_places
from workshop.demo import builder
from workshop.participants.models import Analogy, Response
from workshop.participants.services import analogy_run
from workshop.scenarios.services import library_load
from workshop.tenancy.scope import organization_scope, unscoped


def build(tmp_path) -> list[dict]:
    with unscoped():
        library_load()
        built = builder.build_people(credentials_path=tmp_path / "credentials.json")
        workshops = [w for entry in built for w in entry["workshops"]]
        for workshop in workshops:
            builder.build_participants(workshop=workshop)
        pending = list(Analogy.objects.filter(state="pending").values_list("id", "organization_id"))
    for analogy_id, organization_id in pending:  # what the demo's worker does
        with organization_scope(organization_id):
            analogy_run(analogy_id=analogy_id)
    with unscoped():
        for workshop in workshops:
            builder.build_progress(workshop=workshop)
    return built


def places(workshop) -> Counter:
    with unscoped():
        people = list(workshop.participants.all())
        return Counter((p.position, p.step) for p in room_places(workshop=workshop, participants=people).values())


@pytest.fixture
def demo(db, tmp_path):
    return build(tmp_path)


def test_the_main_workshop_is_composed_of_several_kinds_and_people_stand_at_every_step(demo):
    northwind = demo[0]["workshop"]
    with unscoped():
        kinds = [a.kind for a in northwind.activities.order_by("position")]

    assert kinds == ["analogy", "analogy", "empathy_map", "bystander", "commitment"]
    assert places(northwind) == Counter({
        (None, "joined"): 1, (None, "profile"): 1, (1, "before"): 1, (1, "after"): 1, (2, "before"): 1,
        (3, "goal"): 1, (3, "observe"): 1, (4, "seat"): 1, (4, "respond"): 1, (5, "commit"): 1, (None, "done"): 2})


def test_enough_people_finished_for_the_chart_the_wall_and_the_combined_map(client, demo):
    entry = demo[0]
    northwind = entry["workshop"]
    client.force_login(next(u["user"] for u in entry["users"] if u["role"] == "facilitator"))

    monitor = client.get(reverse("facilitator:monitor", args=[northwind.public_id]))
    assert monitor.context["shift"]["chart"] is not None
    assert len(monitor.context["wall"]) >= 10
    from workshop.activities.registry import activity_for

    with unscoped():
        empathy_map = northwind.activities.get(position=3)
        combined = activity_for("empathy_map").room_result(empathy_map, k=northwind.organization.anonymity_k)
    assert combined is not None and combined["people"] == 5


def test_harbor_healths_workshop_is_presenter_paced(demo):
    harbor = demo[1]["workshop"]

    assert (harbor.pacing, harbor.current_position) == ("presenter", 5)
    assert places(harbor)[(None, "done")] == 2


def test_building_again_changes_nothing(demo, tmp_path):
    northwind = demo[0]["workshop"]
    before = places(northwind)
    with unscoped():
        answers = Response.objects.count()

    build(tmp_path)

    assert places(northwind) == before
    with unscoped():
        assert Response.objects.count() == answers


def test_the_summary_gives_the_short_code_and_where_to_type_it(demo, tmp_path):
    with unscoped():
        summary = builder.write_outputs(built=demo, out_dir=tmp_path / "out")
    main = summary["organizations"][0]["workshop"]

    assert len(main["short_code"].replace(" ", "")) == 6 and main["go"].endswith("/go")
    assert main["participants"] == 12
