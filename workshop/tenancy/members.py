"""Changing a member's role and removing a member. An organization never loses its last admin. An admin who is
removed or stops being an admin loses the invitations they sent that are still pending."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from workshop.tenancy.audit import AuditAction
from workshop.tenancy.invitations import invitations_revoke_sent_by
from workshop.tenancy.models import Membership, RevokeReason, Role
from workshop.tenancy.services import audit_record


class LastAdminError(ValueError):
    """The change would leave the organization with no admin."""


def _refuse_if_last_admin(membership: Membership) -> None:
    admins = list(Membership.objects.select_for_update()
                  .filter(organization_id=membership.organization_id, role=Role.ADMIN).values_list("pk", flat=True))
    if admins == [membership.pk]:
        raise LastAdminError(_("%(name)s is the only admin of this organization. Make someone else an admin "
                               "first.") % {"name": membership.user.get_username()})


def membership_role_change(*, membership: Membership, role: str, actor: AbstractBaseUser) -> Membership:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        previous = membership.role
        if previous == role:
            return membership
        if previous == Role.ADMIN:
            _refuse_if_last_admin(membership)
        Membership.objects.filter(pk=membership.pk).update(role=role)
        membership.role = role
        audit_record(organization_id=membership.organization_id, actor=actor, action=AuditAction.MEMBER_ROLE_CHANGE,
                     obj=membership, detail={"user": membership.user.get_username(), "from": previous, "to": role})
        if previous == Role.ADMIN:
            invitations_revoke_sent_by(organization_id=membership.organization_id, sender=membership.user,
                                       actor=actor, reason=RevokeReason.SENDER_NOT_ADMIN)
    return membership


def membership_remove(*, membership: Membership, actor: AbstractBaseUser) -> None:
    """The person loses access to the organization; what they made (workshops, audit entries) stays."""
    with transaction.atomic():
        if membership.role == Role.ADMIN:
            _refuse_if_last_admin(membership)
        audit_record(organization_id=membership.organization_id, actor=actor, action=AuditAction.MEMBER_REMOVE,
                     obj=membership, detail={"user": membership.user.get_username(), "role": membership.role})
        Membership.objects.filter(pk=membership.pk).delete()
        invitations_revoke_sent_by(organization_id=membership.organization_id, sender=membership.user, actor=actor,
                                   reason=RevokeReason.SENDER_REMOVED)
