"""The retention purge under faults: interrupted halfway, run twice at once. It deletes what it should (personal
data of participants past their organization's retention days) and nothing else: not younger participants, not
another organization, not the anonymous rows that keep the workshops' counts."""

import os
import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection

import workshop.participants.answers
from tests import factories
from tests.facilitator.test_retention import has_personal_data, participant_with_everything
from workshop.debrief.models import DebriefPacket
from workshop.participants.models import Analogy, Participant, Response
from workshop.participants.retention import retention_purge
from workshop.tenancy.models import AuditEvent
from workshop.tenancy.scope import organization_scope, unscoped

pytestmark = [pytest.mark.django_db(transaction=True)]


def everything_of(participant: Participant) -> dict:
    """What the participant has, part by part: a purge must take all of it or none of it."""
    with unscoped():
        row = Participant.objects.get(pk=participant.pk)
        return {"pseudonym": bool(row.pseudonym), "profile": bool(row.profile), "memories": bool(row.memories),
                "analogies": Analogy.objects.filter(participant=row).exists(),
                "reflections": Response.objects.filter(participant=row).exclude(reflection="").exists(),
                "packets": DebriefPacket.objects.filter(participant=row).exists()}


def packet_file(participant: Participant) -> str:
    """Give the participant's packet a real PDF on disk; returns its path."""
    with unscoped():
        packet = DebriefPacket.objects.get(participant=participant)
        packet.file.save(f"packet-{participant.pk}.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
        return packet.file.path


def purged_counts(organization) -> list[int]:
    with unscoped():
        events = AuditEvent.objects.filter(organization=organization, action="data.purge").order_by("pk")
        return [event.detail["participants"] for event in events]


def headcount(workshop) -> tuple[int, list[str]]:
    with unscoped():
        rows = Participant.objects.filter(workshop=workshop).order_by("pk")
        return rows.count(), [row.step for row in rows]


@pytest.fixture
def acme_and_globex(org_a, org_b):
    """Acme keeps 30 days: three participants are past it, one is not. Globex keeps a year."""
    with unscoped():
        org_a.org.retention_days, org_b.org.retention_days = 30, 365
        org_a.org.save(update_fields=["retention_days"])
        org_b.org.save(update_fields=["retention_days"])
    old_workshop, new_workshop = factories.open_workshop(org_a, title="March"), factories.open_workshop(org_a)
    old = [participant_with_everything(old_workshop, name, days_old=40) for name in ("Ana", "Ben", "Cai")]
    young = participant_with_everything(new_workshop, "Dot", days_old=3)
    outsider = participant_with_everything(factories.open_workshop(org_b), "Otto", days_old=200)
    return org_a.org, old, [young, outsider], old_workshop


def test_an_interrupted_purge_leaves_no_one_half_purged_and_the_next_run_finishes(acme_and_globex, monkeypatch):
    acme, old, others, old_workshop = acme_and_globex
    count_before = headcount(old_workshop)
    pdfs = [packet_file(p) for p in old]
    real_token_hash, calls = workshop.participants.answers.token_hash, []

    def crash_on_the_second(value):  # the last step of a participant's purge, after their rows were deleted
        calls.append(value)
        if len(calls) == 2:
            raise RuntimeError("worker lost mid-purge")
        return real_token_hash(value)

    monkeypatch.setattr(workshop.participants.answers, "token_hash", crash_on_the_second)
    with organization_scope(acme.id), pytest.raises(RuntimeError):
        retention_purge(organization=acme)
    monkeypatch.undo()

    first, second, third = (everything_of(p) for p in old)
    assert not any(first.values()), first
    assert all(second.values()), f"half purged: {second}"
    assert all(third.values()), third
    assert [os.path.exists(pdf) for pdf in pdfs] == [False, True, True], "a kept packet keeps its PDF"
    assert all(has_personal_data(p) for p in others)
    assert purged_counts(acme) == [1], "the interrupted run still records whom it purged"

    with organization_scope(acme.id):
        assert retention_purge(organization=acme) == 2
        assert retention_purge(organization=acme) == 0
    assert not any(has_personal_data(p) for p in old)
    assert not any(os.path.exists(pdf) for pdf in pdfs)
    assert all(has_personal_data(p) for p in others)
    assert headcount(old_workshop) == count_before, "the anonymous rows keep the workshop's numbers"
    assert purged_counts(acme) == [1, 2]


def test_two_purges_running_at_once_purge_each_participant_and_nothing_else(acme_and_globex):
    acme, old, others, old_workshop = acme_and_globex
    count_before = headcount(old_workshop)
    errors, start = [], threading.Barrier(2)

    def purge() -> None:  # a second beat, or a slow run still going when the next hour's starts
        try:
            start.wait(timeout=10)
            with organization_scope(acme.id):
                retention_purge(organization=acme)
        except Exception as exc:  # reported below, with the other thread's result
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=purge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert not any(has_personal_data(p) for p in old)
    assert all(has_personal_data(p) for p in others)
    assert headcount(old_workshop) == count_before
