"""Loads the default review, hearing and collective-discussion rules (法制审核目录清单), catalog.data.decision_rules."""

from django.db import migrations


def load(apps, schema_editor):
    from sanxiang.catalog import seed

    seed.load_decision_rules(apps, schema_editor.connection.alias)


def unload(apps, schema_editor):
    from sanxiang.catalog import seed

    DecisionRule = apps.get_model("catalog", "DecisionRule")
    db = schema_editor.connection.alias
    DecisionRule.objects.using(db).filter(created_by=seed.SEED_ACTOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_seed_matters"),
    ]

    operations = [
        migrations.RunPython(load, unload, elidable=False),
    ]
