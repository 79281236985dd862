"""A participant's packet is not kept as a plain file: it is encrypted at rest, under a name that says nothing
about them, and decrypted only to be served to them. Plain packets from before are encrypted by a migration."""

import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile

from tests.debrief.conftest import build_room, pdf_text
from workshop.debrief.models import DebriefPacket
from workshop.debrief.services import packet_build_run, packet_pdf, packets_request_for_workshop
from workshop.tenancy.scope import organization_scope, unscoped

migration = importlib.import_module("workshop.debrief.migrations.0002_encrypt_participant_packets")


def stored_bytes(packet: DebriefPacket) -> bytes:
    with packet.file.open("rb") as f:
        return f.read()


def built(workshop) -> list[DebriefPacket]:
    with unscoped():
        packets = packets_request_for_workshop(workshop=workshop)
    with organization_scope(workshop.organization_id):
        for packet in packets:
            assert packet_build_run(packet_id=packet.id) == "done"
        return list(DebriefPacket.objects.filter(workshop=workshop).select_related("participant"))


def test_a_participants_packet_is_stored_encrypted_and_names_no_one(org_a):
    workshop, scenarios, members = build_room(org_a, people=1)
    participant = members[0][0]
    packets = built(workshop)
    personal = next(p for p in packets if p.kind == "participant")
    raw = stored_bytes(personal)

    assert not raw.startswith(b"%PDF") and raw.startswith(b"gAAAAA")  # a Fernet token, not a PDF
    assert participant.pseudonym.encode() not in raw and b"Reflection of person" not in raw
    assert Path(personal.file.name).name.startswith(personal.public_id)  # no name, no workshop title
    text, _ = pdf_text(packet_pdf(packet=personal))
    assert f"Prepared for {participant.pseudonym}" in text and f"Reflection of person 0 on {scenarios[0].slug}" in text


def test_under_another_key_the_packet_is_not_served_as_anything(org_a, monkeypatch):
    workshop, _, _ = build_room(org_a, people=1)
    personal = next(p for p in built(workshop) if p.kind == "participant")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", "a key that was rotated away")

    assert packet_pdf(packet=personal) is None


def test_plain_packets_made_before_are_encrypted_in_place_by_the_migration(org_a):
    workshop, _, members = build_room(org_a, people=1)
    participant = members[0][0]
    plain = b"%PDF-1.7 an old plain packet of Person0"
    with unscoped():
        old = DebriefPacket.objects.create(organization=org_a.org, workshop=workshop, participant=participant,
                                           kind="participant", state="done")
        old.file.save("debrief-team-workshop-person0-2026-01-01.pdf", ContentFile(plain))
        room = DebriefPacket.objects.create(organization=org_a.org, workshop=workshop, kind="facilitator",
                                            state="done")
        room.file.save("debrief-team-workshop-facilitator.pdf", ContentFile(b"%PDF-1.7 the room"))
    plain_path = Path(settings.MEDIA_ROOT) / old.file.name

    migration.encrypt_plain_packets(apps, None)
    with unscoped():
        old.refresh_from_db()
        room.refresh_from_db()

    assert not plain_path.exists(), "the plain file is deleted"
    assert old.file.name.endswith(".pdf.enc") and "person0" not in old.file.name
    assert not stored_bytes(old).startswith(b"%PDF") and packet_pdf(packet=old) == plain
    assert stored_bytes(room) == b"%PDF-1.7 the room", "the facilitator packet is not a participant's"

    name = old.file.name
    migration.encrypt_plain_packets(apps, None)  # a second run changes nothing
    with unscoped():
        old.refresh_from_db()
    assert old.file.name == name and packet_pdf(packet=old) == plain


def test_a_file_made_for_a_packet_deleted_meanwhile_is_discarded(org_a, monkeypatch):
    """A deletion that lands while a worker renders: the worker finds no row and keeps no file."""
    workshop, _, _ = build_room(org_a, people=1)
    with unscoped():
        personal = packets_request_for_workshop(workshop=workshop)[1]
    from workshop.debrief import services

    render = services.packet_render

    def render_then_row_goes(*, packet):
        pdf = render(packet=packet)
        DebriefPacket.objects.filter(pk=packet.pk).delete()
        return pdf

    monkeypatch.setattr(services, "packet_render", render_then_row_goes)
    with organization_scope(org_a.org.id):
        assert packet_build_run(packet_id=personal.id) == "discarded"
    assert not list(Path(settings.MEDIA_ROOT).rglob(f"{personal.public_id}*"))
