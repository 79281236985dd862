"""Fail-closed organization scope.

Every tenant model's default manager reads the current organization from a ContextVar and filters its own
``organization_id`` column (never a join, so the schema can be distributed by organization). With no scope
open the manager raises ``ScopeError``: forgetting to scope is a crash, not a data leak.

The scope is opened in exactly three places: the web middleware, the API base view and the Celery task
base. Anything else that must cross organizations says so with ``unscoped()``, which is easy to grep for.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models

_UNSCOPED = object()
_current: contextvars.ContextVar[object] = contextvars.ContextVar("organization_scope", default=None)


class ScopeError(RuntimeError):
    """A tenant table was queried with no organization scope open."""


@contextmanager
def organization_scope(organization_id: int | None) -> Iterator[None]:
    """Open the scope for one organization. ``None`` opens a scope that matches nothing."""
    token = _current.set(("org", organization_id))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """The explicit escape hatch: queries see every organization. Keep its uses few and obvious."""
    token = _current.set(_UNSCOPED)
    try:
        yield
    finally:
        _current.reset(token)


def current_organization_id() -> int | None:
    state = _current.get()
    if state is None or state is _UNSCOPED:
        return None
    return state[1]


def _scope_state() -> tuple[bool, int | None]:
    """(unscoped, organization_id); raises when no scope is open."""
    state = _current.get()
    if state is None:
        raise ScopeError("No organization scope is open; use the middleware, the task base or unscoped().")
    if state is _UNSCOPED:
        return True, None
    return False, state[1]


class ScopedManager(models.Manager):
    """Default manager of tenant tables: filters ``organization_id`` by the open scope, fails closed."""

    def get_queryset(self) -> models.QuerySet:
        everything, organization_id = _scope_state()
        qs = super().get_queryset()
        if everything:
            return qs
        return qs.filter(organization_id=organization_id) if organization_id else qs.none()


class ScopedWithSharedManager(models.Manager):
    """Like ScopedManager, but rows with no organization (the built-in library) are visible to everyone."""

    def get_queryset(self) -> models.QuerySet:
        everything, organization_id = _scope_state()
        qs = super().get_queryset()
        if everything:
            return qs
        if organization_id:
            return qs.filter(models.Q(organization_id=organization_id) | models.Q(organization_id__isnull=True))
        return qs.filter(organization_id__isnull=True)
