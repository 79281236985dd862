from celery import shared_task

from workshop.debrief.services import PACKET_SOFT_TIME_LIMIT, PACKET_TIME_LIMIT, packet_build_run, packets_sweep
from workshop.tenancy.scope import unscoped
from workshop.tenancy.tasks import TenantTask


@shared_task(base=TenantTask, name="debrief.packet_build", soft_time_limit=PACKET_SOFT_TIME_LIMIT,
             time_limit=PACKET_TIME_LIMIT)
def packet_build(*, packet_id: int, organization_id: int) -> str:
    return packet_build_run(packet_id=packet_id)


@shared_task(name="debrief.sweep_packets", soft_time_limit=60, time_limit=90)
def sweep_packets() -> int:
    # Looks after every organization's packets; it only re-enqueues ids, each build task scopes itself.
    with unscoped():
        return packets_sweep()
