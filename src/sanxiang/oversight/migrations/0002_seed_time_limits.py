"""The complaint handling time limit (投诉举报办理期限) as catalog rule data; handling notes
(办理记录) become insert-only."""

from django.db import migrations

from sanxiang.records.triggers import migration_operation


def load(apps, schema_editor):
    from sanxiang.oversight.seed import load_time_limits

    load_time_limits(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("catalog", "0005_seed_time_limits"),
        ("records", "0002_insert_only_triggers"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migration_operation("oversight_complaintnote"),
    ]
