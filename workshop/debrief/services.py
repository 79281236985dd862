"""Debrief packets: queued as rows, built by a task, stored, replaced when the data they hold is gone.

A participant's packet is theirs alone: its file is encrypted at rest (Fernet, the key of memories and
reflections) and decrypted only to be served to that participant. Staff see its state, never its content.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from workshop.debrief.models import DebriefPacket
from workshop.debrief.render import render_pdf
from workshop.debrief.selectors import (
    facilitator_packet_context,
    facilitator_packet_language,
    packet_data_changed_since,
    participant_packet_context,
    participant_packet_language,
)
from workshop.participants.models import Participant
from workshop.tenancy.audit import AuditAction
from workshop.tenancy.crypto import decrypt_bytes, encrypt_bytes
from workshop.tenancy.services import audit_record
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
    """The packet in its reader's language: a participant's in theirs, the facilitator's in the workshop's."""
    if packet.kind == DebriefPacket.Kind.FACILITATOR:
        with translation.override(facilitator_packet_language(workshop=packet.workshop)):
            return render_pdf("pdf/facilitator_packet.html", facilitator_packet_context(workshop=packet.workshop))
    if packet.participant is None:
        raise ValueError("a participant packet needs its participant")
    with translation.override(participant_packet_language(participant=packet.participant)):
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
    name = packet_file_store(packet=packet, pdf=pdf)
    stored = DebriefPacket.objects.filter(pk=packet_id).update(
        state=DebriefPacket.State.DONE, file=name, error="", updated=timezone.now())
    if stored != 1:
        # The row went while we rendered (a deletion replaced it): the file holds words that must not stay.
        packet.file.storage.delete(name)
        return "discarded"
    return "done"


def packet_file_store(*, packet: DebriefPacket, pdf: bytes) -> str:
    """Write the PDF to storage and return its name. A participant's packet is stored encrypted, under a name
    that says nothing about them; the facilitator packet (the room's aggregates) as the PDF itself."""
    if packet.kind == DebriefPacket.Kind.PARTICIPANT:
        content, name = encrypt_bytes(pdf), f"{packet.public_id}.pdf.enc"
    else:
        content, name = pdf, packet_filename(packet)
    packet.file.save(name, ContentFile(content), save=False)
    return packet.file.name


def packet_pdf(*, packet: DebriefPacket) -> bytes | None:
    """The packet's PDF, decrypted if it is a participant's. None when there is no file or it cannot be read
    (the key changed): the participant can then make a new one."""
    if not packet.file:
        return None
    with packet.file.open("rb") as f:
        content = f.read()
    if packet.kind != DebriefPacket.Kind.PARTICIPANT:
        return content
    try:
        return decrypt_bytes(content)
    except InvalidToken:
        log.error("packet %s cannot be decrypted: was FIELD_ENCRYPTION_KEY or SECRET_KEY changed?", packet.pk)
        return None


class PacketUnavailable(Exception):
    """This reader cannot have this packet; the message says why, ``code`` says it for the API."""

    code = "unavailable"


class PacketPrivate(PacketUnavailable):
    code = "private_packet"


class PacketNotReady(PacketUnavailable):
    code = "not_ready"


def packet_staff_downloadable(packet: DebriefPacket) -> bool:
    """Whether packet_download gives staff the packet now: the facilitator packet, once it is made. (Of every
    other packet staff see the state only.)"""
    return packet.kind == DebriefPacket.Kind.FACILITATOR and packet.state == DebriefPacket.State.DONE


def packet_download(*, packet: DebriefPacket, actor=None, participant: Participant | None = None,
                    via: str = "") -> bytes:
    """The packet's PDF for its reader, and the audit row that records it left. A participant's packet goes to
    that participant alone (``participant``); staff (``actor``) get the facilitator packet, the room's
    anonymous aggregates, and only the state of the others. ``via`` names the front end when it is not the
    console or the phone ("api")."""
    theirs = packet.participant_id == participant.id if participant is not None else (
        packet.kind == DebriefPacket.Kind.FACILITATOR)
    if not theirs:
        raise PacketPrivate(_("A participant's packet is theirs alone: staff see its state, never its content."))
    pdf = packet_pdf(packet=packet) if packet.state == DebriefPacket.State.DONE else None
    if pdf is None:
        raise PacketNotReady(_("This packet is not ready (its state is %(state)s).") % {"state": packet.state})
    if participant is not None:
        detail = {"kind": packet.kind, "by": "participant"}
    else:
        detail = {"kind": packet.kind, "workshop": packet.workshop.public_id, **({"via": via} if via else {})}
    audit_record(organization_id=packet.organization_id, actor=None if participant is not None else actor,
                 action=AuditAction.PACKET_DOWNLOAD, obj=packet, detail=detail)
    return pdf


def facilitator_packet_rebuild(*, workshop_id: int, organization_id: int) -> DebriefPacket | None:
    """Replace the workshop's facilitator packet by one made from the data as it is now (after a deletion, or
    when a reflection was hidden from the wall), queued for the worker. Nothing when none was ever made.

    Call it inside the transaction that changed the data, after the change: the old rows and their files go
    with it, and a new task is enqueued only once that transaction has committed, so the worker reads the
    data without the words. The rows are locked first: a worker still rendering an old one finds no row and
    discards its file, and a worker about to claim a queued one waits for the commit (so the queued one is
    kept, and many deletions in one workshop, as in a retention purge, make one packet, not one each)."""
    with transaction.atomic():
        old = list(DebriefPacket.objects.select_for_update().filter(
            workshop_id=workshop_id, kind=DebriefPacket.Kind.FACILITATOR).order_by("-created", "-id"))
        if not old:
            return None
        queued = old[0] if old[0].state == DebriefPacket.State.PENDING else None
        gone = [p for p in old if p is not queued]
        files = [(p.file.storage, p.file.name) for p in gone if p.file]
        DebriefPacket.objects.filter(pk__in=[p.pk for p in gone]).delete()
        packet = queued or DebriefPacket.objects.create(organization_id=organization_id, workshop_id=workshop_id,
                                                        kind=DebriefPacket.Kind.FACILITATOR)

        def after_commit() -> None:
            for storage, name in files:
                storage.delete(name)
            if queued is None:
                packet_enqueue(packet=packet)

        transaction.on_commit(after_commit)
    return packet


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
