"""Answers carry what reports aggregate: identification F1 before and after, scored as every screen scores
it, and what the rated analogy drew on; older answers get the same through the backfill migration."""

import importlib

import pytest
from django.apps import apps

from tests import factories
from workshop.participants.answers import analogy_source, identification_f1, response_after_save, response_before_save
from workshop.participants.models import Analogy, Response
from workshop.tenancy.scope import unscoped

backfill = importlib.import_module("workshop.participants.migrations.0006_backfill_report_fields").backfill


@pytest.fixture
def robin(workshop_a):
    participant, _ = factories.joined_participant(workshop_a, "Robin")
    with unscoped():
        scenario = workshop_a.workshop_scenarios.order_by("position").first().scenario
        Analogy.objects.filter(participant=participant, scenario=scenario).update(
            state="done", source={"kind": "domain", "domain": "team_sport"})
    return participant, scenario


def test_saving_the_answers_records_f1_and_the_analogys_source(robin, in_scope_a):
    participant, scenario = robin
    targets = [e["label"] for e in scenario.emotions]
    response_before_save(participant=participant, scenario=scenario, labels=["joy"], intensity=3, understanding=2)
    response = response_after_save(participant=participant, scenario=scenario, labels=targets[:1], intensity=4,
                                   understanding=5, reflection="", share_reflection=False, resonance=4)
    response.refresh_from_db()
    assert response.pre_f1 == 0.0
    assert response.post_f1 == pytest.approx(identification_f1(targets[:1], targets))
    assert (response.source_kind, response.source_family) == ("domain", "team_sport")


@pytest.mark.parametrize("source, expected", [
    ({"kind": "own_experience", "domain": "team_sport"}, ("own_experience", "team_sport")),
    ({"kind": "domain", "domain": "amateur football on sundays"}, ("domain", "team_sport")),
    ({"kind": "universal", "domain": None}, ("universal", "")),
    ({"kind": "nonsense"}, ("", "")),
    (None, ("", "")),
])
def test_an_analogys_source_maps_to_a_kind_and_a_domain_family(source, expected):
    assert analogy_source(source) == expected


def test_the_backfill_scores_answers_saved_before_the_columns_existed(robin, in_scope_a):
    participant, scenario = robin
    targets = [e["label"] for e in scenario.emotions]
    with unscoped():
        Response.objects.create(organization_id=participant.organization_id, participant=participant,
                                scenario=scenario, pre_labels=["joy"], pre_understanding=3, post_labels=targets,
                                post_understanding=6, resonance=5)
        backfill(apps, None)
        response = Response.objects.get(participant=participant)
    assert (response.pre_f1, response.post_f1) == (0.0, 1.0)
    assert (response.source_kind, response.source_family) == ("domain", "team_sport")
