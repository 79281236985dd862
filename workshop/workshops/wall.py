"""The wall of shared reflections: the facilitator takes one reflection off it, or puts it back. (Revealing or
hiding the whole wall is workshop_wall_set, in services.py.)"""

from __future__ import annotations

from django.db import transaction

from workshop.debrief.services import facilitator_packet_rebuild
from workshop.participants.models import Response
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.services import audit_record


def reflection_wall_set(*, response: Response, hidden: bool, actor) -> None:
    """Take one shared reflection off the room's wall, or put it back. The facilitator packet shows only the
    wall's reflections: if it was made already, the worker makes it again."""
    with transaction.atomic():
        Response.objects.filter(pk=response.pk).update(hidden_from_wall=hidden)
        audit_record(organization_id=response.organization_id, actor=actor,
                     action=AuditAction.REFLECTION_HIDE if hidden else AuditAction.REFLECTION_SHOW, obj=response)
        facilitator_packet_rebuild(workshop_id=response.participant.workshop_id,
                                   organization_id=response.organization_id)
