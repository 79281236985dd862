import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")

app = Celery("workshop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    # Workers recycle to bound memory (WeasyPrint and friends are not small).
    worker_max_tasks_per_child=200,
    worker_max_memory_per_child=400_000,  # KiB
    beat_schedule={
        "sweep-analogies": {"task": "participants.sweep_analogies", "schedule": 30.0},
        "sweep-retention": {"task": "participants.sweep_retention", "schedule": 3600.0},
        "sweep-packets": {"task": "debrief.sweep_packets", "schedule": 60.0},
    },
)
app.autodiscover_tasks()
