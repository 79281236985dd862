"""The report's activity sections (page and API): transfer to a new vignette, commitments tried, the listening
lab's skill levels and what asking adds, each figure hidden below k and cells withheld so that a small one
cannot be worked out from the total."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.activities.lab import activity_of, lab_workshop, phones
from workshop.activities.commitment_services import commitment_save, followup_save, followup_vignette
from workshop.activities.kinds import ActivityKind
from workshop.api.services import api_token_create
from workshop.participants.models import ActivityRecord, Participant, Response
from workshop.reports.activities import activities_as_dict, activities_report
from workshop.reports.filters import ReportFilters
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import unscoped

pytestmark = pytest.mark.django_db

TRIED = ["yes", "yes", "partly", "not_yet"]


@pytest.fixture
def k3(org_a):
    with unscoped():
        Organization.objects.filter(pk=org_a.org.pk).update(anonymity_k=3)
        org_a.org.refresh_from_db()
    return org_a


def _people(team, n: int):
    workshop = lab_workshop(team, kinds=(ActivityKind.ANALOGY, ActivityKind.LISTENING, ActivityKind.COMMITMENT))
    with unscoped():
        scenario = workshop.workshop_scenarios.first().scenario
    return workshop, scenario, [p.participant for p in phones(workshop, [f"P{i}" for i in range(n)])]


def _check_in(people, workshop, monkeypatch, tried: list[str]):
    """Each person commits, and a week later checks in naming the vignette's first target feeling only."""
    activity = activity_of(workshop, ActivityKind.COMMITMENT)
    with unscoped():
        for person in people:
            commitment_save(participant=person, activity=activity, prompt=None, situation="a meeting",
                            action="ask first")
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(days=8))
        for person, answer in zip(people, tried, strict=False):
            vignette = followup_vignette(participant=person, activity=activity, language="en")
            followup_save(participant=person, activity=activity, tried=answer, labels=[vignette.targets[0]],
                          intensity=3, understanding=5, language="en")
        monkeypatch.setattr(timezone, "now", real)


def _answers(people, scenario, *, pre: float, post: float, asked: float | None = None):
    with unscoped():
        for person in people:
            Response.objects.create(organization_id=person.organization_id, participant=person, scenario=scenario,
                                    pre_labels=["hurt"], pre_understanding=3, pre_f1=pre, post_labels=["hurt"],
                                    post_understanding=5, post_f1=post, asked_f1=asked)


def _report(team) -> dict:
    with unscoped():
        return activities_as_dict(activities_report(organization=team.org, filters=ReportFilters()))


def _listened(people, workshop, grades: list[str]):
    activity = activity_of(workshop, ActivityKind.LISTENING)
    with unscoped():
        for person, grade in zip(people, grades, strict=True):
            ActivityRecord.objects.create(
                organization_id=person.organization_id, participant=person, activity=activity, kind=activity.kind,
                facts={"rounds": {"1": {"role": "listener", "grades": {
                    "emotional_reactions": grade, "interpretations": "weak", "explorations": "none"}}}})


def test_below_k_nothing_of_the_follow_up_is_shown(k3, monkeypatch):
    workshop, scenario, people = _people(k3, 2)
    _answers(people, scenario, pre=0.2, post=0.6)
    _check_in(people, workshop, monkeypatch, ["yes", "yes"])
    report = _report(k3)
    assert report["transfer"]["people"] == {"value": None, "n": None, "suppressed": "fewer_than_k"}
    assert report["transfer"]["followup_f1"]["value"] is None and report["transfer"]["after_f1"]["value"] is None
    assert report["lasting"]["followed_up"]["suppressed"] == "fewer_than_k" and report["lasting"]["tried"] == []


