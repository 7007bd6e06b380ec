"""Database guards of versioned rule rows: published versions frozen, no overlapping windows
(see ``sanxiang.catalog.triggers``)."""

from django.db import migrations

from sanxiang.catalog import triggers


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        triggers.migration_operation(*triggers.VERSIONED_TABLES),
    ]
