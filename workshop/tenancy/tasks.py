"""Celery task base: opens the organization scope from the task's ``organization_id`` argument."""

from celery import Task

from workshop.tenancy.scope import organization_scope


class TenantTask(Task):
    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args, **kwargs):
        organization_id = kwargs.get("organization_id")
        if organization_id is None:
            raise ValueError(f"{self.name} needs organization_id= to open its organization scope")
        with organization_scope(int(organization_id)):
            return super().__call__(*args, **kwargs)
