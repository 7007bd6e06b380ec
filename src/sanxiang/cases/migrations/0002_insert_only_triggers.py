"""Decisions and issued documents are insert-only: a change is a new document, never an edit."""

from django.db import migrations

from sanxiang.records.triggers import migration_operation


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migration_operation("cases_decision", "cases_issueddocument")]
