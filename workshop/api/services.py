"""API tokens: made (the key shown once), revoked, and recognised. Every change is audit-logged."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop.api.models import TOKEN_PREFIX_LENGTH, ApiToken
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.models import Role, new_token, token_hash
from workshop.tenancy.services import audit_record, membership_for

KEY_BYTES = 32  # 256 bits
MAX_ACTIVE_TOKENS = 20  # per member and organization


class TokenRefused(ValueError):
    """Too many live tokens, or a token the actor may not revoke; the message says which."""


def api_token_create(*, organization_id: int, user, name: str, actor=None) -> tuple[ApiToken, str]:
    """A new token for ``user`` in the organization. Returns the row and the key (the only time it exists).
    Refused (TokenRefused) when they have MAX_ACTIVE_TOKENS live ones: they revoke one first."""
    key = new_token(KEY_BYTES)
    with transaction.atomic():
        active = ApiToken.objects.filter(organization_id=organization_id, user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise TokenRefused(_("You have %(n)d active tokens; revoke one first.") % {"n": active})
        token = ApiToken.objects.create(organization_id=organization_id, user=user, name=name.strip()[:100] or "API",
                                        prefix=key[:TOKEN_PREFIX_LENGTH], key_hash=token_hash(key))
        audit_record(organization_id=organization_id, actor=actor or user, action=AuditAction.API_TOKEN_CREATE,
                     obj=token, detail={"name": token.name, "prefix": token.prefix, "owner": user.get_username()})
    return token, key


def api_token_revoke(*, token: ApiToken, actor) -> bool:
    """Revoke a token now. False when it was revoked already. Its owner may, and any admin of its organization;
    anyone else is refused (TokenRefused)."""
    if actor.pk != token.user_id:
        membership = membership_for(user=actor, organization_id=token.organization_id)
        if membership is None or membership.role != Role.ADMIN:
            raise TokenRefused(_("Only the token's owner or an admin can revoke it."))
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if revoked:
            audit_record(organization_id=token.organization_id, actor=actor, action=AuditAction.API_TOKEN_REVOKE,
                         obj=token, detail={"name": token.name, "prefix": token.prefix,
                                 "owner": token.user.get_username()})
    return bool(revoked)


def api_token_authenticates(*, key: str, user, organization_id: int) -> bool:
    """Whether ``key`` is a live token of ``user`` in the organization (the demo reuses such keys)."""
    if not key or len(key) > 100:
        return False
    return ApiToken.objects.filter(key_hash=token_hash(key), user=user, organization_id=organization_id,
                                   revoked_at__isnull=True).exists()


def api_token_for_demo(*, organization_id: int, user, previous_key: str = "") -> str:
    """The demo user's token: the one from the last run's credentials.json while it still works, else new."""
    if api_token_authenticates(key=previous_key, user=user, organization_id=organization_id):
        return previous_key
    return api_token_create(organization_id=organization_id, user=user, name="demo")[1]
