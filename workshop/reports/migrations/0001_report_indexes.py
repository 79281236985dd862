# Indexes the report's cache version reads (the latest answer, analogy, join and deletion of one
# organization: one index lookup each) and the date filter uses. Plain SQL, outside Django's model state:
# the tables belong to the participants app, and these indexes serve only the reports.

from django.db import migrations

INDEXES = [
    ("report_response_org_updated", "participants_response", "organization_id, updated"),
    ("report_analogy_org_updated", "participants_analogy", "organization_id, updated"),
    ("report_participant_org_created", "participants_participant", "organization_id, created"),
    ("report_participant_org_deleted", "participants_participant", "organization_id, deleted_at"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0006_backfill_report_fields"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                          f"DROP INDEX IF EXISTS {name}")
        for name, table, columns in INDEXES
    ]
