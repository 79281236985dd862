from __future__ import annotations

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from participants.models import Participant
from workshop.debrief.models import DebriefPacket
from workshop.debrief.render import render_pdf
from workshop.debrief.selectors import (
    facilitator_packet_context,
    packet_data_changed_since,
    participant_packet_context,
)
from workshop.workshops.models import Workshop

log = logging.getLogger(__name__)

# One packet's time limits (the task's), well below the broker's visibility timeout. A row left 'running'
# past the hard limit belongs to a worker that was killed: the redelivered task may claim it again.
PACKET_SOFT_TIME_LIMIT = 60
PACKET_TIME_LIMIT = 90
RUNNING_DEADLINE = timedelta(seconds=PACKET_TIME_LIMIT + 30)


def packet_request_for_participant(*, participant: Participant) -> DebriefPacket:
    """The participant's packet: reuse one that is queued or ready for the current data, else queue one."""
    existing = participant.packets.filter(kind=DebriefPacket.Kind.PARTICIPANT).exclude(
        state=DebriefPacket.State.FAILED).order_by("-created").first()
    if existing and not packet_data_changed_since(packet=existing):
        return existing
    with transaction.atomic():
        packet = DebriefPacket.objects.create(
            organization_id=participant.organization_id, workshop_id=participant.workshop_id,
            participant=participant, kind=DebriefPacket.Kind.PARTICIPANT,
        )
        transaction.on_commit(lambda: packet_enqueue(packet=packet))
    return packet


def packets_request_for_workshop(*, workshop: Workshop) -> list[DebriefPacket]:
    """Queue the whole set at once: the facilitator packet first, then one packet per participant.

    Called when the workshop closes, so every packet reflects the room's final answers.
    """
    with transaction.atomic():
        packets = [DebriefPacket(organization_id=workshop.organization_id, workshop=workshop,
                                 kind=DebriefPacket.Kind.FACILITATOR)]
        packets += [
            DebriefPacket(organization_id=workshop.organization_id, workshop=workshop, participant_id=participant_id,
                          kind=DebriefPacket.Kind.PARTICIPANT)
            # Someone who deleted their data keeps no name and no answers: there is nothing to give them.
            for participant_id in workshop.participants.filter(deleted_at__isnull=True).order_by(
                "created").values_list("id", flat=True)
        ]
        created = DebriefPacket.objects.bulk_create(packets)
        transaction.on_commit(lambda: [packet_enqueue(packet=p) for p in created])
    return created


def packet_enqueue(*, packet: DebriefPacket) -> None:
    from workshop.debrief.tasks import packet_build

    try:
        packet_build.apply_async(
            kwargs={"packet_id": packet.id, "organization_id": packet.organization_id},
            retry=True, retry_policy={"max_retries": 1, "interval_start": 0.2},
        )
    except Exception:
        log.warning("could not enqueue packet %s", packet.id, exc_info=True)


def packet_filename(packet: DebriefPacket) -> str:
    title = slugify(packet.workshop.title)[:50] or "workshop"
    if packet.kind == DebriefPacket.Kind.FACILITATOR:
        who = "facilitator"
    else:
        who = (slugify(packet.participant.pseudonym)[:30] if packet.participant_id else "") or "participant"
    return f"debrief-{title}-{who}-{packet.created:%Y-%m-%d}.pdf"


def packet_render(*, packet: DebriefPacket) -> bytes:
    if packet.kind == DebriefPacket.Kind.FACILITATOR:
        return render_pdf("pdf/facilitator_packet.html", facilitator_packet_context(workshop=packet.workshop))
    if packet.participant is None:
        raise ValueError("a participant packet needs its participant")
    return render_pdf("pdf/participant_packet.html", participant_packet_context(participant=packet.participant))


def packet_build_run(*, packet_id: int) -> str:
    """Claim the row (exactly one worker wins), render, store the file. Returns what happened."""
    now = timezone.now()
    claimable = Q(state=DebriefPacket.State.PENDING) | Q(state=DebriefPacket.State.RUNNING,
                                                          updated__lt=now - RUNNING_DEADLINE)
    claimed = DebriefPacket.objects.filter(claimable, pk=packet_id).update(state=DebriefPacket.State.RUNNING,
                                                                           updated=now)
    if claimed != 1:
        return "skipped"
    try:
        packet = DebriefPacket.objects.select_related("workshop", "participant", "organization").get(pk=packet_id)
        pdf = packet_render(packet=packet)
    except Exception as exc:  # a broken packet must not poison the worker; the row says what went wrong
        log.exception("packet %s failed", packet_id)
        DebriefPacket.objects.filter(pk=packet_id).update(state=DebriefPacket.State.FAILED, error=str(exc)[:2000],
                                                          updated=timezone.now())
        return "failed"
    packet.file.save(packet_filename(packet), ContentFile(pdf), save=False)
    DebriefPacket.objects.filter(pk=packet_id).update(
        state=DebriefPacket.State.DONE, file=packet.file.name, error="", updated=timezone.now())
    return "done"


PENDING_RESEND = timedelta(seconds=60)


def packets_sweep() -> int:
    """Re-enqueue packets left pending (a lost message, a broker that was down) or running past the deadline
    (a killed worker). The claim in packet_build_run makes a duplicate message harmless. Runs across
    organizations from the periodic task, which opens the escape hatch."""
    now = timezone.now()
    stale = list(DebriefPacket.objects.filter(
        Q(state=DebriefPacket.State.PENDING, updated__lt=now - PENDING_RESEND)
        | Q(state=DebriefPacket.State.RUNNING, updated__lt=now - RUNNING_DEADLINE),
    ).only("id", "organization_id")[:2000])
    for packet in stale:
        packet_enqueue(packet=packet)
    DebriefPacket.objects.filter(pk__in=[p.id for p in stale], state=DebriefPacket.State.PENDING).update(updated=now)
    return len(stale)
