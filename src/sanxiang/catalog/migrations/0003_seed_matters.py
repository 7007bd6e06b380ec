"""Loads the default enforcement matters (执法事项目录清单), catalog.data.matters."""

from django.db import migrations


def load(apps, schema_editor):
    from sanxiang.catalog import seed

    seed.load_matters(apps, schema_editor.connection.alias)


def unload(apps, schema_editor):
    from sanxiang.catalog import seed

    Matter = apps.get_model("catalog", "Matter")
    db = schema_editor.connection.alias
    Matter.objects.using(db).filter(created_by=seed.SEED_ACTOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_versioning_triggers"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
