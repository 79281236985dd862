"""The retention purge: participants' personal data older than the organization's retention days goes, and
nothing else does."""

from datetime import timedelta

from django.utils import timezone

from tests import factories
from workshop.celery import app
from workshop.debrief.models import DebriefPacket
from workshop.participants import tasks
from workshop.participants.models import Analogy, Participant, Response
from workshop.participants.retention import retention_purge
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import organization_scope, unscoped


def participant_with_everything(workshop, name: str, *, days_old: int) -> Participant:
    participant, _token = factories.joined_participant(workshop, name, memory=f"{name}'s secret canoe trip")
    with unscoped():
        scenario = participant.analogies.first().scenario
        Response.objects.create(organization_id=participant.organization_id, participant=participant,
                                scenario=scenario, pre_labels=["hurt"], reflection=f"{name} reflects")
        DebriefPacket.objects.create(organization_id=participant.organization_id, workshop=workshop,
                                     participant=participant, kind="participant", state="done")
        Participant.objects.filter(pk=participant.pk).update(created=timezone.now() - timedelta(days=days_old))
        participant.refresh_from_db()
    return participant


def has_personal_data(participant: Participant) -> bool:
    """Anything that is theirs: a name, profile, memories, analogies, packets, or any word they wrote. (The
    numbers of their answers may stay on the anonymous row: see the report-history test below.)"""
    with unscoped():
        row = Participant.objects.get(pk=participant.pk)
        return bool(row.pseudonym or row.profile or row.memories or row.personality_answers
                    or Analogy.objects.filter(participant=row).exists()
                    or Response.objects.filter(participant=row).exclude(reflection="").exists()
                    or Response.objects.filter(participant=row, share_reflection=True).exists()
                    or DebriefPacket.objects.filter(participant=row).exists())


def purges(team) -> list[AuditEvent]:
    with unscoped():
        return list(AuditEvent.objects.filter(organization=team.org, action="data.purge"))


def test_it_purges_participants_older_than_the_retention_and_keeps_an_anonymous_row(org_a, workshop_a):
    org_a.org.retention_days = 30
    old = participant_with_everything(workshop_a, "Olwen", days_old=31)
    with organization_scope(org_a.org.id):
        assert retention_purge(organization=org_a.org) == 1
    assert not has_personal_data(old)
    with unscoped():
        row = Participant.objects.get(pk=old.pk)
    assert row.deleted_at is not None and row.workshop_id == workshop_a.id and row.step == old.step
    [event] = purges(org_a)
    assert event.actor is None and event.detail["participants"] == 1 and event.detail["retention_days"] == 30


def test_it_leaves_younger_participants_and_other_organizations_alone(org_a, org_b, workshop_a):
    org_a.org.retention_days = 30
    young = participant_with_everything(workshop_a, "Yara", days_old=29)
    globex_workshop = factories.open_workshop(org_b, title="Globex session")
    outsider = participant_with_everything(globex_workshop, "Otto", days_old=400)
    with organization_scope(org_a.org.id):
        assert retention_purge(organization=org_a.org) == 0
    assert has_personal_data(young) and has_personal_data(outsider)
    assert purges(org_a) == [] and purges(org_b) == []


def test_a_second_run_finds_nothing_new_and_records_nothing(org_a, workshop_a):
    org_a.org.retention_days = 1
    participant_with_everything(workshop_a, "Olwen", days_old=2)
    with organization_scope(org_a.org.id):
        assert retention_purge(organization=org_a.org) == 1
        assert retention_purge(organization=org_a.org) == 0
    assert len(purges(org_a)) == 1


def test_the_beat_sweep_purges_every_organization_by_its_own_retention(org_a, org_b, monkeypatch):
    with unscoped():
        org_a.org.retention_days, org_b.org.retention_days = 10, 100
        org_a.org.save(update_fields=["retention_days"])
        org_b.org.save(update_fields=["retention_days"])
    acme = participant_with_everything(factories.open_workshop(org_a), "Ada", days_old=50)
    globex = participant_with_everything(factories.open_workshop(org_b), "Gus", days_old=50)
    globex_old = participant_with_everything(factories.open_workshop(org_b, title="Old"), "Gil", days_old=101)
    # Run each enqueued purge in this process, through the task base that opens its organization's scope.
    monkeypatch.setattr(tasks.retention_purge_task, "delay", lambda **kw: tasks.retention_purge_task.apply(kwargs=kw))
    assert tasks.sweep_retention() == 2
    assert not has_personal_data(acme) and not has_personal_data(globex_old)
    assert has_personal_data(globex)
    assert [e.detail["participants"] for e in purges(org_a) + purges(org_b)] == [1, 1]


def test_the_purge_is_on_the_beat_schedule():
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["participants.sweep_retention"] <= 3600


def test_the_purge_keeps_the_anonymous_numbers_so_the_report_keeps_its_history(org_a, workshop_a):
    from tests.reports.conftest import add_people
    from workshop.reports.filters import ReportFilters
    from workshop.reports.selectors import report_build

    org_a.org.retention_days = 30
    people = add_people(workshop_a, 6, reflection="I felt it in my stomach", share=True)
    with unscoped():
        Participant.objects.filter(pk__in=[p.pk for p in people]).update(
            created=timezone.now() - timedelta(days=45))
    with organization_scope(org_a.org.id):
        before = report_build(organization=org_a.org, filters=ReportFilters(), use_cache=False)
        assert retention_purge(organization=org_a.org) == 6
        after = report_build(organization=org_a.org, filters=ReportFilters(), use_cache=False)
    assert not any(has_personal_data(p) for p in people)
    assert after.participants.value == before.participants.value == 6
    assert (after.f1_before.value, after.f1_after.value) == (before.f1_before.value, before.f1_after.value)
    assert after.understanding_after.value == before.understanding_after.value == 5


def test_a_participant_who_deletes_their_own_data_takes_their_answers_too(org_a, workshop_a):
    from workshop.participants.answers import participant_delete_data

    participant = participant_with_everything(workshop_a, "Ines", days_old=1)
    with organization_scope(org_a.org.id):
        participant_delete_data(participant=participant)
    with unscoped():
        assert not Response.objects.filter(participant=participant).exists()
    assert not has_personal_data(participant)
