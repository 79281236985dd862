from celery import shared_task

from workshop.debrief.services import packet_build_run
from workshop.tenancy.tasks import TenantTask


@shared_task(base=TenantTask, name="debrief.packet_build", soft_time_limit=90, time_limit=120)
def packet_build(*, packet_id: int, organization_id: int) -> str:
    return packet_build_run(packet_id=packet_id)
