# Public ids for the API (unique, filled row by row for existing rows) and denormalized report fields.

from django.db import migrations, models

import workshop.tenancy.models


def fill_public_ids(apps, schema_editor):
    for name in ("Participant", "Analogy"):
        model = apps.get_model("participants", name)
        rows = list(model._base_manager.only("pk"))
        for row in rows:
            row.public_id = workshop.tenancy.models.new_token()
        model._base_manager.bulk_update(rows, ["public_id"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0004_response_hidden_from_wall"),
    ]

    operations = [
        migrations.AddField(model_name="participant", name="public_id",
                            field=models.CharField(max_length=64, null=True)),
        migrations.AddField(model_name="analogy", name="public_id",
                            field=models.CharField(max_length=64, null=True)),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(model_name="participant", name="public_id",
                              field=models.CharField(default=workshop.tenancy.models.new_token, max_length=64,
                                                     unique=True)),
        migrations.AlterField(model_name="analogy", name="public_id",
                              field=models.CharField(default=workshop.tenancy.models.new_token, max_length=64,
                                                     unique=True)),
        migrations.AddField(model_name="response", name="pre_f1", field=models.FloatField(blank=True, null=True)),
        migrations.AddField(model_name="response", name="post_f1", field=models.FloatField(blank=True, null=True)),
        migrations.AddField(model_name="response", name="source_kind",
                            field=models.CharField(blank=True, max_length=20)),
        migrations.AddField(model_name="response", name="source_family",
                            field=models.CharField(blank=True, max_length=40)),
        migrations.AddField(model_name="response", name="created",
                            field=models.DateTimeField(auto_now_add=True, null=True)),
    ]
