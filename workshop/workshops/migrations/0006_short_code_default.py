import secrets

from django.db import migrations, models

import workshop.workshops.models

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def fill(apps, schema_editor):
    """Every workshop made before activities gets a short code and one scenario-with-analogy activity per
    scenario, in the scenarios' order: the flow it had."""
    Workshop = apps.get_model("workshops", "Workshop")
    WorkshopActivity = apps.get_model("workshops", "WorkshopActivity")
    WorkshopScenario = apps.get_model("workshops", "WorkshopScenario")
    used = set(Workshop.objects.exclude(short_code=None).values_list("short_code", flat=True))
    for workshop in Workshop.objects.filter(short_code=None).only("pk"):
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        used.add(code)
        Workshop.objects.filter(pk=workshop.pk).update(short_code=code)
    have = set(WorkshopActivity.objects.values_list("workshop_id", flat=True).distinct())
    WorkshopActivity.objects.bulk_create([
        WorkshopActivity(organization_id=ws.organization_id, workshop_id=ws.workshop_id, position=ws.position,
                         kind="analogy", scenario_id=ws.scenario_id)
        for ws in WorkshopScenario.objects.exclude(workshop_id__in=have).order_by("workshop_id", "position")
    ], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0005_activities_pacing_short_code'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='workshop',
            name='short_code',
            field=models.CharField(blank=True, default=workshop.workshops.models.new_short_code, max_length=8,
                                   null=True, unique=True),
        ),
    ]
