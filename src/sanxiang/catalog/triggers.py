"""Database guards of versioned rule rows (版本冻结与不重叠), on SQLite and PostgreSQL.

* **Frozen**: once a version is published its content cannot change. A published row may
  only be retired (``status`` → ``retired``, ``effective_to`` and ``retired_at`` set); a
  retired row cannot change at all; no row goes back to draft. Drafts are free.
* **No overlap**: two published or retired versions of one code cannot cover the same day
  (windows are inclusive; an empty ``effective_to`` is open-ended). The services check this
  first and raise a typed error; the trigger catches anyone who writes around them.

Deleting rows is not refused (the test suite's flush deletes every table); the admin and the
services never delete a published or retired version.

The SQLite frozen trigger lists the table's columns: a migration that adds a column to a
versioned table must re-install the triggers (``migration_operation(*VERSIONED_TABLES)``).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

VERSIONED_TABLES = (
    "catalog_matter",
    "catalog_decisionrule",
    "catalog_timelimitrule",
    "catalog_documenttemplate",
)

# Columns a published row may still change (when it is retired).
_RETIREMENT_COLUMNS = ("status", "effective_to", "retired_at")

FROZEN_MESSAGE = "catalog: a published or retired rule version is frozen (%s)"
OVERLAP_MESSAGE = "catalog: rule versions of one code overlap in time (%s)"

_OVERLAP_SQL = """
EXISTS (
  SELECT 1 FROM {table} o
  WHERE o.code = NEW.code AND o.id IS NOT NEW.id AND o.status IN ('published', 'retired')
    AND (o.effective_to IS NULL OR o.effective_to >= NEW.effective_from)
    AND (NEW.effective_to IS NULL OR NEW.effective_to >= o.effective_from)
)"""


def _columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _sqlite_install(connection, table: str) -> list[str]:
    content = [c for c in _columns(connection, table) if c not in _RETIREMENT_COLUMNS]
    changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in content)
    overlap = _OVERLAP_SQL.format(table=table)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_frozen BEFORE UPDATE ON {table} "
        f"WHEN OLD.status <> 'draft' AND (NEW.status = 'draft' OR "
        f"(OLD.status = 'retired' AND (NEW.status IS NOT OLD.status "
        f"OR NEW.effective_to IS NOT OLD.effective_to OR NEW.retired_at IS NOT OLD.retired_at)) "
        f"OR {changed}) "
        f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE % table}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_overlap_insert BEFORE INSERT ON {table} "
        f"WHEN NEW.status IN ('published', 'retired') AND {overlap} "
        f"BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE % table}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_overlap_update BEFORE UPDATE ON {table} "
        f"WHEN NEW.status IN ('published', 'retired') AND {overlap} "
        f"BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE % table}'); END",
    ]


def _sqlite_uninstall(connection, table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_frozen",
        f"DROP TRIGGER IF EXISTS {table}_no_overlap_insert",
        f"DROP TRIGGER IF EXISTS {table}_no_overlap_update",
    ]


_PG_FROZEN = """
CREATE OR REPLACE FUNCTION catalog_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND (
       NEW.status = 'draft'
       OR (OLD.status = 'retired' AND to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD))
       OR (to_jsonb(NEW) - 'status' - 'effective_to' - 'retired_at')
          IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'effective_to' - 'retired_at')) THEN
    RAISE EXCEPTION 'catalog: a published or retired rule version is frozen (% % v%)',
      TG_TABLE_NAME, OLD.code, OLD.version
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$
"""

_PG_OVERLAP = """
CREATE OR REPLACE FUNCTION catalog_version_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  clash boolean;
BEGIN
  IF NEW.status IN ('published', 'retired') THEN
    EXECUTE format(
      'SELECT EXISTS (SELECT 1 FROM %I o WHERE o.code = $1 AND o.id IS DISTINCT FROM $2 '
      'AND o.status IN (''published'', ''retired'') '
      'AND (o.effective_to IS NULL OR o.effective_to >= $3) '
      'AND ($4::date IS NULL OR $4::date >= o.effective_from))', TG_TABLE_NAME)
      INTO clash USING NEW.code, NEW.id, NEW.effective_from, NEW.effective_to;
    IF clash THEN
      RAISE EXCEPTION 'catalog: rule versions of one code overlap in time (% %)',
        TG_TABLE_NAME, NEW.code
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$
"""


def _pg_install(connection, table: str) -> list[str]:
    return [
        _PG_FROZEN,
        _PG_OVERLAP,
        f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}",
        f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION catalog_version_frozen()",
        f"DROP TRIGGER IF EXISTS {table}_no_overlap ON {table}",
        f"CREATE TRIGGER {table}_no_overlap BEFORE INSERT OR UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION catalog_version_no_overlap()",
    ]


def _pg_uninstall(connection, table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_overlap ON {table}",
    ]


def statements(connection, table: str, *, install: bool) -> list[str]:
    vendor = connection.vendor
    if vendor == "sqlite":
        return _sqlite_install(connection, table) if install else _sqlite_uninstall(connection, table)
    if vendor == "postgresql":
        return _pg_install(connection, table) if install else _pg_uninstall(connection, table)
    raise ImproperlyConfigured(f"catalog version triggers: Sanxiang runs on SQLite and PostgreSQL, not {vendor}")


def apply(connection, tables=VERSIONED_TABLES, *, install: bool) -> None:
    for table in tables:
        sqls = statements(connection, table, install=install)
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)


def migration_operation(*tables: str):
    """A reversible migration operation (re-)installing the triggers on ``tables``."""
    from django.db import migrations

    tables = tables or VERSIONED_TABLES

    def forwards(apps, schema_editor):
        apply(schema_editor.connection, tables, install=False)
        apply(schema_editor.connection, tables, install=True)

    def backwards(apps, schema_editor):
        apply(schema_editor.connection, tables, install=False)

    return migrations.RunPython(forwards, backwards, elidable=False)
