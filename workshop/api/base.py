"""The API's base view: the third place the organization scope is opened (after the web middleware and the
task base class). Everything below it reads through the fail-closed scoped managers."""

from __future__ import annotations

from contextlib import ExitStack

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers, viewsets

from workshop.tenancy.models import Membership
from workshop.tenancy.scope import organization_scope


def request_membership(request) -> Membership | None:
    """The membership the request acts with: the token's (its organization, its owner's current role), or,
    for the browsable API, the one the web middleware chose for the session."""
    token = request.auth
    if token is not None and hasattr(token, "membership"):
        return token.membership
    return getattr(request._request, "membership", None)


class RolePermission(permissions.BasePermission):
    """Each view lists which roles may run each action (``roles = {"list": ALL_ROLES, ...}``). An action it
    does not list is refused: forgetting to decide fails closed."""

    message = _("Your role in this organization may not do this.")

    def has_permission(self, request, view) -> bool:
        membership = getattr(request, "membership", None)
        if membership is None:
            return False
        allowed = view.roles_for(request)
        return membership.role in allowed


class ScopedApiMixin:
    """Authenticate, find the membership, open that organization's scope for the rest of the request."""

    permission_classes = [permissions.IsAuthenticated, RolePermission]
    roles: dict[str, tuple[str, ...]] = {}

    def roles_for(self, request) -> tuple[str, ...]:
        action = getattr(self, "action", None) or request.method.lower()
        return self.roles.get(action, ())

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as stack:
            self._scope_stack = stack
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        membership = request_membership(request) if request.user.is_authenticated else None
        if request.user.is_authenticated and membership is None:
            raise exceptions.PermissionDenied(_("You are not a member of any organization."))
        request.membership = membership
        self._scope_stack.enter_context(organization_scope(membership.organization_id if membership else None))
        super().initial(request, *args, **kwargs)
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in v for v in values):  # PostgreSQL text cannot hold NUL
                raise exceptions.ValidationError({name.replace("\x00", "")[:80] or "query": [
                    serializers.ErrorDetail(_("Null characters are not allowed."), code="null_characters")]})
        if request.method in ("POST", "PUT", "PATCH"):
            # Parse the body now, on every write route, even one that ignores it: a malformed or too deeply
            # nested body is a 400 before anything changes.
            _body = request.data

    @property
    def membership(self) -> Membership:
        return self.request.membership


class _NoTable:
    """What a view that reads no table of its own offers the schema generator instead of a queryset."""

    model = None


NO_TABLE = _NoTable()


class ApiViewSet(ScopedApiMixin, viewsets.GenericViewSet):
    """Base of every resource: scoped, role-checked, addressed by a public id."""

    lookup_field = "public_id"
    lookup_url_kwarg = "id"
