"""Ledger, Merkle nodes and signed tree heads are insert-only (UPDATE/DELETE refused)."""

from django.db import migrations

from sanxiang.records.triggers import migration_operation


def create_heads(apps, schema_editor):
    LogHead = apps.get_model("records", "LogHead")
    for log in ("ledger", "public"):
        LogHead.objects.get_or_create(log=log)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_ledger")]

    operations = [
        migration_operation("records_ledgerentry", "records_merklenode", "records_signedtreehead"),
        migrations.RunPython(create_heads, migrations.RunPython.noop),
    ]
