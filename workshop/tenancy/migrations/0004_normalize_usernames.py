"""Existing usernames take their normalized spelling (NFKC, case-folded), as new ones are stored. A name whose
normalized spelling another account already has is left as it is: it cannot sign in any more, because every
login looks up the normalized spelling, and that is the other account's."""

import unicodedata

from django.conf import settings
from django.db import migrations


def normalize(name: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def forwards(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    taken = set(User.objects.values_list("username", flat=True))
    for pk, name in User.objects.values_list("pk", "username").order_by("pk"):
        wanted = normalize(name)
        if wanted != name and wanted not in taken:
            User.objects.filter(pk=pk).update(username=wanted)
            taken.discard(name)
            taken.add(wanted)


class Migration(migrations.Migration):

    dependencies = [
        ("tenancy", "0003_invitation_revoked_login_skeleton"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
