"""Celery task base: opens the organization scope from the task's ``organization_id`` argument."""

from celery import Task
from django.db import InterfaceError, OperationalError, close_old_connections, connection

from workshop.tenancy.scope import organization_scope

# A dropped database connection (a restart, a failover, a killed backend). Tasks that are safe to run again
# declare `autoretry_for=DB_CONNECTION_ERRORS` with a backoff; the retry runs on a fresh connection.
DB_CONNECTION_ERRORS = (OperationalError, InterfaceError)


class TenantTask(Task):
    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args, **kwargs):
        organization_id = kwargs.get("organization_id")
        if organization_id is None:
            raise ValueError(f"{self.name} needs organization_id= to open its organization scope")
        try:
            with organization_scope(int(organization_id)):
                return super().__call__(*args, **kwargs)
        except Exception:
            _close_broken_connections()
            raise


def _close_broken_connections() -> None:
    """Drop database connections that stopped working, so the retry (or the next task in this worker process)
    opens a new one instead of failing on the dead one. Inside a transaction (a task called eagerly, as in
    tests) the connection belongs to the caller and is left alone."""
    if not connection.in_atomic_block:
        close_old_connections()
