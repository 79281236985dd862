from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from participants.models import Participant
from participants.selectors import participant_analogies
from workshop.debrief.models import DebriefPacket
from workshop.debrief.render import render_pdf
from workshop.workshops.selectors import workshop_scenarios

log = logging.getLogger(__name__)


def packet_request_for_participant(*, participant: Participant) -> DebriefPacket:
    """The participant's packet: reuse one that is queued or ready for the current data, else queue one."""
    latest_change = participant.analogies.filter(is_current=True).order_by("-updated").values_list(
        "updated", flat=True).first()
    existing = participant.packets.filter(kind=DebriefPacket.Kind.PARTICIPANT).exclude(
        state=DebriefPacket.State.FAILED).order_by("-created").first()
    if existing and (latest_change is None or existing.created >= latest_change):
        return existing
    with transaction.atomic():
        packet = DebriefPacket.objects.create(
            organization_id=participant.organization_id, workshop_id=participant.workshop_id,
            participant=participant, kind=DebriefPacket.Kind.PARTICIPANT,
        )
        transaction.on_commit(lambda: packet_enqueue(packet=packet))
    return packet


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
    who = slugify(packet.participant.pseudonym)[:30] if packet.participant_id else "facilitator"
    return f"debrief-{title}-{who or 'participant'}-{packet.created:%Y-%m-%d}.pdf"


def participant_packet_context(*, participant: Participant) -> dict:
    analogies = participant_analogies(participant=participant)
    items = [{"scenario": s, "analogy": analogies.get(s.id)} for s in workshop_scenarios(workshop=participant.workshop)]
    return {
        "participant": participant,
        "workshop": participant.workshop,
        "organization": participant.organization,
        "items": items,
        "profile": participant.profile or {},
        "generated": timezone.now(),
        "language": participant.workshop.language or "en",
    }


def packet_build_run(*, packet_id: int) -> str:
    claimed = DebriefPacket.objects.filter(pk=packet_id, state=DebriefPacket.State.PENDING).update(
        state=DebriefPacket.State.RUNNING, updated=timezone.now())
    if claimed != 1:
        return "skipped"
    packet = DebriefPacket.objects.select_related("workshop", "participant", "organization").get(pk=packet_id)
    try:
        if packet.kind != DebriefPacket.Kind.PARTICIPANT or packet.participant is None:
            raise ValueError("only participant packets exist so far")
        context = participant_packet_context(participant=packet.participant)
        pdf = render_pdf("pdf/participant_packet.html", context)
    except Exception as exc:  # a broken packet must not poison the worker; the row says what went wrong
        log.exception("packet %s failed", packet_id)
        DebriefPacket.objects.filter(pk=packet_id).update(state=DebriefPacket.State.FAILED, error=str(exc)[:2000])
        return "failed"
    packet.file.save(packet_filename(packet), ContentFile(pdf), save=False)
    DebriefPacket.objects.filter(pk=packet_id).update(
        state=DebriefPacket.State.DONE, file=packet.file.name, updated=timezone.now())
    return "done"
