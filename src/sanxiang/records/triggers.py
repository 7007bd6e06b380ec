"""Insert-only tables (只增不改): triggers that refuse UPDATE and DELETE, on SQLite and PostgreSQL.

Migrations install them; `sanxiang ledger verify` catches whatever a person with direct
database access does after dropping them.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

MESSAGE = "insert-only table: rows of %s can be neither updated nor deleted"

# The insert-only tables of the records context (migrations install their triggers). Other
# apps install theirs with `migration_operation` too; `installed_tables` finds them all, e.g.
# for the test suite, which drops and re-installs them around the flush of transactional tests.
LEDGER_TABLES = ("records_ledgerentry", "records_merklenode", "records_signedtreehead")
EVIDENCE_TABLES = ("records_blob", "records_evidence", "records_evidenceannotation", "records_evidenceaccess")
INSERT_ONLY_TABLES = LEDGER_TABLES + EVIDENCE_TABLES


def _sqlite_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE % table}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE % table}'); END",
    ]


def _sqlite_uninstall(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION sanxiang_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'insert-only table: rows of % can be neither updated nor deleted', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$
"""


def _pg_install(table: str) -> list[str]:
    return [
        _PG_FUNCTION,
        f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}",
        f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION sanxiang_insert_only()",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION sanxiang_insert_only()",
    ]


def _pg_uninstall(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"]


def statements(vendor: str, table: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_install(table) if install else _sqlite_uninstall(table)
    if vendor == "postgresql":
        return _pg_install(table) if install else _pg_uninstall(table)
    raise ImproperlyConfigured(f"insert-only triggers: Sanxiang runs on SQLite and PostgreSQL, not {vendor}")


def apply(connection, tables, *, install: bool) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            for sql in statements(connection.vendor, table, install=install):
                cursor.execute(sql)


def migration_operation(*tables: str):
    """A migration operation installing the triggers on `tables` (reversible)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        apply(schema_editor.connection, tables, install=True)

    def backwards(apps, schema_editor):
        apply(schema_editor.connection, tables, install=False)

    return migrations.RunPython(forwards, backwards, elidable=False)


def installed_tables(connection) -> list[str]:
    """Every table that currently carries the insert-only triggers, whichever app installed them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                           "AND name = tbl_name || '_no_delete' ORDER BY tbl_name")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE NOT t.tgisinternal AND t.tgname = c.relname || '_insert_only' "
                           "AND pg_table_is_visible(c.oid) ORDER BY c.relname")
        else:
            raise ImproperlyConfigured(f"insert-only triggers: Sanxiang runs on SQLite and PostgreSQL, not {connection.vendor}")
        return [row[0] for row in cursor.fetchall()]
