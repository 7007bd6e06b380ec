"""Loads the default time limits of RULES.md (期限), catalog.data.time_limits."""

from django.db import migrations


def load(apps, schema_editor):
    from sanxiang.catalog import seed

    seed.load_time_limits(apps, schema_editor.connection.alias)


def unload(apps, schema_editor):
    from sanxiang.catalog import seed

    TimeLimitRule = apps.get_model("catalog", "TimeLimitRule")
    db = schema_editor.connection.alias
    TimeLimitRule.objects.using(db).filter(created_by=seed.SEED_ACTOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_seed_decision_rules"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
