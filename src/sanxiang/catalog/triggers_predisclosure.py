"""Database guard of pre-disclosure documents (事前公开文件): published versions are frozen, on
SQLite and PostgreSQL — also for code that writes around ``services_predisclosure``.

* A draft row is free.
* A published row may only be retired: ``status`` → ``retired`` with ``retired_at`` and
  ``retire_note`` set; every other column stays as it is. It never goes back to draft, and
  while it stays published not even the retirement columns change.
* A retired row never changes.

Deleting rows is not refused (the test suite's flush deletes every table, as for the catalog's
versioned rules); the services and the admin never delete a published or retired version.

The SQLite trigger lists the table's columns: a migration that adds a column to the table must
re-install it (``migration_operation()``).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

TABLE = "catalog_predisclosuredocument"
MESSAGE = "catalog: a published or retired pre-disclosure version is frozen (%s)"

# Columns a published row may still change (when, and only when, it is retired).
RETIREMENT_COLUMNS = ("status", "retired_at", "retire_note")


def _columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _sqlite_install(connection, table: str) -> list[str]:
    content = [c for c in _columns(connection, table) if c not in RETIREMENT_COLUMNS]
    changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in content)
    retirement_changed = "NEW.retired_at IS NOT OLD.retired_at OR NEW.retire_note IS NOT OLD.retire_note"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_frozen BEFORE UPDATE ON {table} "
        f"WHEN OLD.status <> 'draft' AND ("
        f"NEW.status NOT IN ('published', 'retired') "
        f"OR (OLD.status = 'retired' AND (NEW.status IS NOT OLD.status OR {retirement_changed})) "
        f"OR (NEW.status = 'published' AND ({retirement_changed})) "
        f"OR {changed}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE % table}'); END",
    ]


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION catalog_predisclosure_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND (
       NEW.status NOT IN ('published', 'retired')
       OR (OLD.status = 'retired' AND to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD))
       OR (NEW.status = 'published' AND to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD))
       OR (to_jsonb(NEW) - 'status' - 'retired_at' - 'retire_note')
          IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'retired_at' - 'retire_note')) THEN
    RAISE EXCEPTION 'catalog: a published or retired pre-disclosure version is frozen (% v%)',
      OLD.slug, OLD.version
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$
"""


def statements(connection, *, install: bool, table: str = TABLE) -> list[str]:
    vendor = connection.vendor
    if vendor == "sqlite":
        if install:
            return _sqlite_install(connection, table)
        return [f"DROP TRIGGER IF EXISTS {table}_frozen"]
    if vendor == "postgresql":
        if install:
            return [
                _PG_FUNCTION,
                f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}",
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION catalog_predisclosure_frozen()",
            ]
        return [f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}"]
    raise ImproperlyConfigured(f"pre-disclosure triggers: Sanxiang runs on SQLite and PostgreSQL, not {vendor}")


def apply(connection, *, install: bool) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection, install=install):
            cursor.execute(sql)


def migration_operation():
    """A reversible migration operation (re-)installing the trigger."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        apply(schema_editor.connection, install=False)
        apply(schema_editor.connection, install=True)

    def backwards(apps, schema_editor):
        apply(schema_editor.connection, install=False)

    return migrations.RunPython(forwards, backwards, elidable=False)
