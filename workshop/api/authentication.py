"""`Authorization: Bearer <key>` (or `Token <key>`): the member who made the key, in the key's organization."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from workshop.api.models import ApiToken
from workshop.tenancy.models import Membership, token_hash
from workshop.tenancy.scope import unscoped

KEYWORDS = (b"bearer", b"token")
MAX_KEY_LENGTH = 100
LAST_USED_EVERY = timedelta(minutes=1)  # write last_used at most this often per token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Returns (user, ApiToken). A revoked key, an unknown key, or an owner who is no longer a member of the
    key's organization is refused with 401, whatever role they used to have."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2 or len(parts[1]) > MAX_KEY_LENGTH:
            raise exceptions.AuthenticationFailed(_("Send 'Authorization: Bearer <token>' with one token."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        # A key names its own organization, so finding it must look across organizations (like a
        # participant's token). The scope for everything after this is opened by the API base view.
        with unscoped():
            token = (ApiToken.objects.select_related("user", "organization")
                     .filter(key_hash=token_hash(key), revoked_at__isnull=True).first())
            membership = token and (Membership.objects.select_related("organization")
                                    .filter(user=token.user, organization=token.organization).first())
            if token is None or membership is None or not token.user.is_active:
                raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
            now = timezone.now()
            if token.last_used is None or now - token.last_used > LAST_USED_EVERY:
                ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.membership = membership
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