def test_at_k_transfer_and_lasting_are_shown_and_a_small_cell_is_withheld_with_its_neighbour(k3, monkeypatch):
    workshop, scenario, people = _people(k3, 4)
    _answers(people, scenario, pre=0.2, post=0.6)
    _check_in(people, workshop, monkeypatch, TRIED)
    report = _report(k3)
    transfer = report["transfer"]
    assert transfer["people"]["value"] == 4
    assert transfer["after_f1"]["value"] == pytest.approx(0.6)
    assert transfer["followup_f1"]["value"] == pytest.approx(0.5), "one of three target feelings: F1 = 0.5"
    assert transfer["change"]["value"] == pytest.approx(-0.1)
    assert report["lasting"]["committed"]["value"] == 4 and report["lasting"]["followed_up"]["value"] == 4
    cells = {row["key"]: row["people"] for row in report["lasting"]["tried"]}
    assert cells["partly"]["suppressed"] == "fewer_than_k" and cells["not_yet"]["suppressed"] == "fewer_than_k"
    assert cells["yes"]["value"] is None, "2 + 1 + 1: every cell is below k, nothing can be subtracted"


def test_tried_shares_are_shown_when_every_cell_reaches_k(k3, monkeypatch):
    workshop, scenario, people = _people(k3, 6)
    _check_in(people, workshop, monkeypatch, ["yes"] * 3 + ["not_yet"] * 3)
    cells = {row["key"]: row for row in _report(k3)["lasting"]["tried"]}
    assert cells["yes"]["people"]["value"] == 3 and cells["yes"]["share"]["value"] == 0.5
    assert cells["partly"]["people"]["value"] == 0 and cells["not_yet"]["share"]["value"] == 0.5
    assert _report(k3)["transfer"]["people"]["value"] == 0, "nobody answered a scenario after an analogy"


def test_listening_skill_levels_appear_at_k_listeners_only(k3):
    workshop, _scenario, people = _people(k3, 4)
    _listened(people[:2], workshop, ["strong", "strong"])
    assert _report(k3)["listening"]["rules"] == {"people": {"value": None, "n": None, "suppressed": "fewer_than_k"},
                                                 "mechanisms": {}}
    _listened(people[2:], workshop, ["strong", "weak"])
    levels = _report(k3)["listening"]["rules"]
    assert levels["people"]["value"] == 4
    emotions = {row["key"]: row["people"] for row in levels["mechanisms"]["emotional_reactions"]}
    assert emotions["none"]["value"] == 0 and emotions["weak"]["suppressed"] == "fewer_than_k"
    assert emotions["strong"]["suppressed"] == "withheld_to_protect_a_small_group", "4 - 3 would give the 1 away"
    interpretations = {row["key"]: row for row in levels["mechanisms"]["interpretations"]}
    assert interpretations["weak"]["people"]["value"] == 4 and interpretations["weak"]["share"]["value"] == 1.0


def test_what_asking_adds_is_shown_at_k(k3):
    workshop, scenario, people = _people(k3, 3)
    _answers(people[:2], scenario, pre=0.2, post=0.5, asked=0.8)
    assert _report(k3)["asking"]["asked"]["suppressed"] == "fewer_than_k"
    _answers(people[2:], scenario, pre=0.5, post=0.5, asked=0.5)
    asking = _report(k3)["asking"]
    assert asking["people"]["value"] == 3
    assert asking["before"]["value"] == pytest.approx(0.3) and asking["asked"]["value"] == pytest.approx(0.7)


def test_the_api_and_the_page_carry_the_sections_and_another_organization_sees_none_of_it(k3, org_b, client,
                                                                                         monkeypatch):
    workshop, scenario, people = _people(k3, 3)
    _answers(people, scenario, pre=0.2, post=0.6, asked=0.9)
    _check_in(people, workshop, monkeypatch, ["yes"] * 3)

    def api(team) -> APIClient:
        with unscoped():
            _token, key = api_token_create(organization_id=team.org.id, user=team.analyst, name="reports")
        api_client = APIClient()
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return api_client

    body = api(k3).get("/api/v1/reports/").json()
    assert body["activities"]["transfer"]["people"]["value"] == 3
    assert body["activities"]["asking"]["asked"]["value"] == pytest.approx(0.9)
    assert body["identification_f1"]["after"]["value"] == pytest.approx(0.6), "the existing fields stay"
    theirs = api(org_b).get("/api/v1/reports/").json()["activities"]
    assert theirs["transfer"]["people"]["value"] in (0, None) and theirs["lasting"]["committed"]["value"] == 0
    client.force_login(k3.analyst)
    page = client.get("/f/reports/").content.decode()
    assert "What asking adds" in page and "Transfer to a new situation" in page and "90%" in page
    with unscoped():
        assert not Participant.objects.filter(organization=org_b.org).exists()
