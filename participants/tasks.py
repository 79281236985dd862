from celery import shared_task
from django.conf import settings

from participants.services import analogies_sweep, analogy_run
from workshop.tenancy.scope import unscoped
from workshop.tenancy.tasks import TenantTask


@shared_task(base=TenantTask, name="participants.analogy_generate",
             soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT, time_limit=settings.CELERY_TASK_TIME_LIMIT)
def analogy_generate(*, analogy_id: int, organization_id: int) -> str:
    return analogy_run(analogy_id=analogy_id)


@shared_task(name="participants.sweep_analogies", soft_time_limit=60, time_limit=90)
def sweep_analogies() -> int:
    # The sweeper looks after every organization's rows; it only re-enqueues ids, each task scopes itself.
    with unscoped():
        return analogies_sweep()
