from django.contrib.auth.models import AbstractBaseUser

from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import AuditEvent, Membership


def audit_record(*, organization_id: int, actor: AbstractBaseUser | None, action: AuditAction, obj=None,
                 detail: dict | None = None) -> AuditEvent:
    """One audit row, written by the service that does the action (inside its transaction). ``action`` is an
    AuditAction: anything else is refused, so the log never holds a code it cannot name."""
    return AuditEvent.objects.create(
        organization_id=organization_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditAction(action).value,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        detail=detail or {},
    )


def membership_for(*, user, organization_id: int) -> Membership | None:
    return Membership.objects.filter(user=user, organization_id=organization_id).first()
