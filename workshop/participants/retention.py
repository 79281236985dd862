"""Retention: participants' personal data is purged once it is older than the organization's retention days.

The purge is 'delete my data' done on the participant's behalf: the profile, memories, reflections, analogies
and packets go, and an anonymous row stays so that counts of who joined still add up. Unlike a participant's
own request, it keeps the numbers of their answers on that anonymous row (feelings chosen, ratings, scores,
what the analogy drew on, but no word they wrote), so the organization's reports, which never show a group
smaller than k, keep their month-by-month history beyond the retention period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from workshop.participants.answers import participant_delete_data
from workshop.participants.models import Participant
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import Organization
from workshop.tenancy.services import audit_record

BATCH = 2000  # per run, so one run stays well inside the task's time limit; the next run takes the rest


def retention_purge(*, organization: Organization, now: datetime | None = None, limit: int = BATCH) -> int:
    """Purge the organization's participants who joined more than ``retention_days`` ago. Returns how many.

    Records one ``data.purge`` audit event when anything was purged (an hourly run that finds nothing
    would otherwise fill the log with zeros).
    """
    cutoff = (now or timezone.now()) - timedelta(days=organization.retention_days)
    due = (Participant.objects.filter(organization_id=organization.id, created__lt=cutoff, deleted_at__isnull=True)
           .order_by("pk"))
    purged = 0
    try:
        for participant in due[:limit]:
            participant_delete_data(participant=participant, audit=False, keep_anonymous_answers=True)
            purged += 1
    finally:  # a run cut short still records the participants it did purge
        if purged:
            audit_record(organization_id=organization.id, actor=None, action=AuditAction.DATA_PURGE,
                         detail={"participants": purged, "retention_days": organization.retention_days,
                                 "joined_before": cutoff.isoformat(timespec="seconds")})
    return purged
