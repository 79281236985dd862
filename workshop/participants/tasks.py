import time

from celery import shared_task
from django.conf import settings

from workshop.participants.llm import task_deadline
from workshop.participants.retention import retention_purge
from workshop.participants.services import analogies_sweep, analogy_run
from workshop.tenancy.models import Organization
from workshop.tenancy.scope import unscoped
from workshop.tenancy.tasks import DB_CONNECTION_ERRORS, TenantTask

# Retries after a dropped database connection: about 1, 2, 4, 8, 16 s apart (jittered). Past that the row is
# still in the database and the sweeper picks it up again.
DB_RETRY = {"autoretry_for": DB_CONNECTION_ERRORS, "retry_backoff": True, "retry_backoff_max": 30,
            "retry_jitter": True, "max_retries": 5}


@shared_task(base=TenantTask, bind=True, name="participants.analogy_generate",
             soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT, time_limit=settings.CELERY_TASK_TIME_LIMIT,
             **DB_RETRY)
def analogy_generate(self, *, analogy_id: int, organization_id: int) -> str:
    # The LLM's whole budget ends before this task's soft limit (workshop/participants/llm.py), on any pool.
    deadline = task_deadline.set(time.monotonic() + (self.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT))
    try:
        # The task id is the claim: a retry of this same task takes back the row it had claimed, any other
        # delivery (a duplicate message, the sweeper's re-enqueue) finds it taken and skips it.
        return analogy_run(analogy_id=analogy_id, claim=(self.request.id or "").replace("-", "")[:32] or None)
    finally:
        task_deadline.reset(deadline)


@shared_task(name="participants.sweep_analogies", soft_time_limit=60, time_limit=90)
def sweep_analogies() -> int:
    # The sweeper looks after every organization's rows; it only re-enqueues ids, each task scopes itself.
    with unscoped():
        return analogies_sweep()


@shared_task(base=TenantTask, name="participants.retention_purge",
             soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT, time_limit=settings.CELERY_TASK_TIME_LIMIT,
             **DB_RETRY)
def retention_purge_task(*, organization_id: int) -> int:
    return retention_purge(organization=Organization.objects.get(pk=organization_id))


@shared_task(name="participants.sweep_retention", soft_time_limit=60, time_limit=90)
def sweep_retention() -> int:
    # Organizations are not tenant rows; each purge runs in its own task with its organization's scope.
    organization_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    for organization_id in organization_ids:
        retention_purge_task.delay(organization_id=organization_id)
    return len(organization_ids)
