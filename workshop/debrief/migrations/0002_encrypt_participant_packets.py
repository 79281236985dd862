# Participants' packets made before they were encrypted at rest were stored as plain PDFs. Each one is
# encrypted in place (the same PDF the participant was given, as a Fernet token under a name that says
# nothing about them) and the plain file is deleted. A file that is already encrypted is left as it is, so
# running this again changes nothing.
#
# Not atomic: files are not part of a transaction. Each row is switched to its encrypted file before the
# plain one is deleted, so an interrupted run never leaves a row pointing at a vanished file.

from django.core.files.base import ContentFile
from django.db import migrations

from workshop.tenancy.crypto import encrypt_bytes

PLAIN_PDF = b"%PDF"


def encrypt_plain_packets(apps, schema_editor):
    DebriefPacket = apps.get_model("debrief", "DebriefPacket")
    for packet in DebriefPacket._base_manager.filter(kind="participant").exclude(file="").iterator():
        storage, plain_name = packet.file.storage, packet.file.name
        if not storage.exists(plain_name):
            continue
        with storage.open(plain_name, "rb") as f:
            content = f.read()
        if not content.startswith(PLAIN_PDF):
            continue
        packet.file.save(f"{packet.public_id}.pdf.enc", ContentFile(encrypt_bytes(content)), save=False)
        DebriefPacket._base_manager.filter(pk=packet.pk).update(file=packet.file.name)
        storage.delete(plain_name)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("debrief", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(encrypt_plain_packets, migrations.RunPython.noop),
    ]
