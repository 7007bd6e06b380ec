"""First published version of each pre-disclosure category (事前公开), catalog.data.predisclosure.

Owner unit ``city``; effective from the day the migration runs. Slugs already present are left
alone, so running it on a database that has its own documents changes nothing.
"""

from django.db import migrations


def load(apps, schema_editor):
    from django.utils import timezone

    from sanxiang.catalog.data.predisclosure import DOCUMENTS, SEED_NOTE, SEED_UNIT

    Document = apps.get_model("catalog", "PreDisclosureDocument")
    db = schema_editor.connection.alias
    existing = set(Document.objects.using(db).values_list("slug", flat=True))
    now = timezone.now()
    Document.objects.using(db).bulk_create([
        Document(**doc, unit_code=SEED_UNIT, version=1, status="published", published_at=now,
                 effective_from=timezone.localdate(now), change_note=SEED_NOTE)
        for doc in DOCUMENTS if doc["slug"] not in existing
    ])


def unload(apps, schema_editor):
    from sanxiang.catalog.data.predisclosure import DOCUMENTS, SEED_NOTE

    Document = apps.get_model("catalog", "PreDisclosureDocument")
    Document.objects.using(schema_editor.connection.alias).filter(
        slug__in=[d["slug"] for d in DOCUMENTS], version=1, change_note=SEED_NOTE, author__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_predisclosure"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
