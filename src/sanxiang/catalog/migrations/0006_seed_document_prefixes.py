"""Loads the document-number prefixes of the 19 standard units (文号前缀), catalog.data.prefixes."""

from django.db import migrations


def load(apps, schema_editor):
    from sanxiang.catalog import seed

    seed.load_prefixes(apps, schema_editor.connection.alias)


def unload(apps, schema_editor):
    from sanxiang.catalog.data import prefixes

    DocumentPrefix = apps.get_model("catalog", "DocumentPrefix")
    db = schema_editor.connection.alias
    DocumentPrefix.objects.using(db).filter(note=prefixes.NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_seed_time_limits"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
