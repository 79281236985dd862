"""Invitations: an admin sends one, may revoke it while it is pending, and the invited person accepts it by
choosing a username and a password. An invitation only works while the admin who sent it is still an admin
of the organization: removing or demoting them revokes what they sent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import Invitation, Membership, Organization, RevokeReason, Role
from workshop.tenancy.services import audit_record
from workshop.tenancy.usernames import username_validate_new


class InvitationUnusable(ValueError):
    """The invitation expired, was used, or was revoked: the message says which, in words for the invitee."""


def invitations_pending(*, organization_id: int, sent_by: AbstractBaseUser | None = None) -> QuerySet[Invitation]:
    pending = (Invitation.objects.filter(organization_id=organization_id, accepted__isnull=True,
                                         revoked__isnull=True, expires__gt=timezone.now())
               .select_related("invited_by").order_by("expires", "pk"))
    return pending.filter(invited_by=sent_by) if sent_by is not None else pending


def invitation_create(*, organization_id: int, email: str, role: str, actor: AbstractBaseUser) -> Invitation:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        invitation = Invitation.objects.create(organization_id=organization_id, email=email, role=role,
                                               invited_by=actor)
        audit_record(organization_id=organization_id, actor=actor, action=AuditAction.MEMBER_INVITE, obj=invitation,
                     detail={"role": role})
    return invitation


def _revoke(invitation: Invitation, *, actor: AbstractBaseUser, reason: RevokeReason) -> bool:
    """Mark it revoked if it is still pending (a conditional update, so an acceptance racing it loses)."""
    now = timezone.now()
    changed = Invitation.objects.filter(pk=invitation.pk, accepted__isnull=True, revoked__isnull=True).update(
        revoked=now)
    if changed:
        invitation.revoked = now
        audit_record(organization_id=invitation.organization_id, actor=actor, action=AuditAction.MEMBER_INVITE_REVOKE,
                     obj=invitation,
                     detail={"email": invitation.email, "role": invitation.role, "reason": reason.value})
    return bool(changed)


def invitation_revoke(*, invitation: Invitation, actor: AbstractBaseUser) -> bool:
    """True if it was pending and is now revoked; False if it had been used or revoked already."""
    with transaction.atomic():
        return _revoke(invitation, actor=actor, reason=RevokeReason.BY_ADMIN)


def invitations_revoke_sent_by(*, organization_id: int, sender: AbstractBaseUser, actor: AbstractBaseUser,
                               reason: RevokeReason) -> int:
    """Revoke every pending invitation ``sender`` sent in this organization; how many were revoked."""
    pending = invitations_pending(organization_id=organization_id, sent_by=sender)
    return sum(_revoke(invitation, actor=actor, reason=reason) for invitation in pending)


def _sender_still_admin(invitation: Invitation) -> bool:
    if invitation.invited_by_id is None:  # made by the operator (shell, fixtures), not by a member
        return True
    return Membership.objects.filter(organization_id=invitation.organization_id, user_id=invitation.invited_by_id,
                                     role=Role.ADMIN).exists()


def invitation_check(invitation: Invitation | None) -> None:
    """Raise InvitationUnusable, with the reason in words, unless the invitation can be accepted now."""
    if invitation is None or invitation.accepted is not None:
        raise InvitationUnusable(_("This invitation has expired or was already used. Ask your admin for a new one."))
    if invitation.revoked is not None or not _sender_still_admin(invitation):
        raise InvitationUnusable(_("This invitation was withdrawn by an admin of %(org)s. If you still need "
                                   "access, ask them for a new one.") % {"org": invitation.organization.name})
    if invitation.expires <= timezone.now():
        raise InvitationUnusable(_("This invitation has expired or was already used. Ask your admin for a new one."))


def invitation_accept(*, invitation: Invitation, username: str, password: str) -> AbstractBaseUser:
    """Create the account and its membership. The username is normalized and must be valid, free, and not a
    look-alike of an existing one; the password must pass the validators. Else a ValidationError by field."""
    organization: Organization = invitation.organization
    user_model = get_user_model()
    errors = {}
    try:
        username = username_validate_new(username)
    except ValidationError as exc:
        errors["username"] = exc.messages
    user = user_model(username=username, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        invitation_check(Invitation.objects.select_for_update().select_related("organization")
                         .filter(pk=invitation.pk).first())
        user.set_password(password)
        user.save()
        Membership.objects.create(organization=organization, user=user, role=invitation.role)
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk).update(accepted=now)
        invitation.accepted = now
        audit_record(organization_id=organization.id, actor=user, action=AuditAction.MEMBER_JOIN, obj=invitation,
                     detail={"role": invitation.role})
    return user
