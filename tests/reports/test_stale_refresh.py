"""While answers arrive, the report page may show the last build (marked, with its time) and a worker computes
the new one; downloads always have the latest figures. Needs a cache the worker shares (Redis)."""

import pytest
from django.conf import settings

from tests import factories
from tests.reports.conftest import add_people
from workshop.reports import tasks
from workshop.reports.filters import ReportFilters
from workshop.reports.selectors import report_build

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the background refresh needs a shared cache (Redis)")


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.report_refresh, "delay", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def room(org_a):
    workshop = factories.open_workshop(org_a)
    add_people(workshop, 6)
    return workshop


def test_new_answers_show_the_last_build_at_once_and_a_worker_brings_the_new_figures(client, org_a, room, queued):
    client.force_login(org_a.analyst)
    first = client.get("/f/reports/")
    assert first.context["report"].participants.value == 6 and not first.context["report"].stale

    add_people(room, 5)
    during = client.get("/f/reports/")
    assert during.context["report"].stale and during.context["report"].participants.value == 6
    assert "Figures as of" in during.content.decode()
    assert queued == [{"organization_id": org_a.org.id, "filters": {}}]

    client.get("/f/reports/")
    assert len(queued) == 1, "one refresh at a time for the same filters"

    tasks.report_refresh(**queued[0])
    after = client.get("/f/reports/")
    assert not after.context["report"].stale and after.context["report"].participants.value == 11
    assert "Figures as of" not in after.content.decode()


def test_downloads_never_take_an_old_build(client, org_a, room, queued):
    client.force_login(org_a.analyst)
    client.get("/f/reports/")
    add_people(room, 5)
    body = client.get("/f/reports/report.json").json()
    assert body["participants"]["value"] == 11 and body["stale"] is False


def test_the_api_says_when_its_figures_are_an_older_build(client, org_a, room, queued):
    client.force_login(org_a.analyst)
    client.get("/f/reports/")
    add_people(room, 5)
    body = client.get("/api/v1/reports/").json()
    assert body["stale"] is True and body["participants"]["value"] == 6 and body["generated"]


def test_a_build_older_than_the_allowed_age_is_computed_again_in_the_request(client, org_a, room, queued, settings):
    settings.REPORT_STALE_SECONDS = 0
    client.force_login(org_a.analyst)
    client.get("/f/reports/")
    add_people(room, 5)
    report = client.get("/f/reports/").context["report"]
    assert not report.stale and report.participants.value == 11 and queued == []


def test_when_no_refresh_can_be_queued_the_page_computes_the_report_itself(client, org_a, room, monkeypatch):
    def broker_down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.report_refresh, "delay", broker_down)
    client.force_login(org_a.analyst)
    client.get("/f/reports/")
    add_people(room, 5)
    report = client.get("/f/reports/").context["report"]
    assert not report.stale and report.participants.value == 11


def test_the_refresh_task_builds_what_the_next_page_reads(org_a, room, queued):
    from workshop.tenancy.scope import organization_scope

    with organization_scope(org_a.org.id):
        report_build(organization=org_a.org, filters=ReportFilters(), allow_stale=True)
        add_people(room, 5)
        assert report_build(organization=org_a.org, filters=ReportFilters(), allow_stale=True).stale
    tasks.report_refresh(organization_id=org_a.org.id, filters={})
    with organization_scope(org_a.org.id):
        report = report_build(organization=org_a.org, filters=ReportFilters(), allow_stale=True)
    assert not report.stale and report.participants.value == 11


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_the_report_the_page_showed_as_older(celery_worker, client, org_a):
    from tests.conftest import wait_for

    workshop = factories.open_workshop(org_a)
    add_people(workshop, 6)
    client.force_login(org_a.analyst)
    client.get("/f/reports/")
    add_people(workshop, 5)
    assert client.get("/f/reports/").context["report"].stale
    wait_for(lambda: client.get("/f/reports/").context["report"].participants.value == 11,
             what="the worker to compute the newer report")
    assert not client.get("/f/reports/").context["report"].stale
