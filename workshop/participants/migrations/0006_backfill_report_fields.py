# Fill the report columns of responses saved before they existed: identification F1 before and after, the
# rated analogy's source kind and domain family, and a creation time (the last update is the best we know).
# Scored as workshop.participants.answers scores new answers: the same F1 and the same family vocabulary.

from django.db import migrations
from django.db.models import F

from workshop.debrief.stats import identification_accuracy, target_labels
from workshop.engine import DOMAIN_FAMILIES, domain_family

BATCH = 2000
KINDS = ("own_experience", "domain", "universal")


def _f1(chosen, emotions):
    return identification_accuracy(chosen or [], target_labels(emotions or [])) or 0.0


def _source(source):
    if not isinstance(source, dict):
        return "", ""
    kind = source.get("kind") if source.get("kind") in KINDS else ""
    domain = source.get("domain")
    if not isinstance(domain, str) or not domain.strip():
        return kind, ""
    return kind, domain if domain in DOMAIN_FAMILIES else (domain_family(domain[:200]) or "")


def backfill(apps, schema_editor):
    Response = apps.get_model("participants", "Response")
    Analogy = apps.get_model("participants", "Analogy")
    Scenario = apps.get_model("scenarios", "Scenario")
    Response._base_manager.filter(created__isnull=True).update(created=F("updated"))
    emotions = dict(Scenario._base_manager.values_list("id", "emotions"))
    last = 0
    while True:
        rows = list(Response._base_manager.filter(pk__gt=last).order_by("pk").only(
            "id", "participant_id", "scenario_id", "pre_labels", "pre_understanding", "post_labels",
            "post_understanding", "resonance")[:BATCH])
        if not rows:
            break
        last = rows[-1].pk
        sources = {(a.participant_id, a.scenario_id): a.source for a in Analogy._base_manager.filter(
            is_current=True, participant_id__in={r.participant_id for r in rows}).only(
            "participant_id", "scenario_id", "source")}
        for r in rows:
            targets = emotions.get(r.scenario_id)
            r.pre_f1 = _f1(r.pre_labels, targets) if r.pre_understanding is not None else None
            r.post_f1 = _f1(r.post_labels, targets) if r.post_understanding is not None else None
            r.source_kind, r.source_family = (_source(sources.get((r.participant_id, r.scenario_id)))
                                              if r.post_understanding is not None else ("", ""))
        Response._base_manager.bulk_update(rows, ["pre_f1", "post_f1", "source_kind", "source_family"])


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0005_public_ids_and_report_fields"),
        ("scenarios", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
