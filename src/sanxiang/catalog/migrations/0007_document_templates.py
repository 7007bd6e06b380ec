"""Loads the default document templates (文书模板) of
``sanxiang.catalog.data.document_templates.DEFAULT_TEMPLATES`` when that module exists.

The module belongs to the documents engineer; when it arrives after this migration has run,
``sanxiang catalog load-templates`` loads it (same loader, codes already present are kept).
"""

from django.db import migrations


def load(apps, schema_editor):
    from sanxiang.catalog import seed

    seed.load_templates(apps, schema_editor.connection.alias)


def unload(apps, schema_editor):
    from sanxiang.catalog import seed

    DocumentTemplate = apps.get_model("catalog", "DocumentTemplate")
    db = schema_editor.connection.alias
    DocumentTemplate.objects.using(db).filter(created_by=seed.SEED_ACTOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_seed_document_prefixes"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
