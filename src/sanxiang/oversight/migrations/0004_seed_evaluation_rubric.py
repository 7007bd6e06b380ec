"""The default case-file evaluation rubric (案卷评查标准) as versioned rule data; published
rubric versions are frozen like the catalog's rules."""

from django.db import migrations

from sanxiang.catalog.triggers import migration_operation


def load(apps, schema_editor):
    from sanxiang.oversight.evaluation import load_default_rubric

    load_default_rubric(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0003_case_file_evaluation"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migration_operation("oversight_evaluationrubric"),
    ]
